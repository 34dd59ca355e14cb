import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../../knowledge/knowledge.module.js';
import { MediaModule } from '../../media/media.module.js';
import { BotsModule } from '../bots.module.js';
import { CardInteropController } from './card-interop.controller.js';
import { CardInteropService } from './card-interop.service.js';

/**
 * Character Card V2/V3 import and export (interop.md §1–§4). A module of its own beside the bots module because it
 * needs the bots, knowledge (lore books) and media services together.
 */
@Module({
  imports: [BotsModule, KnowledgeModule, MediaModule],
  controllers: [CardInteropController],
  providers: [CardInteropService],
})
export class InteropModule {}
