import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  AccessResourceType,
  GrantLevel,
  ModerationStatus,
  ResourceVisibility,
} from '../../common/access/access.enums.js';
import {
  type AccessLevel,
  canEdit,
  isOwnerLevel,
  shareable,
  type ShareableResource,
} from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import { type Actor, isStaff } from '../../common/auth/actor.js';
import type { Env } from '../../common/config/env.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnauthorizedError,
} from '../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, type Page } from '../../common/pagination/page.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { MediaService } from '../media/media.service.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { AnonymousViewerKey } from '../analytics/recorder/anonymous-viewer-key.service.js';
import { BotDeletionHooks } from './bot-deletion.hooks.js';
import { BotPolicy } from './bot.policy.js';
import {
  type CopyBotDto,
  type CreateBotDto,
  type ModerateBotDto,
  OWNER_ONLY_FIELDS,
  type UpdateBotDto,
} from './dto/create-bot.dto.js';
import {
  type BotCardDto,
  type BotDetailDto,
  type BotPageDto,
  canReadDefinition,
  type FavoriteStateDto,
  type InteractionDto,
  type LikeStateDto,
  type MyInteractionDto,
  toBotCard,
  toBotDetail,
} from './dto/bot-response.dto.js';
import type { CreatorBotsQueryDto, ExploreBotsQueryDto, MyBotsQueryDto } from './dto/list-bots.dto.js';
import { Bot } from './entities/bot.entity.js';
import { BotDefinitionVisibility, BotForkKind, BotVenue } from './entities/bot.enums.js';
import { firstFreeSlug, slugify } from './slug.js';

/** Who is looking, for view counting: the signed-in user or the client address (hashed, never stored raw). */
export interface ViewerInfo {
  ip?: string;
  /** With the IP, hashed under a daily salt into the anonymous viewer key of analytics (never stored raw). */
  userAgent?: string;
}

const VIEW_BUCKET_SECONDS = 600;

export const FLUSH_VIEWS_JOB_ID = 'bots-flush-views';
const FLUSH_DELAY_MS = 60_000;

const PUBLIC_VISIBLE = `b.visibility = 'public' AND b.moderation_status = 'visible'`;

/** Content fields copied to a copy/remix (bots.md §1.5). */
const CONTENT_PROPS = [
  'pictureMediaId',
  'gender',
  'age',
  'description',
  'systemPrompt',
  'greeting',
  'alternateGreetings',
  'speechExamples',
  'signaturePhrases',
  'tone',
  'formality',
  'humor',
  'communication',
  'responseLength',
  'creativity',
  'knowledgeSharing',
  'tags',
  'classifications',
  'venue',
  'backroomsClassifications',
] as const satisfies readonly (keyof Bot)[];

/** snake_case DTO field → entity property, for everything PATCH may write. */
const FIELD_MAP: Record<string, keyof Bot> = {
  name: 'name',
  picture_media_id: 'pictureMediaId',
  gender: 'gender',
  age: 'age',
  description: 'description',
  system_prompt: 'systemPrompt',
  greeting: 'greeting',
  alternate_greetings: 'alternateGreetings',
  speech_examples: 'speechExamples',
  signature_phrases: 'signaturePhrases',
  tone: 'tone',
  formality: 'formality',
  humor: 'humor',
  communication: 'communication',
  response_length: 'responseLength',
  creativity: 'creativity',
  knowledge_sharing: 'knowledgeSharing',
  tags: 'tags',
  classifications: 'classifications',
  venue: 'venue',
  backrooms_classifications: 'backroomsClassifications',
  slug: 'slug',
  visibility: 'visibility',
  definition_visibility: 'definitionVisibility',
  allow_copying: 'allowCopying',
  allow_remixing: 'allowRemixing',
  require_attribution: 'requireAttribution',
  share_expires_at: 'shareExpiresAt',
  allow_collaboration: 'allowCollaboration',
  default_collaborator_level: 'defaultCollaboratorLevel',
  max_collaborators: 'maxCollaborators',
};

/** Fields whose column is NOT NULL with a default: an explicit null in PATCH means "reset to default". */
const NOT_NULL_DEFAULTS: Partial<Record<keyof Bot, unknown>> = {
  alternateGreetings: [],
  speechExamples: [],
  signaturePhrases: [],
  tags: [],
  classifications: [],
  backroomsClassifications: [],
  venue: BotVenue.Main,
};

export const botResource = (bot: Bot): ShareableResource => shareable(AccessResourceType.Bot, bot);

/** A bot loaded by baseQuery()/cardQuery(): the owner's creator-profile name is joined into the same query. */
type LoadedBot = Bot & { ownerProfile?: { displayName: string } | null };

/**
 * The bots columns a list card needs (toBotCard), plus the access decision (shareable()) and every keyset cursor
 * (updated_at, published_at/created_at, counters, name_sort, id). Never the definition (system_prompt ≤ 32,000
 * characters), greetings, speech examples or signature phrases: those only appear in the detail.
 */
const CARD_COLUMNS = [
  'id',
  'createdAt',
  'updatedAt',
  'ownerId',
  'slug',
  'name',
  'nameSort',
  'pictureMediaId',
  'description',
  'gender',
  'age',
  'tags',
  'classifications',
  'venue',
  'backroomsClassifications',
  'visibility',
  'moderationStatus',
  'shareExpiresAt',
  'allowCollaboration',
  'publishedAt',
  'isFeatured',
  'likesCount',
  'favoritesCount',
  'conversationCount',
  'copyCount',
  'viewCount',
] as const satisfies readonly (keyof Bot)[];

