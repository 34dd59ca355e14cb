import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../media/media.module.js';
import { PersonasModule } from '../personas/personas.module.js';
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
import { ChatJsonlController } from './interop/chat-jsonl.controller.js';
import { ChatJsonlService } from './interop/chat-jsonl.service.js';
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
  ],
  controllers: [ConversationsController, MessagesController, MessageSearchController, ChatJsonlController],
  providers: [
    ConversationsService,
    MessagesService,
    MessageSearchService,
    MessageExtrasService,
    ParticipantsService,
    ConversationPolicy,
    ChatJsonlService,
  ],
  exports: [ConversationsService, MessagesService],
})
export class ChatModule {}
