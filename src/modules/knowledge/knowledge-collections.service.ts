import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import {
  AccessResourceType,
  GrantLevel,
  GrantMethod,
  ModerationStatus,
  ResourceVisibility,
} from '../../common/access/access.enums.js';
import { type AccessLevel, shareable, type ShareableResource } from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, type Page } from '../../common/pagination/page.js';
import { toUserCard } from '../access/dto/user-card.dto.js';
import { GrantsService } from '../access/grants.service.js';
import { type GrantableResource, ShareableResourceRegistry } from '../access/shareable-resource.registry.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import {
  type CreateCollectionDto,
  type ForkCollectionDto,
  type ListCollectionsQueryDto,
  type ModerationDto,
  OWNER_ONLY_COLLECTION_FIELDS,
  type PublicationDecisionDto,
  type UpdateCollectionDto,
} from './dto/collection.dto.js';
import {
  type CollectionDetailDto,
  type CollectionResponseDto,
  type RedemptionResponseDto,
  toCollectionResponse,
} from './dto/collection-response.dto.js';
import { KnowledgeBotFilter } from './entities/knowledge-bot-filter.entity.js';
import { KnowledgeCollection } from './entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from './entities/knowledge-entry.entity.js';
import { KnowledgeBotsGateway } from './knowledge-bots.gateway.js';
import { COLLECTION_NOT_FOUND, KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { KnowledgeCategory, KnowledgeEmbeddingStatus, KnowledgeEntryVisibility } from './knowledge.enums.js';

export const MAX_COLLECTIONS_PER_USER = 200;
export const MAX_ENTRIES_PER_COLLECTION = 2000;
const REDEEM_MAX_FAILURES = 5;
const REDEEM_WINDOW_MS = 3600_000;

export interface LoadedCollection {
  collection: KnowledgeCollection;
  level: AccessLevel;
}

export const asShareable = (c: KnowledgeCollection): ShareableResource =>
  shareable(AccessResourceType.KnowledgeCollection, c);

/** Collections: CRUD, publication, moderation, share password, forks (knowledge.md §1). */
@Injectable()
export class KnowledgeCollectionsService implements OnModuleInit {
  /** user id → failure times (redemption brute-force guard, per API process). */
  private readonly redeemFailures = new Map<string, number[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly grants: GrantsService,
    private readonly registry: ShareableResourceRegistry,
    private readonly policy: KnowledgeCollectionPolicy,
    private readonly hasher: PasswordHasher,
    private readonly bots: KnowledgeBotsGateway,
  ) {}

  onModuleInit(): void {
    if (this.registry.get(AccessResourceType.KnowledgeCollection)) return;
    this.registry.register({
      type: AccessResourceType.KnowledgeCollection,
      table: 'knowledge_collections',
      notFoundCode: COLLECTION_NOT_FOUND,
      load: async (em, id, lock) => {
        const c = await em.getRepository(KnowledgeCollection).findOne({
          where: { id },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        });
        return c ? toGrantable(c) : null;
      },
      makeShared: async (em, id) => {
        await em.query(
          `UPDATE knowledge_collections SET visibility = 'shared' WHERE id = $1 AND visibility = 'private'`,
          [id],
        );
      },
      cards: async (em, ids) => {
        const rows = await em
          .getRepository(KnowledgeCollection)
          .find({ where: { id: In(ids) }, relations: { owner: true } });
        return new Map(
          rows.map((c) => [
            c.id,
            {
              id: c.id,
              type: AccessResourceType.KnowledgeCollection,
              name: c.name,
              slug: null,
              picture_url: null,
              owner: toUserCard(c.owner!),
            },
          ]),
        );
      },
    });
  }

  // ---------------------------------------------------------------- loading

  /** Loads a collection and the caller's level; not readable → 404. */
  async load(
    actor: Actor | null | undefined,
    id: string,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<LoadedCollection> {
    const collection = await em.getRepository(KnowledgeCollection).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!collection) throw new NotFoundError(COLLECTION_NOT_FOUND);
    const level = await this.access.levelFor(actor, asShareable(collection), em);
    if (level === null) throw new NotFoundError(COLLECTION_NOT_FOUND);
    return { collection, level };
  }

  /**
   * Target of a memory promotion (chat.md §4), inside the caller's transaction: the caller's own collection `id`
   * (anything else, shared ones included → 404), or without one the caller's `memories` collection, created when
   * missing (serialised on the owner's row, so two promotions never create two).
   */
  async memoryTarget(em: EntityManager, actor: Actor, id?: string): Promise<KnowledgeCollection> {
    const repo = em.getRepository(KnowledgeCollection);
    if (id) {
      const own = await repo.findOne({ where: { id, ownerId: actor.id }, lock: { mode: 'pessimistic_write' } });
      if (!own) throw new NotFoundError(COLLECTION_NOT_FOUND);
      return own;
    }
    await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [actor.id]);
    const existing = await repo.findOne({
      where: { ownerId: actor.id, category: KnowledgeCategory.Memories },
      order: { createdAt: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) return existing;
    await this.assertUnderCollectionLimit(em, actor.id);
    return repo.save(
      repo.create({
        ownerId: actor.id,
        name: 'Memories',
        description: 'Memories promoted from conversations.',
        category: KnowledgeCategory.Memories,
        visibility: ResourceVisibility.Private,
      }),
    );
  }

  private async withOwner(em: EntityManager, id: string): Promise<KnowledgeCollection> {
    return em.getRepository(KnowledgeCollection).findOneOrFail({ where: { id }, relations: { owner: true } });
  }

  // ---------------------------------------------------------------- reads

  async list(actor: Actor | undefined, query: ListCollectionsQueryDto): Promise<Page<CollectionResponseDto>> {
    const scope = query.scope ?? (actor ? 'accessible' : 'public');
    const qb = this.dataSource
      .getRepository(KnowledgeCollection)
      .createQueryBuilder('kc')
      .leftJoinAndSelect('kc.owner', 'owner');
    const publicVisible = `kc.visibility = 'public' AND kc.moderation_status = 'visible'`;
    switch (scope) {
      case 'public':
        qb.andWhere(publicVisible);
        break;
      case 'mine':
        if (!actor) throw new UnauthorizedError();
        qb.andWhere('kc.owner_id = :me', { me: actor.id });
        break;
      case 'shared': {
        if (!actor) throw new UnauthorizedError();
        qb.andWhere(`kc.moderation_status = 'visible' AND ${this.access.grantExistsSql('kc', 'kcs')}`, {
          kcs_actor: actor.id,
          kcs_type: AccessResourceType.KnowledgeCollection,
        });
        break;
      }
      case 'accessible':
        this.access.visibleTo(qb, 'kc', actor, AccessResourceType.KnowledgeCollection, { staffBypass: false });
        break;
    }
    if (query.category) qb.andWhere('kc.category = :category', { category: query.category });
    else if (!query.include_memory_tomes) qb.andWhere(`kc.category <> 'memories'`);
    if (query.q) qb.andWhere(`kc.search_vector @@ plainto_tsquery('simple', :q)`, { q: query.q });
    if (query.tags?.length) qb.andWhere('kc.tags && CAST(:tags AS text[])', { tags: query.tags });
    if (query.featured !== undefined) qb.andWhere('kc.is_featured = :featured', { featured: query.featured });

    const page = await keysetPage(qb, sortColumns(query.sort ?? 'recent'), query);
    const levels = await this.access.levelsFor(actor, page.items.map(asShareable));
    return {
      items: page.items.map((c) => toCollectionResponse(c, actor, levels.get(c.id) ?? null)),
      next_cursor: page.next_cursor,
    };
  }

  async get(actor: Actor | undefined, id: string): Promise<CollectionDetailDto> {
    const { collection, level } = await this.load(actor, id);
    const full = await this.withOwner(this.dataSource.manager, collection.id);
    const links = await this.bots.linkedBotsVisibleTo(actor, collection.id);
    return {
      ...toCollectionResponse(full, actor, level),
      linked_bots: links.visible,
      other_linked_bot_count: links.others,
    };
  }

  /** GET /knowledge-collections/publication-requests (moderators): oldest request first. */
  async publicationRequests(
    actor: Actor,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<CollectionResponseDto>> {
    const qb = this.dataSource
      .getRepository(KnowledgeCollection)
      .createQueryBuilder('kc')
      .leftJoinAndSelect('kc.owner', 'owner')
      .where('kc.publication_requested_at IS NOT NULL');
    const page = await keysetPage(
      qb,
      [
        {
          expr: 'kc.publication_requested_at',
          direction: 'ASC',
          value: (c) => c.publicationRequestedAt!.toISOString(),
          cast: 'timestamptz',
        },
        { expr: 'kc.id', direction: 'ASC', value: (c) => c.id, cast: 'uuid' },
      ],
      query,
    );
    return {
      items: page.items.map((c) => toCollectionResponse(c, actor, 'moderation')),
      next_cursor: page.next_cursor,
    };
  }

  // ---------------------------------------------------------------- writes

  async create(actor: Actor, dto: CreateCollectionDto): Promise<CollectionResponseDto> {
    if (dto.visibility === ResourceVisibility.Public) throw publicationRequired();
    const id = await this.dataSource.transaction(async (em) => {
      await this.assertUnderCollectionLimit(em, actor.id);
      const saved = await em.getRepository(KnowledgeCollection).save(
        em.getRepository(KnowledgeCollection).create({
          ownerId: actor.id,
          name: dto.name,
          description: dto.description ?? null,
          category: dto.category ?? KnowledgeCategory.Lore,
          visibility: dto.visibility ?? ResourceVisibility.Private,
          allowCollaboration: dto.allow_collaboration ?? true,
          allowFork: dto.allow_fork ?? true,
          shareExpiresAt: dto.share_expires_at ?? null,
          language: dto.language ?? 'en',
          difficultyLevel: dto.difficulty_level,
          tags: dto.tags ?? [],
        }),
      );
      return saved.id;
    });
    const full = await this.withOwner(this.dataSource.manager, id);
    return toCollectionResponse(full, actor, 'owner');
  }

  async update(actor: Actor, id: string, dto: UpdateCollectionDto): Promise<CollectionResponseDto> {
    const level = await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'edit', collection, level);
      const ownerFields = OWNER_ONLY_COLLECTION_FIELDS.filter((f) => dto[f] !== undefined);
      if (ownerFields.length && !this.policy.can(actor, 'owner_settings', collection, level)) {
        throw new ForbiddenError('FIELD_FORBIDDEN', `Only the owner may change ${ownerFields.join(', ')}.`, {
          errors: ownerFields.map((field) => ({ field, message: `${field} can only be changed by the owner` })),
        });
      }
      if (dto.visibility !== undefined && dto.visibility !== collection.visibility) {
        if (dto.visibility === ResourceVisibility.Public) throw publicationRequired();
        collection.visibility = dto.visibility;
        collection.isFeatured = false;
        collection.featuredAt = null;
      }
      if (dto.name !== undefined) collection.name = dto.name;
      if (dto.description !== undefined) collection.description = dto.description;
      if (dto.category !== undefined) collection.category = dto.category;
      if (dto.allow_collaboration !== undefined) collection.allowCollaboration = dto.allow_collaboration;
      if (dto.allow_fork !== undefined) collection.allowFork = dto.allow_fork;
      if (dto.share_expires_at !== undefined) collection.shareExpiresAt = dto.share_expires_at;
      if (dto.language !== undefined) collection.language = dto.language;
      if (dto.difficulty_level !== undefined) collection.difficultyLevel = dto.difficulty_level;
      if (dto.tags !== undefined) collection.tags = dto.tags;
      await em.getRepository(KnowledgeCollection).save(collection);
      return level;
    });
    return toCollectionResponse(await this.withOwner(this.dataSource.manager, id), actor, level);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'delete', collection, level);
      // access_grants.knowledge_collection_id has no FK yet (access module), so grants go explicitly.
      await this.grants.deleteForResource(em, AccessResourceType.KnowledgeCollection, id);
      await em.getRepository(KnowledgeCollection).delete({ id });
    });
  }

  async fork(actor: Actor, id: string, dto: ForkCollectionDto): Promise<CollectionResponseDto> {
    const forkId = await this.dataSource.transaction(async (em) => {
      const { collection: source, level } = await this.load(actor, id, em);
      this.policy.assert(actor, 'fork', source, level);
      await this.assertUnderCollectionLimit(em, actor.id);
      const includeHidden = this.policy.can(actor, 'read_hidden_entries', source, level);
      const entries = await em.getRepository(KnowledgeEntry).find({
        where: {
          collectionId: source.id,
          ...(includeHidden ? {} : { visibility: KnowledgeEntryVisibility.Inherit }),
        },
        relations: { botFilters: true },
        order: { insertionOrder: 'DESC', id: 'ASC' },
      });
      const fork = await em.getRepository(KnowledgeCollection).save(
        em.getRepository(KnowledgeCollection).create({
          ownerId: actor.id,
          name: dto.name ?? source.name,
          description: source.description,
          category: source.category === KnowledgeCategory.Memories ? KnowledgeCategory.Lore : source.category,
          visibility: ResourceVisibility.Private,
          language: source.language,
          difficultyLevel: source.difficultyLevel,
          tags: source.tags,
          forkedFromCollectionId: source.id,
          entryCount: entries.length,
          totalWords: entries.reduce((s, e) => s + e.wordCount, 0),
          totalChars: entries.reduce((s, e) => s + [...e.content].length, 0),
        }),
      );
      const readableBots = await this.bots.readableBotIds(
        actor,
        [...new Set(entries.flatMap((e) => (e.botFilters ?? []).map((f) => f.botId)))],
        em,
      );
      for (const e of entries) {
        const { id: _id, createdAt: _c, updatedAt: _u, botFilters, personaFilters: _p, searchVector: _s, ...rest } = e;
        const copy = await em.getRepository(KnowledgeEntry).save(
          em.getRepository(KnowledgeEntry).create({
            ...rest,
            collectionId: fork.id,
            authorId: actor.id,
            viewCount: 0,
            activationCount: 0,
            lastActivatedAt: null,
            embeddingStatus:
              e.embeddingStatus === KnowledgeEmbeddingStatus.Ready
                ? KnowledgeEmbeddingStatus.Pending
                : e.embeddingStatus,
          }),
        );
        const filters = (botFilters ?? []).filter((f) => readableBots.has(f.botId));
        if (filters.length) {
          await em
            .getRepository(KnowledgeBotFilter)
            .insert(filters.map((f) => ({ entryId: copy.id, botId: f.botId, mode: f.mode })));
        }
      }
      await em.query(`UPDATE knowledge_collections SET fork_count = fork_count + 1 WHERE id = $1`, [source.id]);
      return fork.id;
    });
    return toCollectionResponse(await this.withOwner(this.dataSource.manager, forkId), actor, 'owner');
  }

  async requestPublication(actor: Actor, id: string): Promise<CollectionResponseDto> {
    const level = await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'request_publication', collection, level);
      if (!actor.emailVerified) {
        throw new ForbiddenError('EMAIL_NOT_VERIFIED', 'Verify your email address before asking for publication.');
      }
      if (collection.visibility === ResourceVisibility.Public) {
        throw new ConflictError('ALREADY_PUBLIC', 'The collection is already public.');
      }
      if (collection.moderationStatus === ModerationStatus.Hidden) {
        throw new ConflictError('COLLECTION_HIDDEN', 'A collection hidden by moderation cannot be published.');
      }
      if (collection.entryCount < 1) {
        throw new ConflictError('COLLECTION_EMPTY', 'Add at least one entry before asking for publication.');
      }
      await em.query(`UPDATE knowledge_collections SET publication_requested_at = now() WHERE id = $1`, [id]);
      return level;
    });
    return toCollectionResponse(await this.withOwner(this.dataSource.manager, id), actor, level);
  }

  async decidePublication(actor: Actor, id: string, dto: PublicationDecisionDto): Promise<CollectionResponseDto> {
    if (!dto.approve && !dto.curator_notes) {
      throw new InvalidError('VALIDATION_FAILED', 'A rejection needs curator notes.', [
        { field: 'curator_notes', message: 'curator_notes is required when approve is false' },
      ]);
    }
    const level = await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'curate', collection, level);
      if (!collection.publicationRequestedAt) {
        throw new ConflictError('NO_PUBLICATION_REQUEST', 'The owner has not asked for publication.');
      }
      collection.publicationRequestedAt = null;
      collection.curatorNotes = dto.curator_notes ?? collection.curatorNotes;
      if (dto.approve) {
        collection.visibility = ResourceVisibility.Public;
        collection.isCurated = true;
        collection.curatedById = actor.id;
        collection.curatedAt = new Date();
        if (dto.feature) {
          collection.isFeatured = true;
          collection.featuredAt = new Date();
        }
      }
      await em.getRepository(KnowledgeCollection).save(collection);
      return level;
    });
    return toCollectionResponse(await this.withOwner(this.dataSource.manager, id), actor, level);
  }

  /** Owner or moderator: leave public (→ shared if grants exist, else private), unfeature, drop a pending request. */
  async unpublish(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'unpublish', collection, level);
      let visibility = collection.visibility;
      if (visibility === ResourceVisibility.Public) {
        const [{ n }] = await em.query(
          `SELECT count(*)::int AS n FROM access_grants WHERE resource_type = 'knowledge_collection'
             AND resource_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
          [id],
        );
        visibility = n > 0 ? ResourceVisibility.Shared : ResourceVisibility.Private;
      }
      await em
        .getRepository(KnowledgeCollection)
        .update({ id }, { visibility, isFeatured: false, featuredAt: null, publicationRequestedAt: null });
    });
  }

  async moderate(actor: Actor, id: string, dto: ModerationDto): Promise<CollectionResponseDto> {
    const level = await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'curate', collection, level);
      await em.getRepository(KnowledgeCollection).update(
        { id },
        {
          moderationStatus: dto.status,
          moderationReason: dto.reason ?? null,
          ...(dto.status === ModerationStatus.Hidden ? { isFeatured: false, featuredAt: null } : {}),
        },
      );
      return level;
    });
    return toCollectionResponse(await this.withOwner(this.dataSource.manager, id), actor, level);
  }

  async setSharePassword(actor: Actor, id: string, password: string | null): Promise<void> {
    const hash = password === null ? null : await this.hasher.hash(password);
    await this.dataSource.transaction(async (em) => {
      const { collection, level } = await this.load(actor, id, em, true);
      this.policy.assert(actor, 'owner_settings', collection, level);
      await em.getRepository(KnowledgeCollection).update({ id }, { sharePasswordHash: hash });
    });
  }

  /** POST /redemptions: the right password gives (or refreshes) a view grant expiring with the share. */
  async redeem(actor: Actor, id: string, password: string): Promise<RedemptionResponseDto> {
    const now = Date.now();
    const failures = (this.redeemFailures.get(actor.id) ?? []).filter((t) => now - t < REDEEM_WINDOW_MS);
    if (failures.length >= REDEEM_MAX_FAILURES) {
      throw new TooManyRequestsError(
        'TOO_MANY_PASSWORD_ATTEMPTS',
        (failures[0] + REDEEM_WINDOW_MS - now) / 1000,
        'Too many wrong share passwords; try again later.',
      );
    }
    const collection = await this.dataSource.getRepository(KnowledgeCollection).findOneBy({ id });
    if (
      !collection ||
      collection.moderationStatus === ModerationStatus.Hidden ||
      collection.visibility === ResourceVisibility.Private ||
      !collection.sharePasswordHash
    ) {
      throw new NotFoundError(COLLECTION_NOT_FOUND);
    }
    if (collection.ownerId === actor.id) throw new ConflictError('ALREADY_OWNER', 'You own this collection.');
    // knowledge.md §1.5: a password unlocks a *shared* collection; a public one needs none, and a grant taken
    // here would silently survive a later unpublish.
    if (collection.visibility === ResourceVisibility.Public) {
      throw new ConflictError('COLLECTION_IS_PUBLIC', 'This collection is public; no share password is needed.');
    }
    if (collection.shareExpiresAt && collection.shareExpiresAt.getTime() <= now) {
      throw new ForbiddenError('SHARE_EXPIRED', 'Sharing of this collection has ended.');
    }
    if (!(await this.hasher.verify(collection.sharePasswordHash, password))) {
      this.redeemFailures.set(actor.id, [...failures, now]);
      throw new ForbiddenError('SHARE_PASSWORD_INVALID', 'The share password is wrong.');
    }
    return this.dataSource.transaction(async (em) => {
      const locked = await em
        .getRepository(KnowledgeCollection)
        .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const existing = await this.access.grantFor(actor, asShareable(locked), em);
      const { grant } = await this.grants.upsertGrant(em, {
        resource: toGrantable(locked),
        granteeId: actor.id,
        level: existing?.level ?? GrantLevel.View,
        method: GrantMethod.SharePassword,
        grantedById: null,
        expiresAt: locked.shareExpiresAt,
      });
      return { grant_id: grant.id, collection_id: id, level: grant.level, expires_at: grant.expiresAt };
    });
  }

  // ---------------------------------------------------------------- helpers

  private async assertUnderCollectionLimit(em: EntityManager, ownerId: string): Promise<void> {
    // Serialise concurrent creates of one owner on the owner's row.
    await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [ownerId]);
    const count = await em.getRepository(KnowledgeCollection).countBy({ ownerId });
    if (count >= MAX_COLLECTIONS_PER_USER) {
      throw new ConflictError('COLLECTION_LIMIT', `At most ${MAX_COLLECTIONS_PER_USER} collections per user.`);
    }
  }
}

export function toGrantable(c: KnowledgeCollection): GrantableResource {
  return {
    ...asShareable(c),
    allowCollaboration: c.allowCollaboration,
    defaultLevel: GrantLevel.View,
    maxCollaborators: null,
  };
}

function publicationRequired(): ForbiddenError {
  return new ForbiddenError(
    'PUBLICATION_REQUIRED',
    'Public listing goes through a publication request and a moderator approval.',
  );
}

function sortColumns(sort: 'recent' | 'name' | 'entries' | 'forks'): KeysetColumn<KnowledgeCollection>[] {
  const id: KeysetColumn<KnowledgeCollection> = { expr: 'kc.id', direction: 'DESC', value: (c) => c.id, cast: 'uuid' };
  switch (sort) {
    case 'recent':
      return [
        { expr: 'kc.updated_at', direction: 'DESC', value: (c) => c.updatedAt.toISOString(), cast: 'timestamptz' },
        id,
      ];
    case 'name':
      return [
        { expr: 'kc.name', direction: 'ASC', value: (c) => c.name, cast: 'varchar' },
        { ...id, direction: 'ASC' },
      ];
    case 'entries':
      return [{ expr: 'kc.entry_count', direction: 'DESC', value: (c) => c.entryCount, cast: 'int' }, id];
    case 'forks':
      return [{ expr: 'kc.fork_count', direction: 'DESC', value: (c) => c.forkCount, cast: 'int' }, id];
  }
}
