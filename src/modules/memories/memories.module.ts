import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { PersonasModule } from '../personas/personas.module.js';
import { MemoryBot } from './entities/memory-bot.entity.js';
import { MemoryPersona } from './entities/memory-persona.entity.js';
import { Memory } from './entities/memory.entity.js';
import { MemoryProcessor } from './jobs/memory.processor.js';
import { ConversationMemoriesController, MemoriesController } from './memories.controller.js';
import { MemoriesService } from './memories.service.js';
import { MemoryConsolidationService } from './memory-consolidation.service.js';
import { MemoryExtractionService } from './memory-extraction.service.js';
import { MemoryExtractionTrigger } from './memory-extraction.trigger.js';
import { MemoryPolicy } from './memory.policy.js';
import { MemoryRetrieval } from './memory-retrieval.service.js';

/**
 * Memories (chat.md §4): CRUD, promotion to knowledge, extraction and consolidation on the `memory` queue, and the
 * two services the chat generation path calls — MemoryRetrieval (prompt assembly) and MemoryExtractionTrigger (after
 * a completed reply). Reads conversations and messages through chat's entities; never imports ChatModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Memory, MemoryBot, MemoryPersona]),
    ApiKeysModule,
    KnowledgeModule,
    PersonasModule,
  ],
  controllers: [MemoriesController, ConversationMemoriesController],
  providers: [
    MemoryPolicy,
    MemoriesService,
    MemoryRetrieval,
    MemoryExtractionTrigger,
    MemoryExtractionService,
    MemoryConsolidationService,
    MemoryProcessor,
  ],
  exports: [MemoryRetrieval, MemoryExtractionTrigger],
})
export class MemoriesModule {
  constructor(registry: JobHandlerRegistry, processor: MemoryProcessor) {
    registry.register(processor);
  }
}