@Injectable()
export class BotsService {
  private readonly logger = new Logger(BotsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly policy: BotPolicy,
    private readonly media: MediaService,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<Env, true>,
    private readonly analytics: AnalyticsRecorder,
    private readonly anonymousViewers: AnonymousViewerKey,
    private readonly deletionHooks: BotDeletionHooks,
  ) {}

  // ---------------------------------------------------------------- reads

  /** GET /bots/{id}. Counts a view (not the owner's own). */
  async get(actor: Actor | undefined, id: string, viewer: ViewerInfo = {}): Promise<BotDetailDto> {
    const bot = await this.baseQuery(this.dataSource.manager).where('b.id = :id', { id }).getOne();
    return this.readDetail(actor, bot, viewer);
  }

  /** GET /creators/{username}/bots/{slug}. */
  async getByPath(
    actor: Actor | undefined,
    username: string,
    slug: string,
    viewer: ViewerInfo = {},
  ): Promise<BotDetailDto> {
    const bot = await this.baseQuery(this.dataSource.manager)
      .where('owner.username = :username AND b.slug = :slug', { username, slug: slug.toLowerCase() })
      .getOne();
    return this.readDetail(actor, bot, viewer);
  }

  /** GET /bots/{id}/interaction. */
  async interaction(actor: Actor, id: string): Promise<InteractionDto> {
    const bot = await this.loadBot(this.dataSource.manager, id, false);
    const level = await this.access.levelFor(actor, botResource(bot));
    this.policy.assert(actor, 'view', bot, level);
    const [row] = await this.dataSource.query(
      `SELECT liked, favorited, liked_at, favorited_at FROM bot_interactions WHERE user_id = $1 AND bot_id = $2`,
      [actor.id, id],
    );
    return {
      liked: !!row?.liked,
      favorited: !!row?.favorited,
      liked_at: row?.liked_at ?? null,
      favorited_at: row?.favorited_at ?? null,
    };
  }

  // ---------------------------------------------------------------- lists

  /** GET /bots: explore (bots.md §1.6). A constant number of queries per page. */
  async explore(actor: Actor | undefined, query: ExploreBotsQueryDto): Promise<BotPageDto> {
    const em = this.dataSource.manager;
    const qb = this.cardQuery(em);
    const scope = query.scope ?? 'public';
    let publicOnly = true;
    if (query.moderation === 'hidden') {
      if (!isStaff(actor)) throw new ForbiddenError('ROLE_REQUIRED', 'Only moderators may list hidden bots.');
      qb.andWhere(`b.moderation_status = 'hidden'`);
      publicOnly = false;
    } else if (scope === 'accessible') {
      if (!actor) throw new UnauthorizedError('UNAUTHORIZED', 'scope=accessible needs a signed-in caller.');
      this.access.visibleTo(qb, 'b', actor, AccessResourceType.Bot, { staffBypass: false });
      publicOnly = false;
    } else {
      qb.andWhere(PUBLIC_VISIBLE);
    }

    if (query.venue === 'backrooms') {
      await this.assertMatureOptIn(em, actor);
      qb.andWhere(`b.venue IN ('backrooms', 'both')`);
    } else {
      qb.andWhere(`b.venue IN ('main', 'both')`);
    }
    if (query.q) qb.andWhere(`b.search_vector @@ websearch_to_tsquery('simple', :q)`, { q: query.q });
    if (query.tags?.length) qb.andWhere('b.tags && CAST(:tags AS text[])', { tags: query.tags });
    if (query.classifications?.length) {
      qb.andWhere('b.classifications && CAST(:cls AS bot_classification[])', { cls: query.classifications });
    }
    if (query.backrooms_classifications?.length) {
      qb.andWhere('b.backrooms_classifications && CAST(:bcls AS bot_backrooms_class[])', {
        bcls: query.backrooms_classifications,
      });
    }
    if (query.creator) qb.andWhere('owner.username = :creator', { creator: query.creator });
    if (query.gender) qb.andWhere('b.gender = :gender', { gender: query.gender });
    if (query.featured !== undefined) qb.andWhere(query.featured ? 'b.is_featured' : 'NOT b.is_featured');
    for (const flag of ['liked', 'favorited'] as const) {
      if (query[flag] === undefined) continue;
      if (!actor) throw new UnauthorizedError('UNAUTHORIZED', `${flag} needs a signed-in caller.`);
      qb.andWhere(
        `${query[flag] ? '' : 'NOT '}EXISTS (SELECT 1 FROM bot_interactions bi WHERE bi.bot_id = b.id AND bi.user_id = :me AND bi.${flag})`,
        { me: actor.id },
      );
    }
    if (query.followed_creators !== undefined) {
      if (!actor) throw new UnauthorizedError('UNAUTHORIZED', 'followed_creators needs a signed-in caller.');
      qb.andWhere(
        `${query.followed_creators ? '' : 'NOT '}EXISTS (SELECT 1 FROM creator_follows cf JOIN creator_profiles cp ON cp.id = cf.creator_profile_id WHERE cf.follower_id = :me AND cp.user_id = b.owner_id)`,
        { me: actor.id },
      );
    }

    const sort = query.sort ?? 'recent';
    if (sort === 'recently_chatted') {
      if (!actor) throw new UnauthorizedError('UNAUTHORIZED', 'sort=recently_chatted needs a signed-in caller.');
      // only bots the caller has chatted with, most recent conversation activity first
      qb.andWhere(`${LAST_CHATTED_SQL} IS NOT NULL`).setParameter('me', actor.id);
    }
    const seed = sort === 'random' ? (query.seed ?? randomBytes(8).toString('hex')) : undefined;
    const page = await keysetPage(qb, sortColumns(sort, publicOnly, seed, qb), query);
    const items = await this.cards(em, actor, page.items);
    return seed === undefined
      ? { items, next_cursor: page.next_cursor }
      : { items, next_cursor: page.next_cursor, seed };
  }

