import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { ActivationPreviewDto } from './dto/entry.dto.js';
import {
  ActivationLogDto,
  ActivationLogQueryDto,
  ActivationPreviewResponseDto,
  LinkListDto,
  LinkResponseDto,
  UpsertLinkDto,
} from './dto/link.dto.js';
import { KnowledgeLinksService } from './knowledge-links.service.js';

@ApiTags('knowledge')
@Controller()
export class BotKnowledgeController {
  constructor(private readonly links: KnowledgeLinksService) {}

  /** Collections a bot draws from (readers see those they can read, plus a count of the others). */
  @Public()
  @Get('bots/:id/knowledge-collections')
  @ApiOkResponse({ type: LinkListDto })
  list(@CurrentUser() actor: Actor | undefined, @Param('id', ParseUUIDPipe) id: string): Promise<LinkListDto> {
    return this.links.list(actor, id);
  }

  /** Link a collection to the bot (201) or change `enabled` (200). */
  @Put('bots/:id/knowledge-collections/:collectionId')
  @ApiCreatedResponse({ type: LinkResponseDto, description: 'Linked.' })
  @ApiOkResponse({ type: LinkResponseDto, description: 'Existing link updated.' })
  async upsert(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('collectionId', ParseUUIDPipe) collectionId: string,
    @Body() dto: UpsertLinkDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkResponseDto> {
    const { link, created } = await this.links.upsert(actor, id, collectionId, dto.enabled);
    reply.status(created ? 201 : 200);
    return link;
  }

  /** Unlink a collection. */
  @Delete('bots/:id/knowledge-collections/:collectionId')
  @HttpCode(204)
  async remove(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('collectionId', ParseUUIDPipe) collectionId: string,
  ): Promise<void> {
    await this.links.remove(actor, id, collectionId);
  }

  /** Dry-run the lore activation for given messages (editors of the bot). */
  @Post('bots/:id/knowledge-activation/preview')
  @HttpCode(200)
  @ApiOkResponse({ type: ActivationPreviewResponseDto })
  preview(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ActivationPreviewDto,
  ): Promise<ActivationPreviewResponseDto> {
    return this.links.preview(actor, id, dto);
  }

  /** Activation log rows of a conversation (its owner only). */
  @Get('conversations/:id/knowledge-activations')
  @ApiOkResponse({ type: ActivationLogDto, isArray: true })
  logs(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ActivationLogQueryDto,
  ): Promise<ActivationLogDto[]> {
    return this.links.logs(actor, id, query.message_seq);
  }
}
