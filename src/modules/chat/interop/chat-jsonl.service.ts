import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { canUse, shareable } from '../../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../../common/access/access.enums.js';
import { AccessPolicy } from '../../../common/access/access.policy.js';
import type { Actor } from '../../../common/auth/actor.js';
import { NotFoundError } from '../../../common/errors/app-error.js';
import { Bot } from '../../bots/entities/bot.entity.js';
import { User } from '../../identity/entities/user.entity.js';
import { Persona } from '../../personas/entities/persona.entity.js';
import {
  AuthorKind,
  ConversationType,
  DeliveryStatus,
  GenerationStatus,
  MessageType,
  ParticipantKind,
  ParticipantRole,
} from '../chat.enums.js';
import { ConversationsService, userDisplayName } from '../conversations.service.js';
import type { ConversationResponseDto } from '../dto/chat-response.dto.js';
import { ConversationParticipant } from '../entities/conversation-participant.entity.js';
import { Conversation } from '../entities/conversation.entity.js';
import { MessageAlternative } from '../entities/message-alternative.entity.js';
import { Message } from '../entities/message.entity.js';
import { type ExportLine, type ParsedChatLog, parseChatJsonl, toJsonl } from './chat-jsonl.js';

const CHUNK = 500;

/** SillyTavern JSONL chat logs: export a conversation, import one as a new conversation (interop.md §3). */
@Injectable()
export class ChatJsonlService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly conversations: ConversationsService,
  ) {}

  /** The owner's conversation as JSONL; anyone else (admins included) → 404 CONVERSATION_NOT_FOUND. */
  async export(actor: Actor, id: string): Promise<{ body: string; filename: string }> {
    const em = this.dataSource.manager;
    const conv = await em.findOne(Conversation, { where: { id, ownerUserId: actor.id } });
    if (!conv) throw new NotFoundError('CONVERSATION_NOT_FOUND');
    const [owner, persona, primary, messages] = await Promise.all([
      em.findOneByOrFail(User, { id: actor.id }),
      conv.personaId ? em.findOne(Persona, { where: { id: conv.personaId } }) : Promise.resolve(null),
      em.findOne(ConversationParticipant, {
        where: { conversationId: id, role: ParticipantRole.Primary },
        relations: { bot: true },
      }),
      em.find(Message, { where: { conversationId: id }, order: { seq: 'ASC' } }),
    ]);
    const alts = messages.length
      ? await em.find(MessageAlternative, {
          where: {
            messageId: In(messages.filter((m) => m.authorKind === AuthorKind.Bot).map((m) => m.id)),
            generationStatus: GenerationStatus.Completed,
          },
          order: { position: 'ASC' },
        })
      : [];
    const byMessage = new Map<string, MessageAlternative[]>();
    for (const a of alts) byMessage.set(a.messageId, [...(byMessage.get(a.messageId) ?? []), a]);

    const userName = persona?.name ?? userDisplayName(owner);
    const characterName =
      primary?.bot?.name ?? messages.find((m) => m.authorKind === AuthorKind.Bot)?.authorName ?? 'Assistant';
    const lines: ExportLine[] = messages.map((m) => {
      const list = byMessage.get(m.id) ?? [];
      const active = list.findIndex((a) => a.id === m.activeAlternativeId);
      return {
        name: m.authorName,
        is_user: m.authorKind === AuthorKind.User,
        is_system: m.authorKind === AuthorKind.System,
        send_date: m.createdAt.toISOString(),
        mes: m.content,
        swipes: list.length ? list.map((a) => a.content) : [m.content],
        swipe_id: Math.max(0, active),
        extra: {},
      };
    });
    const header = {
      user_name: userName,
      character_name: characterName,
      create_date: conv.createdAt.toISOString(),
      chat_metadata: {},
    };
    return { body: toJsonl(header, lines), filename: `conversation-${conv.id}.jsonl` };
  }

  /**
   * Imports a JSONL chat log as a new single_bot conversation of the caller with `botId` as primary bot. One
   * transaction: conversation, participants, messages (seq 1..n), alternatives, counters. Bad lines → 422 and
   * nothing is written.
   */
  async import(actor: Actor, botId: string, text: string): Promise<ConversationResponseDto> {
    const log = parseChatJsonl(text);
    const id = await this.dataSource.transaction((em) => this.insert(em, actor, botId, log));
    return this.conversations.get(actor, id);
  }

  private async insert(em: EntityManager, actor: Actor, botId: string, log: ParsedChatLog): Promise<string> {
    const bot = await this.usableBot(em, actor, botId);
    const user = await em.findOneByOrFail(User, { id: actor.id });
    const n = log.messages.length;
    const conv = await em.save(
      em.create(Conversation, {
        ownerUserId: actor.id,
        title: null,
        conversationType: ConversationType.SingleBot,
        participantCount: 2,
        messageCount: n,
        lastMessageSeq: n,
      }),
    );
    await em.insert(ConversationParticipant, [
      { conversationId: conv.id, participantKind: ParticipantKind.User, userId: actor.id, role: ParticipantRole.Owner },
      { conversationId: conv.id, participantKind: ParticipantKind.Bot, botId: bot.id, role: ParticipantRole.Primary },
    ]);

    const userName = userDisplayName(user);
    const now = new Date();
    const messages: QueryDeepPartialEntity<Message>[] = [];
    const alternatives: QueryDeepPartialEntity<MessageAlternative>[] = [];
    log.messages.forEach((m, i) => {
      const id = randomUUID();
      const createdAt = m.sendDate ?? now;
      const base = { id, conversationId: conv.id, seq: i + 1, content: m.mes, createdAt };
      if (m.isUser) {
        messages.push({
          ...base,
          authorKind: AuthorKind.User,
          authorUserId: actor.id,
          authorName: m.name ?? userName,
          messageType: MessageType.Text,
          deliveryStatus: DeliveryStatus.Read,
        });
      } else if (m.isSystem) {
        messages.push({
          ...base,
          authorKind: AuthorKind.System,
          authorName: m.name ?? 'System',
          messageType: MessageType.System,
          deliveryStatus: DeliveryStatus.Read,
        });
      } else {
        const altIds = m.swipes.map(() => randomUUID());
        messages.push({
          ...base,
          authorKind: AuthorKind.Bot,
          botId: bot.id,
          authorName: m.name ?? bot.name.slice(0, 100),
          messageType: MessageType.Text,
          isAiGenerated: false,
          generationStatus: GenerationStatus.Completed,
          deliveryStatus: DeliveryStatus.Delivered,
          // deferred FK (chat.md §3): the alternative rows follow in the same transaction
          activeAlternativeId: altIds[m.swipeId],
          alternativeCount: m.swipes.length,
        });
        m.swipes.forEach((content, position) =>
          alternatives.push({
            id: altIds[position],
            messageId: id,
            position,
            content,
            generationStatus: GenerationStatus.Completed,
            createdAt,
          }),
        );
      }
    });
    for (let i = 0; i < messages.length; i += CHUNK) await em.insert(Message, messages.slice(i, i + CHUNK));
    for (let i = 0; i < alternatives.length; i += CHUNK) {
      await em.insert(MessageAlternative, alternatives.slice(i, i + CHUNK));
    }
    await em
      .createQueryBuilder()
      .update(Bot)
      .set({ conversationCount: () => 'conversation_count + 1' })
      .where({ id: bot.id })
      .execute();
    return conv.id;
  }

  /** A bot the caller may chat with (readable, not moderation-hidden unless theirs); else 404 BOT_NOT_FOUND. */
  private async usableBot(em: EntityManager, actor: Actor, botId: string): Promise<Bot> {
    const bot = await em.findOne(Bot, { where: { id: botId } });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const levels = await this.access.levelsFor(actor, [shareable(AccessResourceType.Bot, bot)], em);
    const hidden = bot.moderationStatus !== ModerationStatus.Visible && bot.ownerId !== actor.id;
    if (hidden || !canUse(levels.get(bot.id) ?? null)) throw new NotFoundError('BOT_NOT_FOUND');
    return bot;
  }
}
