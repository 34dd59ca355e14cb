import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { canUse, shareable } from '../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../common/access/access.enums.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { keysetPage } from '../../common/pagination/page.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { ConversationParticipant } from '../chat/entities/conversation-participant.entity.js';
import { Conversation } from '../chat/entities/conversation.entity.js';
import { KnowledgeEntriesService } from '../knowledge/knowledge-entries.service.js';
import { PersonasService } from '../personas/personas.service.js';
import {
  type ConsolidateMemoriesDto,
  type ConvertMemoryDto,
  type ConvertMemoryResponseDto,
  type CreateMemoryDto,
  type ListMemoriesDto,
  type MemoryJobAcceptedDto,
  type MemoryPageDto,
  type MemoryResponseDto,
  toMemoryResponse,
  type UpdateMemoryDto,
} from './dto/memory.dto.js';
import { MemoryBot } from './entities/memory-bot.entity.js';
import { MemoryPersona } from './entities/memory-persona.entity.js';
import { Memory } from './entities/memory.entity.js';
import { MemoryOrigin, MemoryType } from './memories.enums.js';
import { recordMemoryCreated } from './memory-analytics.js';
import { MEMORY_NOT_FOUND, MemoryPolicy } from './memory.policy.js';
import { MemoryExtractionTrigger } from './memory-extraction.trigger.js';
import { cutText, estimateTokens } from './memory-text.js';

const ENTRY_TITLE_MAX = 200;
/** PATCH fields that may be omitted but not cleared (emotional_context may be null). */
const NOT_NULLABLE = ['content', 'importance', 'type', 'bot_ids', 'persona_ids'] as const;

