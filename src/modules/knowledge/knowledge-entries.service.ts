import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, type Page } from '../../common/pagination/page.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { Media } from '../media/entities/media.entity.js';
import { Persona } from '../personas/entities/persona.entity.js';
import type {
  BotFilterDto,
  CreateEntryDto,
  ListEntriesQueryDto,
  PersonaFilterDto,
  UpdateEntryDto,
} from './dto/entry.dto.js';
import { type EntryResponseDto, toEntryResponse } from './dto/entry-response.dto.js';
import { KnowledgeBotFilter } from './entities/knowledge-bot-filter.entity.js';
import { KnowledgeEntry } from './entities/knowledge-entry.entity.js';
import { KnowledgePersonaFilter } from './entities/knowledge-persona-filter.entity.js';
import { applyEntryDto, contentStats, entryRuleErrors, usesVectors } from './entry-fields.js';
import { KnowledgeBotsGateway } from './knowledge-bots.gateway.js';
import { ENTRY_NOT_FOUND, KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { KnowledgeCollectionsService, MAX_ENTRIES_PER_COLLECTION } from './knowledge-collections.service.js';
import {
  KnowledgeEmbeddingStatus,
  KnowledgeEntryVisibility,
  KnowledgeOrigin,
  KnowledgeType,
} from './knowledge.enums.js';

/** An entry write whose embedding job must be queued after commit. */
interface EmbedRequest {
  entryId: string;
  contentHash: string;
}

/** Entries of a collection (knowledge.md §2): access inherited from the collection, counters in the same transaction. */
@Injectable()
export class KnowledgeEntriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly collections: KnowledgeCollectionsService,
    private readonly policy: KnowledgeCollectionPolicy,
    private readonly bots: KnowledgeBotsGateway,
    private readonly jobs: JobQueue,
  ) {}

  async list(
    actor: Actor | undefined,
    collectionId: string,
    query: ListEntriesQueryDto,
  ): Promise<Page<EntryResponseDto>> {
    const { collection, level } = await this.collections.load(actor, collectionId);
    const qb = this.dataSource
      .getRepository(KnowledgeEntry)
      .createQueryBuilder('e')
      .where('e.collection_id = :cid', { cid: collection.id });
    if (!this.policy.can(actor, 'read_hidden_entries', collection, level)) {
      qb.andWhere('e.visibility = :inherit', { inherit: KnowledgeEntryVisibility.Inherit });
    }
    if (query.q) qb.andWhere(`e.search_vector @@ plainto_tsquery('simple', :q)`, { q: query.q });
    if (query.tag) qb.andWhere(':tag = ANY(e.tags)', { tag: query.tag.trim().toLowerCase() });
    if (query.activation_mode) qb.andWhere('e.activation_mode = :mode', { mode: query.activation_mode });
    const page = await keysetPage(qb, entrySort(query.sort ?? 'order'), query);
    return { items: page.items.map((e) => toEntryResponse(e)), next_cursor: page.next_cursor };
  }

  async get(actor: Actor | undefined, id: string): Promise<EntryResponseDto> {
    const entry = await this.loadReadable(actor, id);
    return toEntryResponse(entry, true);
  }

  /** Loads an entry the caller may read (with filters); otherwise 404. */
  async loadReadable(
    actor: Actor | undefined,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<KnowledgeEntry> {
    const entry = await em.getRepository(KnowledgeEntry).findOne({
      where: { id },
      relations: { botFilters: true, personaFilters: true },
    });
    if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
    const { collection, level } = await this.collections.load(actor, entry.collectionId, em).catch(() => {
      throw new NotFoundError(ENTRY_NOT_FOUND);
    });
    if (!this.policy.canReadEntry(actor, entry, collection, level)) throw new NotFoundError(ENTRY_NOT_FOUND);
    return entry;
  }

  async create(actor: Actor, collectionId: string, dto: CreateEntryDto): Promise<EntryResponseDto> {
    const embed: EmbedRequest[] = [];
    const id = await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.collections.load(actor, collectionId, em, true);
      this.policy.assert(actor, 'edit', collection, level);
      if (collection.entryCount >= MAX_ENTRIES_PER_COLLECTION) {
        throw new ConflictError('COLLECTION_FULL', `A collection holds at most ${MAX_ENTRIES_PER_COLLECTION} entries.`);
      }
      const repo = em.getRepository(KnowledgeEntry);
      const entry = repo.create({ collectionId, authorId: actor.id, origin: KnowledgeOrigin.Authored });
      applyEntryDto(entry, dto);
      withDefaults(entry);
      await this.validate(em, actor, entry, dto);
      const stats = contentStats(entry.content);
      Object.assign(entry, { tokenCost: stats.tokenCost, wordCount: stats.wordCount, contentHash: stats.contentHash });
      entry.embeddingStatus = usesVectors(entry.activationMode)
        ? KnowledgeEmbeddingStatus.Pending
        : KnowledgeEmbeddingStatus.Skipped;
      const saved = await repo.save(entry);
      await this.replaceFilters(em, saved.id, dto);
      await bumpCounters(em, collectionId, 1, stats.wordCount, stats.chars);
      if (saved.embeddingStatus === KnowledgeEmbeddingStatus.Pending) {
        embed.push({ entryId: saved.id, contentHash: stats.contentHash });
      }
      return saved.id;
    });
    await this.enqueueEmbeddings(embed);
    return this.detail(id);
  }

  /**
   * Memory promotion (chat.md §4, knowledge.md §2.4) inside the caller's transaction: a text entry with origin
   * memory and vector activation in the caller's own collection, or their `memories` collection when none is given
   * (KnowledgeCollectionsService.memoryTarget).
   * Returns the entry id and the step that queues its embedding, to run after commit.
   */
  async createFromMemory(
    em: EntityManager,
    actor: Actor,
    input: { collectionId?: string; title: string | null; content: string },
  ): Promise<{ entryId: string; collectionId: string; afterCommit: () => Promise<void> }> {
    const collection = await this.collections.memoryTarget(em, actor, input.collectionId);
    if (collection.entryCount >= MAX_ENTRIES_PER_COLLECTION) {
      throw new ConflictError('COLLECTION_FULL', `A collection holds at most ${MAX_ENTRIES_PER_COLLECTION} entries.`);
    }
    const repo = em.getRepository(KnowledgeEntry);
    const entry = repo.create({
      collectionId: collection.id,
      authorId: actor.id,
      origin: KnowledgeOrigin.Memory,
      type: KnowledgeType.Text,
      title: input.title,
      content: input.content,
    });
    withDefaults(entry);
    const stats = contentStats(entry.content);
    Object.assign(entry, { tokenCost: stats.tokenCost, wordCount: stats.wordCount, contentHash: stats.contentHash });
    entry.embeddingStatus = usesVectors(entry.activationMode)
      ? KnowledgeEmbeddingStatus.Pending
      : KnowledgeEmbeddingStatus.Skipped;
    const saved = await repo.save(entry);
    await bumpCounters(em, collection.id, 1, stats.wordCount, stats.chars);
    const embed: EmbedRequest[] =
      saved.embeddingStatus === KnowledgeEmbeddingStatus.Pending
        ? [{ entryId: saved.id, contentHash: stats.contentHash }]
        : [];
    return { entryId: saved.id, collectionId: collection.id, afterCommit: () => this.enqueueEmbeddings(embed) };
  }

  async update(actor: Actor, id: string, dto: UpdateEntryDto): Promise<EntryResponseDto> {
    const embed: EmbedRequest[] = [];
    await this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(KnowledgeEntry);
      const entry = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
      const { collection, level } = await this.collections.load(actor, entry.collectionId, em, true).catch(() => {
        throw new NotFoundError(ENTRY_NOT_FOUND);
      });
      if (!this.policy.canReadEntry(actor, entry, collection, level)) throw new NotFoundError(ENTRY_NOT_FOUND);
      this.policy.assert(actor, 'edit', collection, level);

      const before = { ...contentStats(entry.content), mode: entry.activationMode, collectionId: entry.collectionId };
      applyEntryDto(entry, dto);
      await this.validate(em, actor, entry, dto);

      if (dto.collection_id && dto.collection_id !== entry.collectionId) {
        const target = await this.collections.load(actor, dto.collection_id, em, true);
        this.policy.assert(actor, 'edit', target.collection, target.level);
        if (target.collection.entryCount >= MAX_ENTRIES_PER_COLLECTION) {
          throw new ConflictError(
            'COLLECTION_FULL',
            `A collection holds at most ${MAX_ENTRIES_PER_COLLECTION} entries.`,
          );
        }
        entry.collectionId = dto.collection_id;
      }
      const after = contentStats(entry.content);
      const contentChanged = after.contentHash !== before.contentHash;
      Object.assign(entry, { tokenCost: after.tokenCost, wordCount: after.wordCount, contentHash: after.contentHash });
      const becameVector = usesVectors(entry.activationMode) && !usesVectors(before.mode);
      if (usesVectors(entry.activationMode) && (contentChanged || becameVector)) {
        entry.embeddingStatus = KnowledgeEmbeddingStatus.Pending;
        entry.embeddingError = null;
        embed.push({ entryId: entry.id, contentHash: after.contentHash });
      }
      await repo.save(entry);
      await this.replaceFilters(em, entry.id, dto);
      if (entry.collectionId !== before.collectionId) {
        await bumpCounters(em, before.collectionId, -1, -before.wordCount, -before.chars);
        await bumpCounters(em, entry.collectionId, 1, after.wordCount, after.chars);
      } else {
        await bumpCounters(em, entry.collectionId, 0, after.wordCount - before.wordCount, after.chars - before.chars);
      }
    });
    await this.enqueueEmbeddings(embed);
    return this.detail(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const entry = await em
        .getRepository(KnowledgeEntry)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
      const { collection, level } = await this.collections.load(actor, entry.collectionId, em, true).catch(() => {
        throw new NotFoundError(ENTRY_NOT_FOUND);
      });
      if (!this.policy.canReadEntry(actor, entry, collection, level)) throw new NotFoundError(ENTRY_NOT_FOUND);
      this.policy.assert(actor, 'edit', collection, level);
      const stats = contentStats(entry.content);
      await em.getRepository(KnowledgeEntry).delete({ id });
      await bumpCounters(em, entry.collectionId, -1, -stats.wordCount, -stats.chars);
    });
  }

  /** POST /knowledge-entries/{id}/embedding → 202. */
  async requeueEmbedding(actor: Actor, id: string): Promise<EntryResponseDto> {
    const embed: EmbedRequest[] = [];
    await this.dataSource.transaction(async (em) => {
      const entry = await this.loadReadable(actor, id, em);
      const { collection, level } = await this.collections.load(actor, entry.collectionId, em);
      this.policy.assert(actor, 'edit', collection, level);
      if (!usesVectors(entry.activationMode)) {
        throw new ConflictError('EMBEDDING_NOT_USED', 'Only vector and hybrid entries are embedded.');
      }
      await em
        .getRepository(KnowledgeEntry)
        .update({ id }, { embeddingStatus: KnowledgeEmbeddingStatus.Pending, embeddingError: null });
      embed.push({ entryId: id, contentHash: entry.contentHash });
    });
    await this.enqueueEmbeddings(embed);
    return this.detail(id);
  }

  // ---------------------------------------------------------------- helpers

  private async detail(id: string): Promise<EntryResponseDto> {
    const entry = await this.dataSource.getRepository(KnowledgeEntry).findOneOrFail({
      where: { id },
      relations: { botFilters: true, personaFilters: true },
    });
    return toEntryResponse(entry, true);
  }

  private async enqueueEmbeddings(requests: EmbedRequest[]): Promise<void> {
    for (const r of requests) {
      await this.jobs.enqueue(
        'knowledge.embed',
        { entry_id: r.entryId, content_hash: r.contentHash },
        { jobId: `embed-${r.entryId}-${r.contentHash}` },
      );
    }
  }

  /** Cross-field rules, regex keys, media ownership, filter targets → 400 naming the field. */
  private async validate(
    em: EntityManager,
    actor: Actor,
    entry: KnowledgeEntry,
    dto: Partial<CreateEntryDto>,
  ): Promise<void> {
    const errors = entryRuleErrors(entry);
    if (dto.source_media_id) {
      const media = await em
        .getRepository(Media)
        .findOne({ where: { id: dto.source_media_id }, select: { id: true, ownerId: true } });
      if (!media || media.ownerId !== actor.id) {
        errors.push({ field: 'source_media_id', message: 'source_media_id must be one of your uploads' });
      }
    }
    if (dto.bot_filters?.length) {
      const ids = dto.bot_filters.map((f) => f.bot_id);
      const readable = await this.bots.readableBotIds(actor, ids, em);
      dto.bot_filters.forEach((f, i) => {
        if (!readable.has(f.bot_id))
          errors.push({ field: `bot_filters[${i}].bot_id`, message: 'no bot you can read has this id' });
      });
      if (new Set(ids).size !== ids.length) errors.push({ field: 'bot_filters', message: 'each bot may appear once' });
    }
    if (dto.persona_filters?.length) {
      const ids = dto.persona_filters.map((f) => f.persona_id);
      const own = await ownPersonaIds(em, actor.id, ids);
      dto.persona_filters.forEach((f, i) => {
        if (!own.has(f.persona_id)) {
          errors.push({ field: `persona_filters[${i}].persona_id`, message: 'no persona of yours has this id' });
        }
      });
      if (new Set(ids).size !== ids.length)
        errors.push({ field: 'persona_filters', message: 'each persona may appear once' });
    }
    if (errors.length) throw new InvalidError('VALIDATION_FAILED', 'The entry is not valid.', errors);
  }

  private async replaceFilters(
    em: EntityManager,
    entryId: string,
    dto: { bot_filters?: BotFilterDto[]; persona_filters?: PersonaFilterDto[] },
  ): Promise<void> {
    if (dto.bot_filters) {
      await em.getRepository(KnowledgeBotFilter).delete({ entryId });
      if (dto.bot_filters.length) {
        await em
          .getRepository(KnowledgeBotFilter)
          .insert(dto.bot_filters.map((f) => ({ entryId, botId: f.bot_id, mode: f.mode })));
      }
    }
    if (dto.persona_filters) {
      await em.getRepository(KnowledgePersonaFilter).delete({ entryId });
      if (dto.persona_filters.length) {
        await em
          .getRepository(KnowledgePersonaFilter)
          .insert(dto.persona_filters.map((f) => ({ entryId, personaId: f.persona_id, mode: f.mode })));
      }
    }
  }
}

