import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PersonasModule } from '../personas/personas.module.js';
import { ConversationPolicy } from './conversation.policy.js';
import { ConversationsController } from './conversations.controller.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationParticipant } from './entities/conversation-participant.entity.js';
import { Conversation } from './entities/conversation.entity.js';
import { MessageAlternative } from './entities/message-alternative.entity.js';
import { MessageEdit } from './entities/message-edit.entity.js';
import { Message } from './entities/message.entity.js';
import { MessageSearchService } from './message-search.service.js';
import { MessageSearchController, MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';
import { ParticipantsService } from './participants.service.js';

/** Conversations, participants, messages, edit history and message search (chat.md §1–§3, §5). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, ConversationParticipant, Message, MessageAlternative, MessageEdit]),
    PersonasModule,
  ],
  controllers: [ConversationsController, MessagesController, MessageSearchController],
  providers: [ConversationsService, MessagesService, MessageSearchService, ParticipantsService, ConversationPolicy],
  exports: [ConversationsService, MessagesService],
})
export class ChatModule {}
