import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, InvalidError, NotFoundError, UnprocessableError } from '../../common/errors/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { AnalyticsEventType } from '../analytics/entities/analytics.enums.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { ApiKeyUsePurpose } from '../api-keys/api-keys.enums.js';
import { ApiKey } from '../api-keys/entities/api-key.entity.js';
import { User } from '../identity/entities/user.entity.js';
import { estimateTokens } from '../knowledge/activation/activation-engine.js';
import { PersonasService } from '../personas/personas.service.js';
import {
  AuthorKind,
  ConversationStatus,
  ConversationType,
  DeliveryStatus,
  GenerationStatus,
  MessageType,
  ParticipantRole,
} from './chat.enums.js';
import { ConversationPolicy } from './conversation.policy.js';
import { type ConversationAccess, ConversationsService, userDisplayName } from './conversations.service.js';
import {
  type EditMessageResponseDto,
  type MessageEditResponseDto,
  type MessagePageDto,
  type MessageResponseDto,
  type SendMessageResponseDto,
  toMessageEditResponse,
  toMessageResponse,
} from './dto/chat-response.dto.js';
import type { EditMessageDto, ListMessagesDto, SendMessageDto } from './dto/message.dto.js';
import { Conversation } from './entities/conversation.entity.js';
import { ConversationParticipant } from './entities/conversation-participant.entity.js';
import { MessageAlternative } from './entities/message-alternative.entity.js';
import { MessageEdit } from './entities/message-edit.entity.js';
import { Message } from './entities/message.entity.js';
import { MessageExtrasService } from './message-extras.service.js';
import { GenerationService, type RequestMeta } from './generation/generation.service.js';
import { KeyResolver, type ResolvedKey } from './generation/key-resolver.service.js';
import { allocateMessageSeq } from './generation/message-seq.js';

const MESSAGE_PAGE = 50;
const MAX_THREAD_DEPTH = 8;
const MAX_EDITS = 100;
const OPEN_GENERATION = [GenerationStatus.Queued, GenerationStatus.Streaming];