/** Column defaults applied in memory so validation sees the stored values (knowledge.md §2.2). */
export function withDefaults(entry: Partial<KnowledgeEntry>): void {
  const defaults: Partial<KnowledgeEntry> = {
    activationMode: 'vector' as KnowledgeEntry['activationMode'],
    primaryKeys: [],
    secondaryKeys: [],
    caseSensitive: false,
    matchWholeWords: false,
    useRegex: false,
    tags: [],
  };
  for (const [k, v] of Object.entries(defaults)) {
    const key = k as keyof KnowledgeEntry;
    if (entry[key] === undefined) (entry as Record<string, unknown>)[key] = v;
  }
}

/** entry_count / total_words / total_chars and last_entry_change_at, in the entry write's transaction. */
export async function bumpCounters(
  em: EntityManager,
  collectionId: string,
  entries: number,
  words: number,
  chars: number,
): Promise<void> {
  await em.query(
    `UPDATE knowledge_collections
        SET entry_count = entry_count + $2, total_words = total_words + $3, total_chars = total_chars + $4,
            last_entry_change_at = now()
      WHERE id = $1`,
    [collectionId, entries, words, chars],
  );
}

/** Personas owned by `ownerId` among `ids` (personas are private). */
async function ownPersonaIds(em: EntityManager, ownerId: string, ids: string[]): Promise<Set<string>> {
  const rows = await em.getRepository(Persona).find({ select: { id: true }, where: { id: In(ids), ownerId } });
  return new Set(rows.map((r) => r.id));
}

function entrySort(sort: 'order' | 'recent' | 'title'): KeysetColumn<KnowledgeEntry>[] {
  switch (sort) {
    case 'order':
      return [
        { expr: 'e.insertion_order', direction: 'DESC', value: (e) => e.insertionOrder, cast: 'int' },
        { expr: 'e.id', direction: 'DESC', value: (e) => e.id, cast: 'uuid' },
      ];
    case 'recent':
      return [
        { expr: 'e.updated_at', direction: 'DESC', value: (e) => e.updatedAt.toISOString(), cast: 'timestamptz' },
        { expr: 'e.id', direction: 'DESC', value: (e) => e.id, cast: 'uuid' },
      ];
    case 'title':
      return [
        { expr: `coalesce(e.title, '')`, direction: 'ASC', value: (e) => e.title ?? '', cast: 'varchar' },
        { expr: 'e.id', direction: 'ASC', value: (e) => e.id, cast: 'uuid' },
      ];
  }
}
