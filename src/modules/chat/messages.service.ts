import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, InvalidError, NotFoundError, UnprocessableError } from '../../common/errors/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { User } from '../identity/entities/user.entity.js';
import { PersonasService } from '../personas/personas.service.js';
import { AuthorKind, ConversationStatus, DeliveryStatus, GenerationStatus, MessageType } from './chat.enums.js';
import { ConversationPolicy } from './conversation.policy.js';
import { type ConversationAccess, ConversationsService, userDisplayName } from './conversations.service.js';
import {
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

  /** POST /conversations/:id/messages: a user message; seq allocated under the conversation row lock. */
  async send(actor: Actor, conversationId: string, dto: SendMessageDto): Promise<SendMessageResponseDto> {
    const type = dto.message_type ?? MessageType.Text;
    if ((type === MessageType.Text || type === MessageType.Code) && dto.content.trim() === '') {
      throw new InvalidError('VALIDATION_FAILED', 'The message is blank.', [
        { field: 'content', message: 'content must not be blank' },
      ]);
    }
    if ((type === MessageType.Image || type === MessageType.File) && !dto.media_ids?.length) {
      throw new UnprocessableError('ATTACHMENTS_REQUIRED', `A ${type} message needs at least one attachment.`);
    }
    const id = await this.dataSource.transaction(async (em) => {
      const { conv, facts } = await this.conversations.loadAccess(em, actor, conversationId, true);
      this.policy.assert(actor, 'post', facts);
      if (conv.status === ConversationStatus.Archived) {
        throw new ConflictError('CONVERSATION_ARCHIVED', 'Unarchive the conversation to post.');
      }
      const persona = dto.persona_id ? await this.personas.assertUsable(actor.id, dto.persona_id, em) : null;
      let depth = 0;
      if (dto.reply_to_message_id) {
        const parent = await em.findOne(Message, { where: { id: dto.reply_to_message_id } });
        if (!parent || parent.conversationId !== conversationId) {
          throw new UnprocessableError('INVALID_REPLY_TARGET', 'The reply target is not in this conversation.');
        }
        if (parent.threadDepth + 1 > MAX_THREAD_DEPTH) {
          throw new UnprocessableError('INVALID_REPLY_TARGET', `Threads are at most ${MAX_THREAD_DEPTH} deep.`);
        }
        depth = parent.threadDepth + 1;
        await em
          .createQueryBuilder()
          .update(Message)
          .set({ replyCount: () => 'reply_count + 1' })
          .where({ id: parent.id })
          .execute();
      }
      const seq = await this.allocateSeq(em, conversationId);
      const isOwner = actor.id === conv.ownerUserId;
      if (isOwner && persona && persona.id !== conv.personaId) {
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
      return msg.id;
    });
    const message = await this.dataSource.manager.findOneByOrFail(Message, { id });
    const extras = await this.extras.extrasFor(this.dataSource.manager, actor, [id]);
    return { message: toMessageResponse(actor, message, extras.get(id)), replies: [] };
  }

  async get(actor: Actor, id: string): Promise<MessageResponseDto> {
    const { msg } = await this.loadMessage(this.dataSource.manager, actor, id);
    const extras = await this.extras.extrasFor(this.dataSource.manager, actor, [id]);
    return toMessageResponse(actor, msg, extras.get(id));
  }

  /** PATCH /messages/:id: history row first, then the new content (chat.md §3.4 Edit). */
  async edit(actor: Actor, id: string, dto: EditMessageDto): Promise<MessageResponseDto> {
    await this.dataSource.transaction(async (em) => {
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
    });
    return this.get(actor, id);
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

  /**
   * `UPDATE … SET last_message_seq = last_message_seq + 1 … RETURNING`: the row lock serialises writers of one
   * conversation, so seq is gap-free at insert time and message_count stays exact.
   */
  private async allocateSeq(em: EntityManager, conversationId: string): Promise<number> {
    const out: unknown = await em.query(
      `UPDATE conversations
          SET last_message_seq = last_message_seq + 1, message_count = message_count + 1, last_activity_at = now()
        WHERE id = $1
      RETURNING last_message_seq`,
      [conversationId],
    );
    // node-postgres answers UPDATE … RETURNING with [rows, rowCount]; the embedded driver with the rows
    const rows = (Array.isArray(out) && Array.isArray(out[0]) ? out[0] : out) as {
      last_message_seq: string | number;
    }[];
    const raw = rows[0];
    return Number(raw.last_message_seq);
  }

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
