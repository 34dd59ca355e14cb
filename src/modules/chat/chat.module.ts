import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { BotsModule } from '../bots/bots.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { MediaModule } from '../media/media.module.js';
import { MemoriesModule } from '../memories/memories.module.js';
import { PersonasModule } from '../personas/personas.module.js';
import { WellbeingModule } from '../wellbeing/wellbeing.module.js';
import { ConversationPolicy } from './conversation.policy.js';
import { ConversationsController } from './conversations.controller.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationParticipant } from './entities/conversation-participant.entity.js';
import { Conversation } from './entities/conversation.entity.js';
import { MessageAlternative } from './entities/message-alternative.entity.js';
import { MessageAttachment } from './entities/message-attachment.entity.js';
import { MessageEdit } from './entities/message-edit.entity.js';
import { MessageReaction } from './entities/message-reaction.entity.js';
import { Message } from './entities/message.entity.js';
import { GenerationController } from './generation/generation.controller.js';
import { GenerationPersistence } from './generation/generation-persistence.service.js';
import { GenerationRegistry } from './generation/generation.registry.js';
import { GenerationStreamService } from './generation/generation-stream.service.js';
import { GenerationService } from './generation/generation.service.js';
import { KeyResolver } from './generation/key-resolver.service.js';
import { PromptAssembler } from './generation/prompt-assembler.service.js';
import { PromptPreviewController } from './generation/prompt-preview.controller.js';
import { PromptPreviewService } from './generation/prompt-preview.service.js';
import { TokenCounter } from './generation/token-counter.js';
import { TiktokenTokenCounter } from './generation/tiktoken-token-counter.js';
import { ChatJsonlController } from './interop/chat-jsonl.controller.js';
import { ChatCountersService } from './jobs/chat-counters.service.js';
import { ChatProcessor } from './jobs/chat.processor.js';
import { StaleGenerationSweeper } from './jobs/stale-generation-sweeper.service.js';
import { ChatJsonlService } from './interop/chat-jsonl.service.js';
import { MessageAlternativesController } from './message-alternatives.controller.js';
import { MessageAlternativesService } from './message-alternatives.service.js';
import { MessageExtrasService } from './message-extras.service.js';
import { MessageSearchService } from './message-search.service.js';
import { MessageSearchController, MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';
import { ParticipantsService } from './participants.service.js';

/** Conversations, participants, messages, edit history and message search (chat.md §1–§3, §5). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Conversation,
      ConversationParticipant,
      Message,
      MessageAlternative,
      MessageEdit,
      MessageAttachment,
      MessageReaction,
    ]),
    PersonasModule,
    MediaModule,
    BotsModule,
    ApiKeysModule,
    KnowledgeModule,
    MemoriesModule,
    WellbeingModule,
  ],
  controllers: [
    ConversationsController,
    MessagesController,
    MessageAlternativesController,
    MessageSearchController,
    ChatJsonlController,
    GenerationController,
    PromptPreviewController,
  ],
  providers: [
    ConversationsService,
    MessagesService,
    MessageSearchService,
    MessageExtrasService,
    MessageAlternativesService,
    ChatCountersService,
    StaleGenerationSweeper,
    ChatProcessor,
    ParticipantsService,
    ConversationPolicy,
    ChatJsonlService,
    KeyResolver,
    { provide: TokenCounter, useClass: TiktokenTokenCounter },
    PromptAssembler,
    PromptPreviewService,
    GenerationRegistry,
    GenerationPersistence,
    GenerationService,
    GenerationStreamService,
  ],
  exports: [ConversationsService, MessagesService],
})
export class ChatModule {}
