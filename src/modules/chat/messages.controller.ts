import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import {
  EditMessageResponseDto,
  MessageEditResponseDto,
  MessageReactionsResponseDto,
  MessageResponseDto,
  MessageSearchPageDto,
} from './dto/chat-response.dto.js';
import { EditMessageDto, SearchMessagesDto } from './dto/message.dto.js';
import { MessageExtrasService } from './message-extras.service.js';
import { MessageSearchService } from './message-search.service.js';
import { requestMeta } from './generation/generation.service.js';
import { MessagesService } from './messages.service.js';

@ApiTags('chat')
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly extras: MessageExtrasService,
  ) {}

  /** One message of a conversation you can read. */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MessageResponseDto> {
    return this.messages.get(actor, id);
  }

  /** Edit a message (your own user message; as owner, a completed bot message); the old text goes to its history. */
  @Patch(':id')
  @ApiOkResponse({ type: EditMessageResponseDto })
  async edit(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EditMessageDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EditMessageResponseDto> {
    const { body, headers } = await this.messages.edit(actor, id, dto, requestMeta(req));
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    return body;
  }

  /** Delete one message (its author, or the conversation owner). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.messages.remove(actor, id);
  }

  /** Edit history, newest first. */
  @Get(':id/edits')
  @ApiOkResponse({ type: [MessageEditResponseDto] })
  edits(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MessageEditResponseDto[]> {
    return this.messages.edits(actor, id);
  }

  /** Add your reaction (idempotent); participants only. Returns the message's reaction counts and yours. */
  @Put(':id/reactions/:emoji')
  @ApiOkResponse({ type: MessageReactionsResponseDto })
  react(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageReactionsResponseDto> {
    return this.extras.react(actor, id, emoji);
  }

  /** Remove your reaction (idempotent). Returns the message's reaction counts and yours. */
  @Delete(':id/reactions/:emoji')
  @ApiOkResponse({ type: MessageReactionsResponseDto })
  unreact(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageReactionsResponseDto> {
    return this.extras.unreact(actor, id, emoji);
  }
}

@ApiTags('chat')
@Controller('search')
export class MessageSearchController {
  constructor(private readonly search: MessageSearchService) {}

  /** Full-text search over the messages of conversations you take part in. */
  @Get('messages')
  @ApiOkResponse({ type: MessageSearchPageDto })
  messages(@CurrentUser() actor: Actor, @Query() query: SearchMessagesDto): Promise<MessageSearchPageDto> {
    return this.search.search(actor, query);
  }
}
