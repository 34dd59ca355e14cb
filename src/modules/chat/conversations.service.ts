import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { shareable, canUse } from '../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../common/access/access.enums.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../common/errors/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import { ApiKeyStatus } from '../api-keys/api-keys.enums.js';
import { ApiKey } from '../api-keys/entities/api-key.entity.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { User } from '../identity/entities/user.entity.js';
import { Persona } from '../personas/entities/persona.entity.js';
import { PersonasService } from '../personas/personas.service.js';
import {
  AuthorKind,
  ConversationStatus,
  ConversationType,
  DeliveryStatus,
  GenerationStatus,
  MessageType,
  ParticipantKind,
  ParticipantRole,
} from './chat.enums.js';
import { type ConversationFacts, ConversationPolicy } from './conversation.policy.js';
import {
  type ConversationPageDto,
  type ConversationResponseDto,
  type ParticipantResponseDto,
  toConversationResponse,
  toParticipantResponse,
} from './dto/chat-response.dto.js';
import type {
  CreateConversationDto,
  ListConversationsDto,
  MarkReadDto,
  UpdateConversationDto,
} from './dto/conversation.dto.js';
import { ConversationParticipant } from './entities/conversation-participant.entity.js';
import { Conversation } from './entities/conversation.entity.js';
import { MessageAlternative } from './entities/message-alternative.entity.js';
import { Message } from './entities/message.entity.js';

/** The caller's view of one conversation: the row, their participant row, and the policy facts. */
export interface ConversationAccess {
  conv: Conversation;
  part: ConversationParticipant | null;
  facts: ConversationFacts;
}

/** Name a user shows as: nickname ?? display name ?? username (never the email). */
export const userDisplayName = (u: Pick<User, 'nickname' | 'displayName' | 'username'>): string =>
  (u.nickname ?? u.displayName ?? u.username).slice(0, 100);