  /** GET /bots/mine. */
  async mine(actor: Actor, query: MyBotsQueryDto): Promise<BotPageDto> {
    const em = this.dataSource.manager;
    const qb = this.cardQuery(em);
    if ((query.role ?? 'owner') === 'owner') {
      qb.andWhere('b.owner_id = :me', { me: actor.id });
    } else {
      this.whereGranted(qb, actor, [GrantLevel.Edit, GrantLevel.Manage]);
    }
    return this.updatedPage(em, actor, qb, query);
  }

  /** GET /bots/shared-with-me. */
  async sharedWithMe(actor: Actor, query: MyBotsQueryDto): Promise<BotPageDto> {
    const em = this.dataSource.manager;
    const qb = this.cardQuery(em);
    this.whereGranted(qb, actor);
    return this.updatedPage(em, actor, qb, query);
  }

  /** GET /creators/{username}/bots: the creator's bots the caller can read. */
  async creatorBots(actor: Actor | undefined, username: string, query: CreatorBotsQueryDto): Promise<BotPageDto> {
    const em = this.dataSource.manager;
    const [creator] = await em.query(`SELECT id FROM users WHERE username = $1`, [username]);
    if (!creator) throw new NotFoundError('USER_NOT_FOUND', 'No account has this username.');
    const qb = this.cardQuery(em).andWhere('b.owner_id = :owner', { owner: creator.id });
    this.access.visibleTo(qb, 'b', actor, AccessResourceType.Bot);
    const self = actor?.id === creator.id;
    if (!self && !isStaff(actor) && !(await this.hasMatureOptIn(em, actor))) {
      qb.andWhere(`b.venue IN ('main', 'both')`);
    }
    return this.updatedPage(em, actor, qb, query);
  }

  // ---------------------------------------------------------------- writes

  /** POST /bots. */
  async create(actor: Actor, dto: CreateBotDto): Promise<BotDetailDto> {
    const id = await this.dataSource.transaction(async (em) => {
      await this.lockUserAndCheckLimit(em, actor.id);
      const bot = em.getRepository(Bot).create({ ownerId: actor.id });
      this.applyFields(bot, dto as unknown as Record<string, unknown>);
      bot.visibility ??= ResourceVisibility.Private;
      this.assertConsistent(bot);
      if (bot.visibility === ResourceVisibility.Public) {
        this.assertCanPublish(actor, bot);
        bot.publishedAt = new Date();
      }
      await this.media.assertUsableImage(actor.id, dto.picture_media_id, null, {
        field: 'picture_media_id',
        manager: em,
      });
      bot.slug = await this.chooseSlug(em, actor.id, dto.slug, dto.name);
      const saved = await this.saveBot(em, bot);
      if (saved.visibility === ResourceVisibility.Public) await this.adjustPublicCount(em, actor.id, +1);
      await this.touchCreator(em, actor.id);
      await this.recordBotCreated(em, actor.id, saved.id);
      return saved.id;
    });
    return this.detailAfterWrite(actor, id);
  }

