import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { ConversationsService } from './conversations.service.js';
import {
  ConversationPageDto,
  ConversationResponseDto,
  MessagePageDto,
  ParticipantResponseDto,
  SendMessageResponseDto,
  TruncateResultDto,
} from './dto/chat-response.dto.js';
import {
  CreateConversationDto,
  DeleteConversationQueryDto,
  ListConversationsDto,
  MarkReadDto,
  UpdateConversationDto,
} from './dto/conversation.dto.js';
import { ListMessagesDto, SendMessageDto, TruncateMessagesDto } from './dto/message.dto.js';
import { requestMeta } from './generation/generation.service.js';
import { MessagesService } from './messages.service.js';
import { AddParticipantDto, UpdateParticipantDto } from './dto/participant.dto.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('chat')
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly participantsService: ParticipantsService,
  ) {}

  /** Your conversations (owner or active member): pinned first, then most recently active. */
  @Get()
  @ApiOkResponse({ type: ConversationPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListConversationsDto): Promise<ConversationPageDto> {
    return this.conversations.list(actor, query);
  }

  /** Start a conversation with 1–8 bots you may chat with; the primary bot's greeting becomes message 1. */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateConversationDto): Promise<ConversationResponseDto> {
    return this.conversations.create(actor, dto);
  }

  /** One conversation with its participants, counters and your unread count. */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ConversationResponseDto> {
    return this.conversations.get(actor, id);
  }

  /** Owner: change title, status, persona, generation settings, tags, sharing, retention, memory. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateConversationDto,
  ): Promise<ConversationResponseDto> {
    return this.conversations.update(actor, id, dto);
  }

  /** Owner or admin: delete the conversation and all its messages. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeleteConversationQueryDto,
  ): Promise<void> {
    await this.conversations.remove(actor, id, query.purge_memories ?? false);
  }

  /** Mark everything up to `seq` read (monotonic). */
  @Post(':id/read')
  @HttpCode(200)
  read(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MarkReadDto,
  ): Promise<ConversationResponseDto> {
    return this.conversations.markRead(actor, id, dto);
  }

  /** Participants (bots and users) with names. */
  @Get(':id/participants')
  @ApiOkResponse({ type: [ParticipantResponseDto] })
  participants(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ParticipantResponseDto[]> {
    return this.conversations.listParticipants(actor, id);
  }

  /** A page of messages, ascending by seq; no cursor → the newest page. */
  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePageDto })
  listMessages(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ListMessagesDto,
  ): Promise<MessagePageDto> {
    return this.messages.list(actor, id, query);
  }

  /**
   * Post a user message; each replying bot gets a queued reply whose `stream_path` generates it (respond: auto,
   * none, all, or bot_ids). Self-moderation warnings come as headers and the `wellbeing` field.
   */
  @Post(':id/messages')
  async send(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SendMessageDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SendMessageResponseDto> {
    const { body, headers } = await this.messages.send(actor, id, dto, requestMeta(req));
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    return body;
  }

  /** Owner: delete every message from `from_seq` on ("rewind"). */
  @Delete(':id/messages')
  @HttpCode(200)
  truncate(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: TruncateMessagesDto,
  ): Promise<TruncateResultDto> {
    return this.messages.truncate(actor, id, query.from_seq);
  }

  /** Owner: add a bot you may chat with (`{bot_id, role?}`) or a member (`{user_id}`, makes it a group chat). */
  @Post(':id/participants')
  addParticipant(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddParticipantDto,
  ): Promise<ParticipantResponseDto> {
    return this.participantsService.add(actor, id, dto);
  }

  /** Owner: change a bot's role or (de)activate it; exactly one active primary is kept. */
  @Patch(':id/participants/:participantId')
  updateParticipant(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('participantId', ParseUUIDPipe) participantId: string,
    @Body() dto: UpdateParticipantDto,
  ): Promise<ParticipantResponseDto> {
    return this.participantsService.update(actor, id, participantId, dto);
  }

  /** Owner removes a participant; a member removes themselves (leave). */
  @Delete(':id/participants/:participantId')
  @HttpCode(204)
  async removeParticipant(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('participantId', ParseUUIDPipe) participantId: string,
  ): Promise<void> {
    await this.participantsService.remove(actor, id, participantId);
  }
}