/** Memory CRUD, promotion to knowledge and the manual extraction/consolidation requests (chat.md §4). */
@Injectable()
export class MemoriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: MemoryPolicy,
    private readonly access: AccessPolicy,
    private readonly personas: PersonasService,
    private readonly knowledge: KnowledgeEntriesService,
    private readonly trigger: MemoryExtractionTrigger,
    private readonly jobs: JobQueue,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  async list(actor: Actor, query: ListMemoriesDto): Promise<MemoryPageDto> {
    const qb = this.dataSource.getRepository(Memory).createQueryBuilder('m');
    this.policy.visibleTo(qb, 'm', actor);
    if (query.bot_id) {
      qb.andWhere('EXISTS (SELECT 1 FROM memory_bots fb WHERE fb.memory_id = m.id AND fb.bot_id = :botId)', {
        botId: query.bot_id,
      });
    }
    if (query.persona_id) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM memory_personas fp WHERE fp.memory_id = m.id AND fp.persona_id = :personaId)',
        { personaId: query.persona_id },
      );
    }
    if (query.conversation_id) qb.andWhere('m.conversation_id = :cid', { cid: query.conversation_id });
    if (query.type) qb.andWhere('m.type = :type', { type: query.type });
    if (query.min_importance) qb.andWhere('m.importance >= :minImp', { minImp: query.min_importance });
    if (query.q) qb.andWhere(`m.search_vector @@ plainto_tsquery('english', :q)`, { q: query.q });
    const page = await keysetPage(
      qb,
      [
        { expr: 'm.created_at', direction: 'DESC', value: (m) => m.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'm.id', direction: 'DESC', value: (m) => m.id, cast: 'uuid' },
      ],
      query,
    );
    return { items: await this.toResponses(this.dataSource.manager, page.items), next_cursor: page.next_cursor };
  }

  async get(actor: Actor, id: string): Promise<MemoryResponseDto> {
    const memory = await this.load(this.dataSource.manager, actor, id, 'read');
    return (await this.toResponses(this.dataSource.manager, [memory]))[0];
  }

  async create(actor: Actor, dto: CreateMemoryDto): Promise<MemoryResponseDto> {
    const id = await this.dataSource.transaction(async (em) => {
      if (dto.conversation_id) await this.assertOwnConversation(em, actor, dto.conversation_id);
      await this.assertReadableBots(em, actor, dto.bot_ids);
      for (const personaId of dto.persona_ids ?? []) await this.personas.assertUsable(actor.id, personaId, em);
      const repo = em.getRepository(Memory);
      const saved = await repo.save(
        repo.create({
          userId: actor.id,
          conversationId: dto.conversation_id ?? null,
          type: dto.type ?? MemoryType.ShortTerm,
          origin: MemoryOrigin.Manual,
          content: dto.content,
          importance: dto.importance ?? 5,
          emotionalContext: dto.emotional_context ?? null,
          tokenCount: estimateTokens(dto.content),
        }),
      );
      await this.replaceLinks(em, saved.id, dto.bot_ids, dto.persona_ids ?? []);
      await recordMemoryCreated(this.analytics, em, saved, dto.bot_ids);
      return saved.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateMemoryDto): Promise<MemoryResponseDto> {
    const nulls = NOT_NULLABLE.filter((f) => dto[f] === null);
    if (nulls.length) {
      throw new ValidationFailedException(nulls.map((field) => ({ field, message: `${field} cannot be null` })));
    }
    await this.dataSource.transaction(async (em) => {
      const memory = await this.load(em, actor, id, 'update', true);
      if (dto.bot_ids) await this.assertReadableBots(em, actor, dto.bot_ids);
      for (const personaId of dto.persona_ids ?? []) await this.personas.assertUsable(actor.id, personaId, em);
      if (dto.content !== undefined) {
        memory.content = dto.content;
        memory.tokenCount = estimateTokens(dto.content);
      }
      if (dto.importance !== undefined) memory.importance = dto.importance;
      if (dto.emotional_context !== undefined) memory.emotionalContext = dto.emotional_context || null;
      // An owner's edit confirms the memory: long_term (never consolidated) unless the type is given explicitly.
      if (dto.type !== undefined) memory.type = dto.type;
      else if (dto.content !== undefined || dto.importance !== undefined) memory.type = MemoryType.LongTerm;
      memory.updatedAt = new Date();
      await em.getRepository(Memory).save(memory);
      if (dto.bot_ids || dto.persona_ids) await this.replaceLinks(em, id, dto.bot_ids, dto.persona_ids);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.load(em, actor, id, 'delete', true);
      await em.getRepository(Memory).delete({ id });
    });
  }

  /**
   * Promotes a memory to a knowledge entry (text, origin memory) in the caller's own collection, or in their
   * `memories` collection (found or created); the memory becomes long_term and links the entry. Once only.
   */
  async convert(actor: Actor, id: string, dto: ConvertMemoryDto): Promise<ConvertMemoryResponseDto> {
    let afterCommit: () => Promise<void> = async () => undefined;
    const result = await this.dataSource.transaction(async (em) => {
      const memory = await this.load(em, actor, id, 'convert', true);
      if (memory.knowledgeEntryId || memory.convertedAt) {
        throw new ConflictError('ALREADY_CONVERTED', 'This memory was already converted to a knowledge entry.');
      }
      const created = await this.knowledge.createFromMemory(em, actor, {
        collectionId: dto.knowledge_collection_id,
        title: dto.title ?? cutText(memory.content.replace(/\s+/g, ' ').trim(), ENTRY_TITLE_MAX),
        content: memory.content,
      });
      afterCommit = created.afterCommit;
      memory.knowledgeEntryId = created.entryId;
      memory.convertedAt = new Date();
      memory.type = MemoryType.LongTerm;
      await em.getRepository(Memory).save(memory);
      return { entryId: created.entryId, collectionId: created.collectionId };
    });
    await afterCommit();
    return {
      memory: await this.get(actor, id),
      knowledge_entry_id: result.entryId,
      knowledge_collection_id: result.collectionId,
    };
  }

  /** POST /conversations/:id/memories/extract: owner only, ignores thresholds and memory_enabled. */
  async requestExtraction(actor: Actor, conversationId: string): Promise<MemoryJobAcceptedDto> {
    const conv = await this.assertOwnConversation(this.dataSource.manager, actor, conversationId, true);
    if (conv.lastMessageSeq <= conv.lastSummarizedSeq) {
      throw new ConflictError('NO_NEW_MESSAGES', 'Every message of this conversation was already summarised.');
    }
    const jobId = await this.trigger.enqueue(conv.id, conv.lastMessageSeq, true);
    return {
      job_id: jobId,
      conversation_id: conv.id,
      from_seq: conv.lastSummarizedSeq + 1,
      to_seq: conv.lastMessageSeq,
    };
  }

  /** POST /memories/consolidate: queues one consolidation run for the caller (per bot, or all). */
  async requestConsolidation(actor: Actor, dto: ConsolidateMemoriesDto): Promise<MemoryJobAcceptedDto> {
    const jobId = `mem-consolidate-${actor.id}-${dto.bot_id ?? 'all'}`;
    await this.jobs.enqueue('memory.consolidate', { user_id: actor.id, bot_id: dto.bot_id ?? null }, { jobId });
    return { job_id: jobId };
  }

  // ---- helpers ----

  private async load(
    em: EntityManager,
    actor: Actor,
    id: string,
    action: 'read' | 'update' | 'delete' | 'convert',
    lock = false,
  ) {
    const memory = await em.getRepository(Memory).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!memory) throw new NotFoundError(MEMORY_NOT_FOUND);
    this.policy.assert(actor, action, memory);
    return memory;
  }

  /**
   * The caller's own conversation; anyone else gets 404 (admins too: no memory endpoints for them), except an
   * active member of a group chat, who can see it and gets 403 (`requireOwner`).
   */
  private async assertOwnConversation(
    em: EntityManager,
    actor: Actor,
    conversationId: string,
    requireOwner = false,
  ): Promise<Conversation> {
    const conv = await em.getRepository(Conversation).findOneBy({ id: conversationId });
    if (conv && conv.ownerUserId === actor.id) return conv;
    if (conv && requireOwner) {
      const member = await em.getRepository(ConversationParticipant).existsBy({
        conversationId,
        userId: actor.id,
        isActive: true,
      });
      if (member) throw new ForbiddenError('CONVERSATION_FORBIDDEN', 'Only the owner may extract memories.');
    }
    throw new NotFoundError('CONVERSATION_NOT_FOUND');
  }

  /** Every id must be a bot the caller can read (and use): unknown, private or moderation-hidden → 404. */
  private async assertReadableBots(em: EntityManager, actor: Actor, ids: string[]): Promise<void> {
    const bots = await em.getRepository(Bot).find({ where: { id: In(ids) } });
    if (bots.length !== new Set(ids).size) throw new NotFoundError('BOT_NOT_FOUND');
    const levels = await this.access.levelsFor(
      actor,
      bots.map((b) => shareable(AccessResourceType.Bot, b)),
      em,
    );
    for (const b of bots) {
      const hidden = b.moderationStatus !== ModerationStatus.Visible && b.ownerId !== actor.id;
      if (hidden || !canUse(levels.get(b.id) ?? null)) throw new NotFoundError('BOT_NOT_FOUND');
    }
  }

  private async replaceLinks(
    em: EntityManager,
    memoryId: string,
    botIds: string[] | undefined,
    personaIds: string[] | undefined,
  ): Promise<void> {
    if (botIds) {
      await em.getRepository(MemoryBot).delete({ memoryId });
      if (botIds.length) await em.getRepository(MemoryBot).insert(botIds.map((botId) => ({ memoryId, botId })));
    }
    if (personaIds) {
      await em.getRepository(MemoryPersona).delete({ memoryId });
      if (personaIds.length) {
        await em.getRepository(MemoryPersona).insert(personaIds.map((personaId) => ({ memoryId, personaId })));
      }
    }
  }

  /** Two queries for the links of a whole page. */
  private async toResponses(em: EntityManager, memories: Memory[]): Promise<MemoryResponseDto[]> {
    if (!memories.length) return [];
    const ids = memories.map((m) => m.id);
    const bots = await em.getRepository(MemoryBot).find({ where: { memoryId: In(ids) }, order: { botId: 'ASC' } });
    const personas = await em
      .getRepository(MemoryPersona)
      .find({ where: { memoryId: In(ids) }, order: { personaId: 'ASC' } });
    const group = <T extends { memoryId: string }>(rows: T[], pick: (r: T) => string) => {
      const map = new Map<string, string[]>();
      for (const r of rows) map.set(r.memoryId, [...(map.get(r.memoryId) ?? []), pick(r)]);
      return map;
    };
    const botsBy = group(bots, (r) => r.botId);
    const personasBy = group(personas, (r) => r.personaId);
    return memories.map((m) => toMemoryResponse(m, botsBy.get(m.id) ?? [], personasBy.get(m.id) ?? []));
  }
}
