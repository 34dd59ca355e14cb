import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { KnowledgeActivationService } from './activation/knowledge-activation.service.js';
import { BotKnowledgeController } from './bot-knowledge.controller.js';
import { CardLoreService } from './card-lore.service.js';
import { EmbeddingBackend, PostgresFullTextBackend } from './embedding/embedding-backend.js';
import { BotKnowledgeCollection } from './entities/bot-knowledge-collection.entity.js';
import { KnowledgeActivationLog } from './entities/knowledge-activation-log.entity.js';
import { KnowledgeBotFilter } from './entities/knowledge-bot-filter.entity.js';
import { KnowledgeCollection } from './entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from './entities/knowledge-entry.entity.js';
import { KnowledgePersonaFilter } from './entities/knowledge-persona-filter.entity.js';
import { KnowledgeProcessor } from './jobs/knowledge.processor.js';
import { KnowledgeBotsGateway } from './knowledge-bots.gateway.js';
import { KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { KnowledgeCollectionsController } from './knowledge-collections.controller.js';
import { KnowledgeCollectionsService } from './knowledge-collections.service.js';
import { KnowledgeEntriesController } from './knowledge-entries.controller.js';
import { KnowledgeEntriesService } from './knowledge-entries.service.js';
import { KnowledgeLinksService } from './knowledge-links.service.js';
import { WorldbookService } from './worldbook/worldbook.service.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Lore books, entries, bot links and the activation engine (knowledge.md). Exports KnowledgeActivationService for the
 * prompt assembler and KnowledgeEntriesService/KnowledgeCollectionsService for memory promotion.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      KnowledgeCollection,
      KnowledgeEntry,
      KnowledgeBotFilter,
      KnowledgePersonaFilter,
      BotKnowledgeCollection,
      KnowledgeActivationLog,
    ]),
  ],
  controllers: [KnowledgeCollectionsController, KnowledgeEntriesController, BotKnowledgeController],
  providers: [
    KnowledgeCollectionPolicy,
    KnowledgeBotsGateway,
    KnowledgeCollectionsService,
    KnowledgeEntriesService,
    KnowledgeLinksService,
    KnowledgeActivationService,
    WorldbookService,
    CardLoreService,
    KnowledgeProcessor,
    { provide: EmbeddingBackend, useClass: PostgresFullTextBackend },
  ],
  exports: [KnowledgeActivationService, KnowledgeCollectionsService, KnowledgeEntriesService, CardLoreService],
})
export class KnowledgeModule implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly processor: KnowledgeProcessor,
    private readonly jobs: JobQueue,
  ) {
    this.registry.register(this.processor);
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.schedule('knowledge.prune-activation-logs', {}, DAY_MS, 'knowledge-prune-activation-logs');
  }
}
