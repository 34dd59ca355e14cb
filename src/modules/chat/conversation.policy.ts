import { Injectable } from '@nestjs/common';
import { type Actor, isAdmin } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { AuthorKind, GenerationStatus } from './chat.enums.js';

export type ConversationAction = 'read' | 'update' | 'manage_participants' | 'post' | 'leave' | 'delete';
export type MessageAction = 'edit' | 'delete' | 'select_alternative' | 'generate';

/** What the rules read about a conversation and the caller's place in it. */
export interface ConversationFacts {
  ownerUserId: string;
  /** The caller has an active `member` participant row (group chats). */
  isActiveMember: boolean;
}

/** What the rules read about a message. */
export interface MessageFacts {
  authorKind: AuthorKind;
  authorUserId: string | null;
  generationStatus: GenerationStatus | null;
  /** Whose key generated a bot reply (select alternative: that user or the conversation owner). */
  requestedByUserId?: string | null;
}

/**
 * chat.md §1.4 and §3.3 as code. Pure. Moderators get nothing special (private conversations); admins read and
 * delete but never write. Not readable → 404, readable but not allowed → 403.
 */
@Injectable()
export class ConversationPolicy {
  can(actor: Actor, action: ConversationAction, conv: ConversationFacts): boolean {
    const owner = actor.id === conv.ownerUserId;
    const member = !owner && conv.isActiveMember;
    switch (action) {
      case 'read':
        return owner || member || isAdmin(actor);
      case 'update':
      case 'manage_participants':
        return owner;
      case 'post':
        return owner || member;
      case 'leave':
        return member;
      case 'delete':
        return owner || isAdmin(actor);
    }
  }

  assert(actor: Actor, action: ConversationAction, conv: ConversationFacts): void {
    if (!this.can(actor, 'read', conv)) throw new NotFoundError('CONVERSATION_NOT_FOUND');
    if (!this.can(actor, action, conv)) {
      throw new ForbiddenError('CONVERSATION_FORBIDDEN', `You may not ${action.replace(/_/g, ' ')} this conversation.`);
    }
  }

  canMessage(actor: Actor, action: MessageAction, conv: ConversationFacts, msg: MessageFacts): boolean {
    const owner = actor.id === conv.ownerUserId;
    const participant = owner || conv.isActiveMember;
    const author = msg.authorKind === AuthorKind.User && msg.authorUserId === actor.id;
    switch (action) {
      case 'edit':
        if (!participant) return false;
        if (msg.authorKind === AuthorKind.User) return author;
        if (msg.authorKind === AuthorKind.Bot) return owner && msg.generationStatus === GenerationStatus.Completed;
        return false;
      case 'delete':
        return participant && (owner || author);
      case 'select_alternative':
      case 'generate': // regenerate, stream, cancel (chat.md §3.3)
        return participant && (owner || (!!msg.requestedByUserId && msg.requestedByUserId === actor.id));
    }
  }

  /** Message not readable → 404 MESSAGE_NOT_FOUND; readable but not allowed → 403 MESSAGE_FORBIDDEN. */
  assertMessage(actor: Actor, action: MessageAction, conv: ConversationFacts, msg: MessageFacts): void {
    if (!this.can(actor, 'read', conv)) throw new NotFoundError('MESSAGE_NOT_FOUND');
    if (!this.canMessage(actor, action, conv, msg)) {
      throw new ForbiddenError('MESSAGE_FORBIDDEN', `You may not ${action.replace(/_/g, ' ')} this message.`);
    }
  }
}