  /** PATCH /bots/{id}: field-level rules of bots.md §1.4. */
  async update(actor: Actor, id: string, dto: UpdateBotDto): Promise<BotDetailDto> {
    await this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, true);
      const level = await this.access.levelFor(actor, botResource(bot), em);
      this.policy.assert(actor, 'view', bot, level);
      const fields = Object.keys(dto).filter((k) => (dto as unknown as Record<string, unknown>)[k] !== undefined);
      const ownerOnly = fields.filter((f) => (OWNER_ONLY_FIELDS as readonly string[]).includes(f));
      if (!canEdit(level)) throw new ForbiddenError('BOT_FORBIDDEN', 'You may not edit this bot.');
      if (ownerOnly.length && !isOwnerLevel(level)) {
        throw new ForbiddenError('FIELD_FORBIDDEN', `Only the owner may change ${ownerOnly.join(', ')}.`, {
          field: ownerOnly[0],
          fields: ownerOnly,
        });
      }
      const wasPublic = bot.visibility === ResourceVisibility.Public;
      const previousPicture = bot.pictureMediaId;
      if (dto.slug !== undefined && dto.slug !== bot.slug) {
        await this.assertSlugFree(em, bot.ownerId, dto.slug, bot.id);
      }
      this.applyFields(bot, dto as unknown as Record<string, unknown>);
      this.assertConsistent(bot);
      await this.media.assertUsableImage(actor.id, dto.picture_media_id, previousPicture, {
        field: 'picture_media_id',
        manager: em,
      });
      const nowPublic = bot.visibility === ResourceVisibility.Public;
      if (nowPublic && !wasPublic) {
        this.assertCanPublish(actor, bot);
        bot.publishedAt ??= new Date();
      }
      if (wasPublic && !nowPublic) clearFeature(bot);
      await this.saveBot(em, bot);
      if (nowPublic !== wasPublic) await this.adjustPublicCount(em, bot.ownerId, nowPublic ? +1 : -1);
      if (actor.id === bot.ownerId) await this.touchCreator(em, actor.id);
    });
    return this.detailAfterWrite(actor, id);
  }

  /**
   * DELETE /bots/{id}: interactions, grants and view rows cascade; copies keep their attribution. Modules holding
   * counters over bot rows (chat's participant_count) adjust them first, in the same transaction.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, true);
      const level = await this.access.levelFor(actor, botResource(bot), em);
      this.policy.assert(actor, 'delete', bot, level);
      await this.deletionHooks.beforeDelete(em, id);
      await em.getRepository(Bot).delete({ id });
      if (bot.visibility === ResourceVisibility.Public) await this.adjustPublicCount(em, bot.ownerId, -1);
    });
    this.logger.log({ msg: 'bot deleted', botId: id, by: actor.id });
  }

  /** POST /bots/{id}/copies (bots.md §1.5). */
  async copy(actor: Actor, id: string, dto: CopyBotDto): Promise<BotDetailDto> {
    const newId = await this.dataSource.transaction(async (em) => {
      const source = await this.baseQuery(em).where('b.id = :id', { id }).getOne();
      if (!source) throw new NotFoundError('BOT_NOT_FOUND');
      const level = await this.access.levelFor(actor, botResource(source), em);
      this.policy.assert(actor, 'copy', source, level);
      if (actor.id !== source.ownerId) {
        if (!canReadDefinition(source, level)) {
          throw new ForbiddenError('COPY_NOT_ALLOWED', 'The definition of this bot is hidden from you.');
        }
        const allowed = dto.kind === BotForkKind.Copy ? source.allowCopying : source.allowRemixing;
        if (!allowed)
          throw new ForbiddenError('COPY_NOT_ALLOWED', `The owner does not allow a ${dto.kind} of this bot.`);
      }
      await this.lockUserAndCheckLimit(em, actor.id);
      const repo = em.getRepository(Bot);
      const copy = repo.create({ ownerId: actor.id, name: dto.name ?? source.name });
      for (const prop of CONTENT_PROPS) (copy as unknown as Record<string, unknown>)[prop] = source[prop];
      if (source.ownerId !== actor.id) copy.pictureMediaId = null; // media must be the actor's own
      copy.visibility = ResourceVisibility.Private;
      copy.forkedFromBotId = source.id;
      copy.forkKind = dto.kind;
      copy.attributionText = source.requireAttribution
        ? `based on ${source.name} by @${source.owner?.username ?? 'unknown'}`.slice(0, 300)
        : null;
      copy.slug = await this.chooseSlug(em, actor.id, dto.slug, copy.name);
      const saved = await this.saveBot(em, copy);
      await em.query(`UPDATE bots SET copy_count = copy_count + 1 WHERE id = $1`, [source.id]);
      await this.touchCreator(em, actor.id);
      await this.recordBotCreated(em, actor.id, saved.id);
      return saved.id;
    });
    return this.detailAfterWrite(actor, newId);
  }

  /** PUT/DELETE /bots/{id}/like. Idempotent; the counter moves only when the flag flips. */
  async setLike(actor: Actor, id: string, on: boolean): Promise<LikeStateDto> {
    const count = await this.setFlag(actor, id, 'liked', on);
    return { liked: on, likes_count: count };
  }

  /** PUT/DELETE /bots/{id}/favorite. */
  async setFavorite(actor: Actor, id: string, on: boolean): Promise<FavoriteStateDto> {
    const count = await this.setFlag(actor, id, 'favorited', on);
    return { favorited: on, favorites_count: count };
  }

  /** PUT /bots/{id}/feature (moderator): only public, visible bots. */
  async feature(actor: Actor, id: string, reason?: string): Promise<BotDetailDto> {
    await this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, true);
      if (bot.visibility !== ResourceVisibility.Public || bot.moderationStatus !== ModerationStatus.Visible) {
        throw new ConflictError('BOT_NOT_PUBLIC', 'Only public, visible bots can be featured.');
      }
      if (!bot.isFeatured) {
        bot.isFeatured = true;
        bot.featuredAt = new Date();
      }
      bot.featuredById = actor.id;
      bot.featuredReason = reason ?? bot.featuredReason;
      await this.saveBot(em, bot);
    });
    return this.detailAfterWrite(actor, id);
  }

  /** DELETE /bots/{id}/feature (moderator). */
  async unfeature(actor: Actor, id: string): Promise<BotDetailDto> {
    await this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, true);
      clearFeature(bot);
      await this.saveBot(em, bot);
    });
    return this.detailAfterWrite(actor, id);
  }

  /** PUT /bots/{id}/moderation (moderator): hide with a reason, or make visible again. */
  async moderate(actor: Actor, id: string, dto: ModerateBotDto): Promise<BotDetailDto> {
    if (dto.status === 'hidden' && !dto.reason) {
      throw new InvalidError('VALIDATION_FAILED', 'Hiding a bot needs a reason.', [
        { field: 'reason', message: 'reason is required when status is hidden' },
      ]);
    }
    await this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, true);
      bot.moderationStatus = dto.status as ModerationStatus;
      bot.moderationReason = dto.reason ?? (dto.status === 'visible' ? null : bot.moderationReason);
      bot.moderatedById = actor.id;
      bot.moderatedAt = new Date();
      if (bot.moderationStatus === ModerationStatus.Hidden) clearFeature(bot);
      await this.saveBot(em, bot);
    });
    this.logger.log({ msg: 'bot moderated', botId: id, status: dto.status, by: actor.id });
    return this.detailAfterWrite(actor, id);
  }

  // ---------------------------------------------------------------- jobs

  /**
   * bots.flush-views: takes every buffered view with DELETE … RETURNING and adds it to the counters in the same
   * statement (README decision 17), so a retry finds nothing to add twice; then prunes expired dedupe marks.
   */
  async flushViews(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows: { n: number }[] = await em.query(
        `WITH taken AS (DELETE FROM bot_view_buffer RETURNING bot_id, viewed_at),
              agg AS (SELECT bot_id, count(*) AS n, max(viewed_at) AS last FROM taken GROUP BY bot_id),
              upd AS (UPDATE bots b SET view_count = b.view_count + agg.n,
                             last_viewed_at = greatest(b.last_viewed_at, agg.last)
                        FROM agg WHERE b.id = agg.bot_id RETURNING agg.n)
         SELECT coalesce(sum(n), 0)::int AS n FROM upd`,
      );
      await em.query(`DELETE FROM bot_view_marks WHERE counted_at < now() - interval '10 minutes'`);
      return rows[0]?.n ?? 0;
    });
  }

  /** bots.reconcile-counters: recomputes likes/favourites from bot_interactions (fixes drift); set-based. */
  async reconcileCounters(): Promise<void> {
    await this.dataSource.query(
      `UPDATE bots b SET likes_count = coalesce(s.l, 0), favorites_count = coalesce(s.f, 0)
         FROM bots b2 LEFT JOIN (SELECT bot_id, count(*) FILTER (WHERE liked)::int AS l,
                                        count(*) FILTER (WHERE favorited)::int AS f
                                   FROM bot_interactions GROUP BY bot_id) s ON s.bot_id = b2.id
        WHERE b.id = b2.id AND (b.likes_count <> coalesce(s.l, 0) OR b.favorites_count <> coalesce(s.f, 0))`,
    );
  }

  // ---------------------------------------------------------------- helpers

  /** The whole bot (detail, copy) plus the owner's card columns and profile name (never the whole user row). */
  private baseQuery(em: EntityManager): SelectQueryBuilder<Bot> {
    return this.withOwnerCard(em.getRepository(Bot).createQueryBuilder('b'));
  }

  /** Lists: only CARD_COLUMNS plus the owner's card columns and profile name, in one query. */
  private cardQuery(em: EntityManager): SelectQueryBuilder<Bot> {
    return this.withOwnerCard(
      em
        .getRepository(Bot)
        .createQueryBuilder('b')
        .select(CARD_COLUMNS.map((c) => `b.${c}`)),
    );
  }

  /**
   * Joins the owner's user-card columns and their creator profile's display name (ux_creator_profiles_user: at most
   * one row), mapped onto `ownerProfile`, so decorate() needs no second query for the names.
   */
  private withOwnerCard(qb: SelectQueryBuilder<Bot>): SelectQueryBuilder<Bot> {
    qb.leftJoin('b.owner', 'owner')
      .addSelect(['owner.id', 'owner.username', 'owner.avatarMediaId'])
      .leftJoinAndMapOne('b.ownerProfile', 'creator_profiles', 'owner_cp', 'owner_cp.user_id = b.owner_id');
    // leftJoinAndMapOne selects the whole profile row (bio, links…); keep only its id (for hydration) and the name.
    qb.expressionMap.selects = qb.expressionMap.selects.filter((sel) => sel.selection !== 'owner_cp');
    return qb.addSelect(['owner_cp.id', 'owner_cp.displayName']);
  }

  private async loadBot(em: EntityManager, id: string, lock: boolean): Promise<Bot> {
    const bot = await em
      .getRepository(Bot)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    return bot;
  }

  private async readDetail(actor: Actor | undefined, bot: Bot | null, viewer: ViewerInfo): Promise<BotDetailDto> {
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const resource = botResource(bot);
    const level = await this.access.levelFor(actor, resource);
    this.policy.assert(actor, 'view', bot, level);
    if (actor && (level === 'view' || level === 'edit' || level === 'manage')) {
      await this.access.touchGrant(actor.id, resource);
    }
    if (actor?.id !== bot.ownerId && bot.moderationStatus === ModerationStatus.Visible) {
      await this.recordView(bot.id, actor, viewer);
    }
    const [card] = await this.decorate(this.dataSource.manager, actor, [bot], new Map([[bot.id, level]]));
    return toBotDetail(card);
  }

  private async detailAfterWrite(actor: Actor, id: string): Promise<BotDetailDto> {
    const bot = await this.baseQuery(this.dataSource.manager).where('b.id = :id', { id }).getOne();
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const level = await this.access.levelFor(actor, botResource(bot));
    if (level === null) throw new NotFoundError('BOT_NOT_FOUND');
    const [view] = await this.decorate(this.dataSource.manager, actor, [bot], new Map([[bot.id, level]]));
    return toBotDetail(view);
  }

  /** Cards for a page: one grants query and one interactions query (names come with the page; no N+1). */
  private async cards(em: EntityManager, actor: Actor | undefined, bots: Bot[]): Promise<BotCardDto[]> {
    const levels = await this.access.levelsFor(actor, bots.map(botResource), em);
    const views = await this.decorate(em, actor, bots, levels);
    return views.map(toBotCard);
  }

  /** `bots` must come from baseQuery() or cardQuery() (the owner card and profile name are joined there). */
  private async decorate(
    em: EntityManager,
    actor: Actor | undefined,
    bots: Bot[],
    levels: Map<string, AccessLevel>,
  ): Promise<Parameters<typeof toBotCard>[0][]> {
    if (!bots.length) return [];
    const ids = bots.map((b) => b.id);
    let interactions: Map<string, MyInteractionDto> | undefined;
    if (actor) {
      const rows: { bot_id: string; liked: boolean; favorited: boolean }[] = await em.query(
        `SELECT bot_id, liked, favorited FROM bot_interactions WHERE user_id = $1 AND bot_id = ANY($2::uuid[])`,
        [actor.id, ids],
      );
      interactions = new Map(rows.map((r) => [r.bot_id, { liked: r.liked, favorited: r.favorited }]));
    }
    const staff = isStaff(actor);
    return bots.map((bot) => ({
      bot,
      level: levels.get(bot.id) ?? 'public',
      creatorDisplayName: (bot as LoadedBot).ownerProfile?.displayName ?? null,
      interaction: interactions ? (interactions.get(bot.id) ?? { liked: false, favorited: false }) : undefined,
      isStaff: staff,
    })) as Parameters<typeof toBotCard>[0][];
  }

  private whereGranted(qb: SelectQueryBuilder<Bot>, actor: Actor, levels?: GrantLevel[]): void {
    const p = 'gr';
    qb.andWhere(`b.moderation_status = 'visible' AND ${this.access.grantExistsSql('b', p, levels)}`, {
      [`${p}_actor`]: actor.id,
      [`${p}_type`]: AccessResourceType.Bot,
    });
  }

  private async updatedPage(
    em: EntityManager,
    actor: Actor | undefined,
    qb: SelectQueryBuilder<Bot>,
    query: { limit?: number; cursor?: string },
  ): Promise<BotPageDto> {
    const page: Page<Bot> = await keysetPage(
      qb,
      [
        { expr: 'b.updated_at', direction: 'DESC', value: (b) => b.updatedAt.toISOString(), cast: 'timestamptz' },
        { expr: 'b.id', direction: 'DESC', value: (b) => b.id, cast: 'uuid' },
      ],
      query,
    );
    return { items: await this.cards(em, actor, page.items), next_cursor: page.next_cursor };
  }

  private async setFlag(actor: Actor, id: string, flag: 'liked' | 'favorited', on: boolean): Promise<number> {
    const counter = flag === 'liked' ? 'likes_count' : 'favorites_count';
    const at = flag === 'liked' ? 'liked_at' : 'favorited_at';
    const other = flag === 'liked' ? 'favorited' : 'liked';
    return this.dataSource.transaction(async (em) => {
      const bot = await this.loadBot(em, id, false);
      const level = await this.access.levelFor(actor, botResource(bot), em);
      this.policy.assert(actor, 'use', bot, level);
      let flipped = false;
      if (on) {
        const rows = await em.query(
          `INSERT INTO bot_interactions (user_id, bot_id, ${flag}, ${at}) VALUES ($1, $2, true, now())
           ON CONFLICT (user_id, bot_id) DO UPDATE SET ${flag} = true, ${at} = now(), updated_at = now()
             WHERE bot_interactions.${flag} = false
           RETURNING bot_id`,
          [actor.id, id],
        );
        flipped = rows.length > 0;
      } else {
        const [rows] = await em.query(
          `UPDATE bot_interactions SET ${flag} = false, ${at} = NULL, updated_at = now()
            WHERE user_id = $1 AND bot_id = $2 AND ${flag} RETURNING ${other}`,
          [actor.id, id],
        );
        flipped = rows.length > 0;
        if (flipped && !rows[0][other]) {
          await em.query(
            `DELETE FROM bot_interactions WHERE user_id = $1 AND bot_id = $2 AND NOT liked AND NOT favorited`,
            [actor.id, id],
          );
        }
      }
      if (flipped) {
        const type = on
          ? flag === 'liked'
            ? 'bot_liked'
            : 'bot_favorited'
          : flag === 'liked'
            ? 'bot_unliked'
            : 'bot_unfavorited';
        await this.analytics.record(em, {
          type,
          idempotencyKey: `${type}:${id}:${actor.id}:${Date.now()}`,
          actorUserId: actor.id,
          botId: id,
        });
        const [rows] = await em.query(
          `UPDATE bots SET ${counter} = greatest(${counter} ${on ? '+' : '-'} 1, 0) WHERE id = $1 RETURNING ${counter} AS n`,
          [id],
        );
        return rows[0].n as number;
      }
      const [row] = await em.query(`SELECT ${counter} AS n FROM bots WHERE id = $1`, [id]);
      return row.n as number;
    });
  }

  /** One view per user or IP per bot per 10 minutes, buffered for the flush job (one statement). */
  private async recordView(botId: string, actor: Actor | undefined, viewer: ViewerInfo): Promise<void> {
    const key = actor
      ? `u-${actor.id}`
      : viewer.ip
        ? `ip-${createHash('sha256').update(viewer.ip).digest('hex').slice(0, 64)}`
        : null;
    if (!key) return;
    const actorKey = actor ? actor.id : await this.anonymousViewers.forViewer(viewer.ip!, viewer.userAgent);
    const rows = await this.dataSource.transaction(async (em) => {
      const counted = await em.query(
        `WITH mark AS (
           INSERT INTO bot_view_marks (bot_id, viewer_key, counted_at) VALUES ($1, $2, now())
           ON CONFLICT (bot_id, viewer_key) DO UPDATE SET counted_at = now()
             WHERE bot_view_marks.counted_at < now() - interval '10 minutes'
           RETURNING bot_id)
         INSERT INTO bot_view_buffer (bot_id) SELECT bot_id FROM mark RETURNING id`,
        [botId, key],
      );
      // analytics.md §1: only a view that passed the 10-minute de-duplication becomes a bot_viewed event.
      if (counted.length) {
        await this.analytics.record(em, {
          type: 'bot_viewed',
          idempotencyKey: `view:${botId}:${actorKey}:${Math.floor(Date.now() / 1000 / VIEW_BUCKET_SECONDS)}`,
          actorUserId: actor?.id ?? null,
          actorKey,
          botId,
        });
      }
      return counted as unknown[];
    });
    if (rows.length) {
      await this.jobs.enqueue('bots.flush-views', {}, { jobId: FLUSH_VIEWS_JOB_ID, delayMs: FLUSH_DELAY_MS });
    }
  }

  /** analytics.md §1 `bot_created`, inside the creating transaction (create, copy, card import). */
  recordBotCreated(em: EntityManager, ownerId: string, botId: string): Promise<void> {
    return this.analytics.record(em, {
      type: 'bot_created',
      idempotencyKey: `bot_new:${botId}`,
      actorUserId: ownerId,
      botId,
    });
  }

  private applyFields(bot: Bot, dto: Record<string, unknown>): void {
    for (const [field, value] of Object.entries(dto)) {
      const prop = FIELD_MAP[field];
      if (!prop || value === undefined) continue;
      const target = bot as unknown as Record<string, unknown>;
      if (value === null && prop in NOT_NULL_DEFAULTS) target[prop] = NOT_NULL_DEFAULTS[prop];
      else if (value === null && ['name', 'systemPrompt', 'slug', 'visibility'].includes(prop)) {
        throw new InvalidError('VALIDATION_FAILED', `${field} cannot be null.`, [
          { field, message: `${field} must not be null` },
        ]);
      } else if (value === null && !isNullableProp(prop)) {
        throw new InvalidError('VALIDATION_FAILED', `${field} cannot be null.`, [
          { field, message: `${field} must not be null` },
        ]);
      } else target[prop] = value;
    }
  }

  /** Rules across fields that the database also checks (answered as 400, never as a 500). */
  private assertConsistent(bot: Bot): void {
    const errors: { field: string; message: string }[] = [];
    if ((bot.backroomsClassifications?.length ?? 0) > 0 && (bot.venue ?? BotVenue.Main) === BotVenue.Main) {
      errors.push({
        field: 'backrooms_classifications',
        message: 'backrooms_classifications need venue backrooms or both',
      });
    }
    if (bot.allowRemixing && !bot.allowCopying) {
      errors.push({ field: 'allow_remixing', message: 'allow_remixing needs allow_copying' });
    }
    if (
      bot.allowCopying &&
      (bot.definitionVisibility ?? BotDefinitionVisibility.Editors) !== BotDefinitionVisibility.Viewers
    ) {
      errors.push({ field: 'allow_copying', message: 'allow_copying needs definition_visibility viewers' });
    }
    if (errors.length) throw new InvalidError('VALIDATION_FAILED', errors.map((e) => e.message).join('; '), errors);
  }

  private assertCanPublish(actor: Actor, bot: Bot): void {
    if (bot.forkKind === BotForkKind.Copy) {
      throw new ConflictError('COPY_NOT_PUBLISHABLE', 'A copy can never be made public; remixes can.');
    }
    if (!actor.emailVerified) {
      throw new ForbiddenError('EMAIL_NOT_VERIFIED', 'Verify your email address before publishing.');
    }
  }

  private async chooseSlug(
    em: EntityManager,
    ownerId: string,
    explicit: string | undefined,
    name: string,
  ): Promise<string> {
    if (explicit) {
      await this.assertSlugFree(em, ownerId, explicit, null);
      return explicit;
    }
    const base = slugify(name);
    const rows: { slug: string }[] = await em.query(
      `SELECT slug FROM bots WHERE owner_id = $1 AND (slug = $2 OR slug LIKE $3)`,
      [ownerId, base, `${base.slice(0, 70).replace(/[%_]/g, '')}%`],
    );
    return firstFreeSlug(base, new Set(rows.map((r) => r.slug)));
  }

  private async assertSlugFree(
    em: EntityManager,
    ownerId: string,
    slug: string,
    exceptId: string | null,
  ): Promise<void> {
    const [row] = await em.query(`SELECT id FROM bots WHERE owner_id = $1 AND slug = $2`, [ownerId, slug]);
    if (row && row.id !== exceptId)
      throw new ConflictError('SLUG_TAKEN', `You already have a bot with slug "${slug}".`);
  }

  /** Serialises a user's bot creations (limit and slug choice) by locking their users row. */
  private async lockUserAndCheckLimit(em: EntityManager, userId: string): Promise<void> {
    await em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM bots WHERE owner_id = $1`, [userId]);
    const max = this.config.get('BOTS_PER_USER_MAX', { infer: true });
    if (n >= max) throw new ConflictError('BOT_LIMIT', `You can own at most ${max} bots.`);
  }

  private async saveBot(em: EntityManager, bot: Bot): Promise<Bot> {
    try {
      return await em.getRepository(Bot).save(bot);
    } catch (err) {
      if ((err as { code?: string; constraint?: string }).constraint === 'ux_bots_owner_slug') {
        throw new ConflictError('SLUG_TAKEN', 'You already have a bot with this slug.');
      }
      throw err;
    }
  }

  private async hasMatureOptIn(em: EntityManager, actor: Actor | undefined): Promise<boolean> {
    if (!actor) return false;
    const [row] = await em.query(`SELECT mature_content_opt_in_at FROM users WHERE id = $1`, [actor.id]);
    return !!row?.mature_content_opt_in_at;
  }

  private async assertMatureOptIn(em: EntityManager, actor: Actor | undefined): Promise<void> {
    if (!(await this.hasMatureOptIn(em, actor))) {
      throw new ForbiddenError('MATURE_CONTENT_NOT_ENABLED', 'Listing the backrooms needs the mature-content opt-in.');
    }
  }

  /** creators.md §1: public_bot_count ±1 in the bot's transaction (no row when the user has no profile). */
  private async adjustPublicCount(em: EntityManager, ownerId: string, delta: 1 | -1): Promise<void> {
    await em.query(
      `UPDATE creator_profiles SET public_bot_count = greatest(public_bot_count + $2, 0) WHERE user_id = $1`,
      [ownerId, delta],
    );
  }

  /** README decision 18: the creator's last_active_at moves when they create or edit a bot (at most hourly). */
  private async touchCreator(em: EntityManager, ownerId: string): Promise<void> {
    await em.query(
      `UPDATE creator_profiles SET last_active_at = now()
        WHERE user_id = $1 AND (last_active_at IS NULL OR last_active_at < now() - interval '1 hour')`,
      [ownerId],
    );
  }
}

const NULLABLE_PROPS = new Set<keyof Bot>([
  'pictureMediaId',
  'gender',
  'age',
  'description',
  'greeting',
  'tone',
  'formality',
  'humor',
  'communication',
  'responseLength',
  'creativity',
  'knowledgeSharing',
  'shareExpiresAt',
]);
const isNullableProp = (prop: keyof Bot) => NULLABLE_PROPS.has(prop);

function clearFeature(bot: Bot): void {
  bot.isFeatured = false;
  bot.featuredAt = null;
  bot.featuredById = null;
  bot.featuredReason = null;
}

/** When the caller (`:me`) last had activity in a conversation with the bot (sort=recently_chatted). */
const LAST_CHATTED_SQL =
  '(SELECT max(c.last_activity_at) FROM conversation_participants cp_chat ' +
  'JOIN conversations c ON c.id = cp_chat.conversation_id ' +
  'WHERE cp_chat.bot_id = b.id AND c.owner_user_id = :me)';

/** Keyset columns per explore sort; every sort ends with the id (bots.md §1.6). */
function sortColumns(
  sort: string,
  publicOnly: boolean,
  seed: string | undefined,
  qb: SelectQueryBuilder<Bot>,
): KeysetColumn<Bot>[] {
  const id = (direction: 'ASC' | 'DESC'): KeysetColumn<Bot> => ({
    expr: 'b.id',
    direction,
    value: (b) => b.id,
    cast: 'uuid',
  });
  switch (sort) {
    case 'recently_chatted':
      return [
        {
          expr: LAST_CHATTED_SQL,
          selectAs: 'last_chatted_at',
          direction: 'DESC',
          value: (_b, raw) => new Date(raw.last_chatted_at as string | Date).toISOString(),
          cast: 'timestamptz',
        },
        id('DESC'),
      ];
    case 'popular':
      return [{ expr: 'b.likes_count', direction: 'DESC', value: (b) => b.likesCount, cast: 'integer' }, id('DESC')];
    case 'favorites':
      return [
        { expr: 'b.favorites_count', direction: 'DESC', value: (b) => b.favoritesCount, cast: 'integer' },
        id('DESC'),
      ];
    case 'name':
      return [{ expr: 'b.name_sort', direction: 'ASC', value: (b) => b.nameSort, cast: 'varchar' }, id('ASC')];
    case 'name_desc':
      return [{ expr: 'b.name_sort', direction: 'DESC', value: (b) => b.nameSort, cast: 'varchar' }, id('DESC')];
    case 'random': {
      qb.setParameter('seed', seed);
      return [
        {
          expr: `md5(CAST(:seed AS text) || CAST(b.id AS text))`,
          direction: 'ASC',
          value: (b) => createHash('md5').update(`${seed}${b.id}`).digest('hex'),
          cast: 'text',
        },
        id('ASC'),
      ];
    }
    default:
      // public bots always have published_at; private/shared ones (scope=accessible) fall back to created_at
      return publicOnly
        ? [
            {
              expr: 'b.published_at',
              direction: 'DESC',
              value: (b) => b.publishedAt!.toISOString(),
              cast: 'timestamptz',
            },
            id('DESC'),
          ]
        : [
            {
              expr: 'coalesce(b.published_at, b.created_at)',
              direction: 'DESC',
              value: (b) => (b.publishedAt ?? b.createdAt).toISOString(),
              cast: 'timestamptz',
            },
            id('DESC'),
          ];
  }
}
