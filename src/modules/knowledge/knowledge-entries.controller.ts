import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { EntryResponseDto } from './dto/entry-response.dto.js';
import { UpdateEntryDto } from './dto/entry.dto.js';
import { KnowledgeEntriesService } from './knowledge-entries.service.js';

@ApiTags('knowledge')
@Controller('knowledge-entries')
export class KnowledgeEntriesController {
  constructor(private readonly entries: KnowledgeEntriesService) {}

  /** Read one entry with its filters. */
  @Public()
  @Get(':id')
  @ApiOkResponse({ type: EntryResponseDto })
  get(@CurrentUser() actor: Actor | undefined, @Param('id', ParseUUIDPipe) id: string): Promise<EntryResponseDto> {
    return this.entries.get(actor, id);
  }

  /** Partial update; `collection_id` moves the entry (edit on both collections). */
  @Patch(':id')
  @ApiOkResponse({ type: EntryResponseDto })
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateEntryDto,
  ): Promise<EntryResponseDto> {
    return this.entries.update(actor, id, dto);
  }

  /** Delete an entry (editors). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.entries.remove(actor, id);
  }

  /** Queue the entry's embedding again. */
  @Post(':id/embedding')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: EntryResponseDto })
  reembed(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EntryResponseDto> {
    return this.entries.requeueEmbedding(actor, id);
  }
}