const MAX_BOTS = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly access: AccessPolicy,
    private readonly personas: PersonasService,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /** Loads a conversation with the caller's participant row; missing → 404 CONVERSATION_NOT_FOUND. */
  async loadAccess(em: EntityManager, actor: Actor, id: string, lock = false): Promise<ConversationAccess> {
    const conv = await em.findOne(Conversation, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!conv) throw new NotFoundError('CONVERSATION_NOT_FOUND');
    const part = await em.findOne(ConversationParticipant, { where: { conversationId: id, userId: actor.id } });
    return {
      conv,
      part,
      facts: {
        ownerUserId: conv.ownerUserId,
        isActiveMember: !!part && part.isActive && part.role === ParticipantRole.Member,
      },
    };
  }

  async create(actor: Actor, dto: CreateConversationDto): Promise<ConversationResponseDto> {
    const id = await this.dataSource.transaction(async (em) => {
      const bots = await this.loadUsableBots(em, actor, dto.bot_ids);
      let type = dto.conversation_type ?? (bots.length > 1 ? ConversationType.MultiBot : ConversationType.SingleBot);
      if (type === ConversationType.SingleBot && bots.length > 1) {
        throw new UnprocessableError('INVALID_CONVERSATION_TYPE', 'single_bot allows exactly one bot.');
      }
      if (!dto.conversation_type && bots.length > 1) type = ConversationType.MultiBot;
      const persona = dto.persona_id ? await this.personas.assertUsable(actor.id, dto.persona_id, em) : null;
      if (dto.api_key_id) await this.assertOwnKey(em, actor, dto.api_key_id, true);
      const user = await em.findOneByOrFail(User, { id: actor.id });

      const conv = await em.save(
        em.create(Conversation, {
          ownerUserId: actor.id,
          title: dto.title ?? null,
          conversationType: type,
          personaId: persona?.id ?? null,
          apiKeyId: dto.api_key_id ?? null,
          model: dto.model ?? null,
          participantCount: 1 + bots.length,
        }),
      );
      await em.insert(ConversationParticipant, [
        {
          conversationId: conv.id,
          participantKind: ParticipantKind.User,
          userId: actor.id,
          role: ParticipantRole.Owner,
        },
        ...bots.map((b, i) => ({
          conversationId: conv.id,
          participantKind: ParticipantKind.Bot,
          botId: b.id,
          role: i === 0 ? ParticipantRole.Primary : ParticipantRole.Secondary,
        })),
      ]);

      const primary = bots[0];
      if (primary.greeting) {
        const userName = persona?.name ?? userDisplayName(user);
        const fill = (text: string) =>
          text
            .replace(/\{\{char\}\}/gi, primary.name)
            .replace(/\{\{user\}\}/gi, userName)
            .slice(0, 32000);
        const greetings = [primary.greeting, ...(primary.alternateGreetings ?? []).slice(0, 19)].map(fill);
        const msg = await em.save(
          em.create(Message, {
            conversationId: conv.id,
            seq: 1,
            authorKind: AuthorKind.Bot,
            botId: primary.id,
            authorName: primary.name.slice(0, 100),
            messageType: MessageType.Text,
            content: greetings[0],
            isAiGenerated: false,
            generationStatus: GenerationStatus.Completed,
            deliveryStatus: DeliveryStatus.Delivered,
            alternativeCount: greetings.length,
          }),
        );
        const alts = await em.save(
          greetings.map((content, position) =>
            em.create(MessageAlternative, {
              messageId: msg.id,
              position,
              content,
              generationStatus: GenerationStatus.Completed,
            }),
          ),
        );
        await em.update(Message, { id: msg.id }, { activeAlternativeId: alts[0].id });
        await em.update(Conversation, { id: conv.id }, { lastMessageSeq: 1, messageCount: 1 });
      }

      await em
        .createQueryBuilder()
        .update(Bot)
        .set({ conversationCount: () => 'conversation_count + 1' })
        .where({ id: In(bots.map((b) => b.id)) })
        .execute();
      if (persona) {
        await em
          .createQueryBuilder()
          .update(Persona)
          .set({ usageCount: () => 'usage_count + 1', lastUsedAt: () => 'now()' })
          .where({ id: persona.id })
          .execute();
      }
      await this.recordStarted(em, actor, conv.id, bots, persona?.id ?? null);
      return conv.id;
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, query: ListConversationsDto): Promise<ConversationPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .where(
        'EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.user_id = :me AND p.is_active)',
        { me: actor.id },
      );
    const status = query.status;
    if (!status) qb.andWhere(`c.status <> 'archived'`);
    else if (status !== 'all') qb.andWhere('c.status = :status', { status });
    if (query.bot_id) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM conversation_participants pb WHERE pb.conversation_id = c.id AND pb.bot_id = :bot)',
        { bot: query.bot_id },
      );
    }
    if (query.tag) qb.andWhere('c.tags @> ARRAY[:tag]::varchar(40)[]', { tag: query.tag });
    if (query.q) qb.andWhere('c.title ILIKE :q', { q: `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` });
    const pinned = `(c.status = 'pinned')`;
    if (query.cursor) {
      const [p, at, cid] = decodeCursor(query.cursor, 3);
      if (
        typeof p !== 'boolean' ||
        typeof at !== 'string' ||
        typeof cid !== 'string' ||
        isNaN(Date.parse(at)) ||
        !UUID.test(cid)
      ) {
        decodeCursor('!', 3);
      }
      qb.andWhere(
        `(${pinned}, c.last_activity_at, c.id) < (CAST(:cp AS boolean), CAST(:ca AS timestamptz), CAST(:ci AS uuid))`,
        {
          cp: p,
          ca: at,
          ci: cid,
        },
      );
    }
    qb.orderBy(pinned, 'DESC')
      .addOrderBy('c.last_activity_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    const rows = await qb.getMany();
    const hasMore = rows.length > limit;
    const items = hasMore ? rows.slice(0, limit) : rows;
    const parts = items.length
      ? await this.dataSource
          .getRepository(ConversationParticipant)
          .find({ where: { conversationId: In(items.map((c) => c.id)), userId: actor.id } })
      : [];
    const readSeq = new Map(parts.map((p) => [p.conversationId, p.lastReadSeq]));
    const last = items[items.length - 1];
    return {
      items: items.map((c) => toConversationResponse(actor, c, readSeq.get(c.id) ?? null)),
      next_cursor:
        hasMore && last
          ? encodeCursor([last.status === ConversationStatus.Pinned, last.lastActivityAt.toISOString(), last.id])
          : null,
    };
  }

  async get(actor: Actor, id: string): Promise<ConversationResponseDto> {
    const em = this.dataSource.manager;
    const { conv, part, facts } = await this.loadAccess(em, actor, id);
    this.policy.assert(actor, 'read', facts);
    return toConversationResponse(actor, conv, part?.lastReadSeq ?? null, await this.participants(em, id));
  }

  async listParticipants(actor: Actor, id: string): Promise<ParticipantResponseDto[]> {
    const em = this.dataSource.manager;
    const { facts } = await this.loadAccess(em, actor, id);
    this.policy.assert(actor, 'read', facts);
    return this.participants(em, id);
  }

  async update(actor: Actor, id: string, dto: UpdateConversationDto): Promise<ConversationResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { conv, facts } = await this.loadAccess(em, actor, id, true);
      this.policy.assert(actor, 'update', facts);
      if (dto.status === ConversationStatus.Archived && conv.status !== ConversationStatus.Archived) {
        await this.recordEnded(em, actor, id);
      }
      if (dto.title !== undefined) conv.title = dto.title;
      if (dto.status !== undefined) conv.status = dto.status;
      if (dto.persona_id !== undefined) {
        conv.personaId =
          dto.persona_id === null ? null : (await this.personas.assertUsable(actor.id, dto.persona_id, em)).id;
      }
      if (dto.api_key_id !== undefined) {
        if (dto.api_key_id !== null) await this.assertOwnKey(em, actor, dto.api_key_id, false);
        conv.apiKeyId = dto.api_key_id;
      }
      if (dto.model !== undefined) conv.model = dto.model;
      if (dto.temperature !== undefined) conv.temperature = dto.temperature === null ? null : String(dto.temperature);
      if (dto.max_output_tokens !== undefined) conv.maxOutputTokens = dto.max_output_tokens;
      if (dto.tags !== undefined) conv.tags = dto.tags;
      if (dto.allow_file_sharing !== undefined) conv.allowFileSharing = dto.allow_file_sharing;
      if (dto.message_retention_days !== undefined) conv.messageRetentionDays = dto.message_retention_days;
      if (dto.memory_enabled !== undefined) conv.memoryEnabled = dto.memory_enabled;
      if (dto.conversation_type !== undefined && dto.conversation_type !== conv.conversationType) {
        const counts = await em
          .createQueryBuilder(ConversationParticipant, 'p')
          .select(`count(*) FILTER (WHERE p.participant_kind = 'bot')`, 'bots')
          .addSelect(`count(*) FILTER (WHERE p.role = 'member')`, 'members')
          .where('p.conversation_id = :id AND p.is_active', { id })
          .getRawOne<{ bots: string; members: string }>();
        const bots = Number(counts?.bots ?? 0);
        const members = Number(counts?.members ?? 0);
        const t = dto.conversation_type;
        if ((t === ConversationType.SingleBot && bots > 1) || (t !== ConversationType.GroupChat && members > 0)) {
          throw new UnprocessableError('INVALID_CONVERSATION_TYPE', 'The type contradicts the participants.');
        }
        conv.conversationType = t;
      }
      // save() would also write the counters it loaded; only the settings change here
      await em.update(
        Conversation,
        { id },
        {
          title: conv.title,
          status: conv.status,
          personaId: conv.personaId,
          apiKeyId: conv.apiKeyId,
          model: conv.model,
          temperature: conv.temperature,
          maxOutputTokens: conv.maxOutputTokens,
          tags: conv.tags,
          allowFileSharing: conv.allowFileSharing,
          messageRetentionDays: conv.messageRetentionDays,
          memoryEnabled: conv.memoryEnabled,
          conversationType: conv.conversationType,
        },
      );
    });
    return this.get(actor, id);
  }

  /** Memories survive unlinked (FK SET NULL) unless `purgeMemories` (chat.md §1.5). */
  async remove(actor: Actor, id: string, purgeMemories = false): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { conv, facts } = await this.loadAccess(em, actor, id, true);
      this.policy.assert(actor, 'delete', facts);
      if (conv.status !== ConversationStatus.Archived) await this.recordEnded(em, actor, id);
      if (purgeMemories) await em.query(`DELETE FROM memories WHERE conversation_id = $1`, [id]);
      await em.delete(Conversation, { id });
    });
  }

  /** POST /conversations/:id/read: monotonic last_read_seq; others' messages ≤ seq become `read`. */
  async markRead(actor: Actor, id: string, dto: MarkReadDto): Promise<ConversationResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { conv, part, facts } = await this.loadAccess(em, actor, id);
      this.policy.assert(actor, 'post', facts);
      const seq = Math.min(dto.seq, conv.lastMessageSeq);
      await em
        .createQueryBuilder()
        .update(ConversationParticipant)
        .set({ lastReadSeq: () => 'GREATEST(last_read_seq, :seq)' })
        .where({ id: part!.id })
        .setParameter('seq', seq)
        .execute();
      await em
        .createQueryBuilder()
        .update(Message)
        .set({ deliveryStatus: DeliveryStatus.Read })
        .where('conversation_id = :id AND seq <= :seq', { id, seq })
        .andWhere(`delivery_status IN ('sent', 'delivered')`)
        .andWhere('(author_user_id IS DISTINCT FROM :me)', { me: actor.id })
        .andWhere(`(generation_status IS NULL OR generation_status = 'completed')`)
        .execute();
    });
    return this.get(actor, id);
  }

  // ---- helpers ----

  /** 1..8 distinct bots the caller may chat with, in request order; otherwise 404 BOT_NOT_FOUND. */
  /** analytics.md §1: one conversation_started per bot, and persona_used (reason start) with a persona. */
  private async recordStarted(
    em: EntityManager,
    actor: Actor,
    conversationId: string,
    bots: Bot[],
    personaId: string | null,
  ): Promise<void> {
    for (const bot of bots) {
      await this.analytics.record(em, {
        type: 'conversation_started',
        idempotencyKey: `conv_start:${conversationId}:${bot.id}`,
        actorUserId: actor.id,
        conversationId,
        botId: bot.id,
        personaId,
      });
    }
    if (personaId) {
      await this.analytics.record(em, {
        type: 'persona_used',
        idempotencyKey: `persona:${conversationId}:${personaId}:start`,
        actorUserId: actor.id,
        conversationId,
        botId: bots[0].id,
        personaId,
        properties: { reason: 'start' },
      });
    }
  }

  /** analytics.md §1: conversation_ended (archived or deleted), one per bot that took part. */
  private async recordEnded(em: EntityManager, actor: Actor, conversationId: string): Promise<void> {
    const rows = (await em.query(
      `SELECT DISTINCT bot_id FROM conversation_participants WHERE conversation_id = $1 AND bot_id IS NOT NULL`,
      [conversationId],
    )) as { bot_id: string }[];
    const epoch = Math.floor(Date.now() / 1000);
    for (const { bot_id: botId } of rows) {
      await this.analytics.record(em, {
        type: 'conversation_ended',
        idempotencyKey: `conv_end:${conversationId}:${botId}:${epoch}`,
        actorUserId: actor.id,
        conversationId,
        botId,
      });
    }
  }

  private async loadUsableBots(em: EntityManager, actor: Actor, ids: string[]): Promise<Bot[]> {
    if (ids.length > MAX_BOTS) throw new UnprocessableError('PARTICIPANT_LIMIT', `At most ${MAX_BOTS} bots.`);
    const found = await em.find(Bot, { where: { id: In(ids) } });
    const byId = new Map(found.map((b) => [b.id, b]));
    const bots = ids.map((id) => byId.get(id));
    if (bots.some((b) => !b)) throw new NotFoundError('BOT_NOT_FOUND');
    const levels = await this.access.levelsFor(
      actor,
      (bots as Bot[]).map((b) => shareable(AccessResourceType.Bot, b)),
      em,
    );
    for (const b of bots as Bot[]) {
      const hidden = b.moderationStatus !== ModerationStatus.Visible && b.ownerId !== actor.id;
      if (hidden || !canUse(levels.get(b.id) ?? null)) throw new NotFoundError('BOT_NOT_FOUND');
    }
    return bots as Bot[];
  }

  private async assertOwnKey(em: EntityManager, actor: Actor, keyId: string, mustBeActive: boolean): Promise<void> {
    const key = await em.findOne(ApiKey, { where: { id: keyId, userId: actor.id } });
    if (!key) throw new NotFoundError('API_KEY_NOT_FOUND');
    if (mustBeActive && key.status !== ApiKeyStatus.Active) {
      throw new ConflictError('API_KEY_NOT_ACTIVE', 'The API key is not active.');
    }
  }

  /** Participants with bot/user names in one query. */
  private async participants(em: EntityManager, id: string): Promise<ParticipantResponseDto[]> {
    const rows = await em.find(ConversationParticipant, {
      where: { conversationId: id },
      relations: { bot: true, user: true },
      order: { joinedAt: 'ASC', id: 'ASC' },
    });
    const rank = [
      ParticipantRole.Owner,
      ParticipantRole.Member,
      ParticipantRole.Primary,
      ParticipantRole.Secondary,
      ParticipantRole.Moderator,
    ];
    rows.sort((a, b) => rank.indexOf(a.role) - rank.indexOf(b.role) || a.joinedAt.getTime() - b.joinedAt.getTime());
    return rows.map((p) =>
      toParticipantResponse(p, {
        name: p.bot ? p.bot.name : p.user ? userDisplayName(p.user) : null,
        avatar: p.bot ? p.bot.pictureMediaId : (p.user?.avatarMediaId ?? null),
      }),
    );
  }
}