@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly conversations: ConversationsService,
    private readonly personas: PersonasService,
    private readonly extras: MessageExtrasService,
    private readonly generation: GenerationService,
    private readonly keys: KeyResolver,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /** Keyset page by seq; items always ascending (chat.md §3.6). */
  async list(actor: Actor, conversationId: string, query: ListMessagesDto): Promise<MessagePageDto> {
    const em = this.dataSource.manager;
    const { facts } = await this.conversations.loadAccess(em, actor, conversationId);
    this.policy.assert(actor, 'read', facts);
    const limit = query.limit ?? MESSAGE_PAGE;
    const newer = query.direction === 'newer';
    const qb = em
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.conversation_id = :id', { id: conversationId });
    if (query.cursor) {
      const [seq] = decodeCursor(query.cursor, 1);
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) decodeCursor('!', 1);
      qb.andWhere(newer ? 'm.seq > :seq' : 'm.seq < :seq', { seq });
    }
    qb.orderBy('m.seq', newer ? 'ASC' : 'DESC').limit(limit + 1);
    const rows = await qb.getMany();
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const items = newer ? page : page.reverse();
    // older: the cursor points below the oldest item; newer: above the newest one, and is also given when the end
    // is reached so a client can poll for what arrives later
    let next: string | null = null;
    if (newer && items.length) next = encodeCursor([items[items.length - 1].seq]);
    else if (!newer && hasMore) next = encodeCursor([items[0].seq]);
    const extras = await this.extras.extrasFor(
      em,
      actor,
      items.map((m) => m.id),
    );
    return {
      items: items.map((m) => toMessageResponse(actor, m, extras.get(m.id))),
      next_cursor: next,
      has_more: hasMore,
    };
  }

  /**
   * POST /conversations/:id/messages (chat.md §3.4): a user message plus, per replying bot, a queued placeholder and
   * its alternative #0 — all in one transaction, seq allocated under the conversation row lock. Key and limit
   * pre-checks run before anything is inserted (a failed send leaves no rows); the wellbeing gate runs first
   * inside the transaction and its headers and `wellbeing` object pass through.
   */
  async send(
    actor: Actor,
    conversationId: string,
    dto: SendMessageDto,
    meta: RequestMeta = { requestId: '' },
  ): Promise<{ body: SendMessageResponseDto; headers: Record<string, string> }> {
    const type = dto.message_type ?? MessageType.Text;
    if ((type === MessageType.Text || type === MessageType.Code) && dto.content.trim() === '') {
      throw new InvalidError('VALIDATION_FAILED', 'The message is blank.', [
        { field: 'content', message: 'content must not be blank' },
      ]);
    }
    if ((type === MessageType.Image || type === MessageType.File) && !dto.media_ids?.length) {
      throw new UnprocessableError('ATTACHMENTS_REQUIRED', `A ${type} message needs at least one attachment.`);
    }
    // pre-checks, before anything is inserted (each limit check runs in its own transaction)
    const pre = await this.conversations.loadAccess(this.dataSource.manager, actor, conversationId);
    this.policy.assert(actor, 'post', pre.facts);
    this.assertNotArchived(pre.conv);
    // client mistakes answer the same with or without a usable key
    if (dto.persona_id) await this.personas.assertUsable(actor.id, dto.persona_id, this.dataSource.manager);
    if (dto.reply_to_message_id)
      await this.replyDepth(this.dataSource.manager, conversationId, dto.reply_to_message_id);
    const bots = await this.generation.replyingBots(this.dataSource.manager, actor, pre.conv, dto);
    let resolved: ResolvedKey | null = null;
    if (bots.length) {
      resolved = await this.keys.resolve(this.dataSource.manager, actor, pre.conv, dto);
      await this.generation.assertWithinLimits(
        resolved.key,
        ApiKeyUsePurpose.Chat,
        resolved.model,
        estimateTokens(dto.content) + 7,
      );
    } else if (dto.api_key_id) {
      const own = await this.dataSource.manager.existsBy(ApiKey, { id: dto.api_key_id, userId: actor.id });
      if (!own) throw new NotFoundError('API_KEY_NOT_FOUND');
    }

    const out = await this.dataSource.transaction(async (em) => {
      const { conv, facts } = await this.conversations.loadAccess(em, actor, conversationId, true);
      this.policy.assert(actor, 'post', facts);
      this.assertNotArchived(conv);
      const gate = await this.generation.evaluateGate(em, actor, {
        action: 'send',
        text: dto.content,
        conversationId,
        requestId: meta.requestId,
        acceptLanguage: meta.acceptLanguage ?? null,
      });
      const persona = dto.persona_id ? await this.personas.assertUsable(actor.id, dto.persona_id, em) : null;
      let depth = 0;
      if (dto.reply_to_message_id) {
        depth = await this.replyDepth(em, conversationId, dto.reply_to_message_id);
        await em
          .createQueryBuilder()
          .update(Message)
          .set({ replyCount: () => 'reply_count + 1' })
          .where({ id: dto.reply_to_message_id })
          .execute();
      }
      const seq = await allocateMessageSeq(em, conversationId);
      const isOwner = actor.id === conv.ownerUserId;
      const switched = isOwner && !!persona && persona.id !== conv.personaId;
      if (switched) {
        await em.update(Conversation, { id: conversationId }, { personaId: persona.id });
      }
      const user = persona ? null : await em.findOneByOrFail(User, { id: actor.id });
      const msg = await em.save(
        em.create(Message, {
          conversationId,
          seq,
          authorKind: AuthorKind.User,
          authorUserId: actor.id,
          personaId: persona?.id ?? null,
          authorName: persona ? persona.name.slice(0, 100) : userDisplayName(user!),
          messageType: type,
          content: dto.content,
          replyToMessageId: dto.reply_to_message_id ?? null,
          threadDepth: depth,
          deliveryStatus: DeliveryStatus.Sent,
        }),
      );
      await this.extras.attach(em, actor, conv, msg, dto.media_ids ?? []);
      await em
        .createQueryBuilder()
        .update(ConversationParticipant)
        .set({ lastReadSeq: () => `GREATEST(last_read_seq, ${Number(seq)})` })
        .where({ conversationId, userId: actor.id })
        .execute();
      await this.recordSent(em, actor, conv, msg, bots[0]?.id, switched);
      const replies = resolved
        ? await this.generation.insertPlaceholders(em, actor, conv, bots, resolved, allocateMessageSeq)
        : [];
      return { id: msg.id, replies, gate };
    });
    const message = await this.dataSource.manager.findOneByOrFail(Message, { id: out.id });
    const extras = await this.extras.extrasFor(this.dataSource.manager, actor, [out.id]);
    const body: SendMessageResponseDto = {
      message: toMessageResponse(actor, message, extras.get(out.id)),
      replies: out.replies,
    };
    if (out.gate.wellbeing) body.wellbeing = out.gate.wellbeing;
    return { body, headers: out.gate.headers };
  }

  /** Analytics of an accepted user message: `message_sent`, and `persona_used` (switch) when it changed the persona. */
  private async recordSent(
    em: EntityManager,
    actor: Actor,
    conv: Conversation,
    msg: Message,
    replyingBotId: string | undefined,
    switched: boolean,
  ): Promise<void> {
    let botId: string | null = null;
    if (conv.conversationType !== ConversationType.GroupChat) {
      botId =
        replyingBotId ??
        (
          await em.findOne(ConversationParticipant, {
            where: { conversationId: conv.id, role: ParticipantRole.Primary, isActive: true },
          })
        )?.botId ??
        null;
    }
    await this.analytics.record(em, {
      type: AnalyticsEventType.MessageSent,
      idempotencyKey: `msg:${msg.id}`,
      actorUserId: actor.id,
      conversationId: conv.id,
      messageId: msg.id,
      personaId: msg.personaId,
      botId,
    });
    if (switched && msg.personaId) {
      await this.analytics.record(em, {
        type: AnalyticsEventType.PersonaUsed,
        idempotencyKey: `persona:${conv.id}:${msg.personaId}:${msg.id}`,
        actorUserId: actor.id,
        personaId: msg.personaId,
        conversationId: conv.id,
        botId,
        properties: { reason: 'switch' },
      });
    }
  }

  /** thread_depth of a reply to `parentId`: same conversation and at most 8 deep, else 422 INVALID_REPLY_TARGET. */
  private async replyDepth(em: EntityManager, conversationId: string, parentId: string): Promise<number> {
    const parent = await em.findOne(Message, { where: { id: parentId } });
    if (!parent || parent.conversationId !== conversationId) {
      throw new UnprocessableError('INVALID_REPLY_TARGET', 'The reply target is not in this conversation.');
    }
    if (parent.threadDepth + 1 > MAX_THREAD_DEPTH) {
      throw new UnprocessableError('INVALID_REPLY_TARGET', `Threads are at most ${MAX_THREAD_DEPTH} deep.`);
    }
    return parent.threadDepth + 1;
  }

  private assertNotArchived(conv: Conversation): void {
    if (conv.status === ConversationStatus.Archived) {
      throw new ConflictError('CONVERSATION_ARCHIVED', 'Unarchive the conversation to post.');
    }
  }

  async get(actor: Actor, id: string): Promise<MessageResponseDto> {
    const { msg } = await this.loadMessage(this.dataSource.manager, actor, id);
    const extras = await this.extras.extrasFor(this.dataSource.manager, actor, [id]);
    return toMessageResponse(actor, msg, extras.get(id));
  }

  /** PATCH /messages/:id: history row first, then the new content (chat.md §3.4 Edit). */
  async edit(
    actor: Actor,
    id: string,
    dto: EditMessageDto,
    meta: RequestMeta = { requestId: '' },
  ): Promise<{ body: EditMessageResponseDto; headers: Record<string, string> }> {
    const gate = await this.dataSource.transaction(async (em) => {
      const { msg, access } = await this.loadMessage(em, actor, id, true);
      this.policy.assertMessage(actor, 'edit', access.facts, msg);
      if (msg.editCount >= MAX_EDITS) throw new ConflictError('EDIT_LIMIT', `At most ${MAX_EDITS} edits.`);
      if (
        msg.authorKind === AuthorKind.User &&
        (msg.messageType === MessageType.Text || msg.messageType === MessageType.Code) &&
        dto.content.trim() === ''
      ) {
        throw new InvalidError('VALIDATION_FAILED', 'The message is blank.', [
          { field: 'content', message: 'content must not be blank' },
        ]);
      }
      await em.insert(MessageEdit, {
        messageId: msg.id,
        previousContent: msg.content,
        editedByUserId: actor.id,
        editReason: dto.edit_reason ?? null,
      });
      await em
        .createQueryBuilder()
        .update(Message)
        .set({ content: dto.content, editedAt: () => 'now()', editCount: () => 'edit_count + 1' })
        .where({ id: msg.id })
        .execute();
      if (msg.authorKind === AuthorKind.Bot && msg.activeAlternativeId) {
        await em.update(MessageAlternative, { id: msg.activeAlternativeId }, { content: dto.content });
      }
      if (msg.authorKind !== AuthorKind.User) return null;
      return this.generation.scanEdit(em, actor, {
        text: dto.content,
        conversationId: msg.conversationId,
        requestId: meta.requestId,
        acceptLanguage: meta.acceptLanguage ?? null,
      });
    });
    const body: EditMessageResponseDto = await this.get(actor, id);
    if (gate?.wellbeing) body.wellbeing = gate.wellbeing;
    return { body, headers: gate?.headers ?? {} };
  }

  async edits(actor: Actor, id: string): Promise<MessageEditResponseDto[]> {
    const em = this.dataSource.manager;
    await this.loadMessage(em, actor, id);
    const rows = await em.find(MessageEdit, { where: { messageId: id }, order: { createdAt: 'DESC', id: 'DESC' } });
    return rows.map(toMessageEditResponse);
  }

  /** DELETE /messages/:id: counters and the parent's reply_count in the same transaction. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { msg, access } = await this.loadMessage(em, actor, id, true);
      this.policy.assertMessage(actor, 'delete', access.facts, msg);
      if (msg.generationStatus && OPEN_GENERATION.includes(msg.generationStatus)) {
        throw new ConflictError('GENERATION_IN_PROGRESS', 'Wait for the reply to finish or cancel it.');
      }
      await em.delete(Message, { id: msg.id });
      await em
        .createQueryBuilder()
        .update(Conversation)
        .set({ messageCount: () => 'message_count - 1' })
        .where({ id: msg.conversationId })
        .execute();
      if (msg.replyToMessageId) {
        await em
          .createQueryBuilder()
          .update(Message)
          .set({ replyCount: () => 'GREATEST(reply_count - 1, 0)' })
          .where({ id: msg.replyToMessageId })
          .execute();
      }
    });
  }

  /** DELETE /conversations/:id/messages?from_seq=N ("rewind"): owner only; counters in the same transaction. */
  async truncate(actor: Actor, conversationId: string, fromSeq: number): Promise<{ deleted: number }> {
    return this.dataSource.transaction(async (em) => {
      const { facts } = await this.conversations.loadAccess(em, actor, conversationId, true);
      this.policy.assert(actor, 'update', facts);
      const open = await em
        .createQueryBuilder(Message, 'm')
        .where('m.conversation_id = :id AND m.seq >= :from', { id: conversationId, from: fromSeq })
        .andWhere(`m.generation_status IN ('queued', 'streaming')`)
        .getExists();
      if (open) throw new ConflictError('GENERATION_IN_PROGRESS', 'Wait for the reply to finish or cancel it.');
      // replies that go keep their surviving parents' reply_count in step
      await em.query(
        `UPDATE messages p SET reply_count = GREATEST(p.reply_count - x.n, 0)
           FROM (SELECT reply_to_message_id AS id, count(*)::int AS n FROM messages
                  WHERE conversation_id = $1 AND seq >= $2 AND reply_to_message_id IS NOT NULL GROUP BY 1) x
          WHERE p.id = x.id AND p.seq < $2`,
        [conversationId, fromSeq],
      );
      const [row] = await em.query<{ n: number }[]>(
        `WITH d AS (DELETE FROM messages WHERE conversation_id = $1 AND seq >= $2 RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
        [conversationId, fromSeq],
      );
      const deleted = Number(row?.n ?? 0);
      if (deleted > 0) {
        await em
          .createQueryBuilder()
          .update(Conversation)
          .set({ messageCount: () => `message_count - ${deleted}` })
          .where({ id: conversationId })
          .execute();
      }
      return { deleted };
    });
  }

  // ---- helpers ----

  /** Message plus the caller's access to its conversation; unreadable → 404 MESSAGE_NOT_FOUND. */
  private async loadMessage(
    em: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<{ msg: Message; access: ConversationAccess }> {
    let msg = await em.findOne(Message, { where: { id } });
    if (!msg) throw new NotFoundError('MESSAGE_NOT_FOUND');
    // writers lock the conversation row first, then the message (the order send uses), so they cannot deadlock
    const access = await this.conversations.loadAccess(em, actor, msg.conversationId, lock);
    if (!this.policy.can(actor, 'read', access.facts)) throw new NotFoundError('MESSAGE_NOT_FOUND');
    if (lock) {
      msg = await em.findOne(Message, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!msg) throw new NotFoundError('MESSAGE_NOT_FOUND');
    }
    return { msg, access };
  }
}
