import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import {
  ConsolidateMemoriesDto,
  ConvertMemoryDto,
  ConvertMemoryResponseDto,
  CreateMemoryDto,
  ListMemoriesDto,
  MemoryJobAcceptedDto,
  MemoryPageDto,
  MemoryResponseDto,
  UpdateMemoryDto,
} from './dto/memory.dto.js';
import { MemoriesService } from './memories.service.js';

@ApiTags('memories')
@Controller('memories')
export class MemoriesController {
  constructor(private readonly memories: MemoriesService) {}

  /** Your memories, newest first; filter by bot, persona, conversation, type, importance or full text. */
  @Get()
  @ApiOkResponse({ type: MemoryPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListMemoriesDto): Promise<MemoryPageDto> {
    return this.memories.list(actor, query);
  }

  /** Write a memory by hand, linked to bots you can read and optionally to your personas and a conversation. */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateMemoryDto): Promise<MemoryResponseDto> {
    return this.memories.create(actor, dto);
  }

  /** Queue a consolidation of your similar short-term memories (optionally of one bot). */
  @Post('consolidate')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MemoryJobAcceptedDto })
  consolidate(@CurrentUser() actor: Actor, @Body() dto: ConsolidateMemoriesDto): Promise<MemoryJobAcceptedDto> {
    return this.memories.requestConsolidation(actor, dto);
  }

  /** Read one of your memories. */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MemoryResponseDto> {
    return this.memories.get(actor, id);
  }

  /** Edit a memory; changing content or importance makes it long_term unless `type` is given. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMemoryDto,
  ): Promise<MemoryResponseDto> {
    return this.memories.update(actor, id, dto);
  }

  /** Delete a memory. */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.memories.remove(actor, id);
  }

  /** Promote a memory to a knowledge entry in one of your collections (default: your memories collection). */
  @Post(':id/convert-to-knowledge')
  convert(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ConvertMemoryDto,
  ): Promise<ConvertMemoryResponseDto> {
    return this.memories.convert(actor, id, dto);
  }
}

@ApiTags('memories')
@Controller('conversations')
export class ConversationMemoriesController {
  constructor(private readonly memories: MemoriesService) {}

  /** Conversation owner: queue memory extraction of the new messages now (ignores thresholds and memory_enabled). */
  @Post(':id/memories/extract')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MemoryJobAcceptedDto })
  extract(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MemoryJobAcceptedDto> {
    return this.memories.requestExtraction(actor, id);
  }
}
