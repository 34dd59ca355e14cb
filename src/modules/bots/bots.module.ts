import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { ShareableResourceRegistry } from '../access/shareable-resource.registry.js';
import { MediaModule } from '../media/media.module.js';
import { BotDeletionHooks } from './bot-deletion.hooks.js';
import { BotShareableAdapter } from './bot-shareable.adapter.js';
import { BotPolicy } from './bot.policy.js';
import { BotsController, CreatorBotsController } from './bots.controller.js';
import { BotsService } from './bots.service.js';
import { BotInteraction } from './entities/bot-interaction.entity.js';
import { BotViewBuffer, BotViewMark } from './entities/bot-view.entity.js';
import { Bot } from './entities/bot.entity.js';
import { BotsProcessor } from './jobs/bots.processor.js';

@Module({
  imports: [TypeOrmModule.forFeature([Bot, BotInteraction, BotViewBuffer, BotViewMark]), MediaModule],
  controllers: [BotsController, CreatorBotsController],
  providers: [BotsService, BotPolicy, BotsProcessor, BotShareableAdapter, BotDeletionHooks],
  exports: [BotsService, BotPolicy, BotDeletionHooks],
})
export class BotsModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobHandlerRegistry,
    private readonly shareables: ShareableResourceRegistry,
    private readonly processor: BotsProcessor,
    private readonly adapter: BotShareableAdapter,
  ) {}

  onModuleInit(): void {
    this.jobs.register(this.processor);
    this.shareables.register(this.adapter);
  }
}
