import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import type { AccessLevel } from '../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../common/access/access.enums.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import { type Actor, isStaff } from '../../common/auth/actor.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { keysetPage, mapPage, type KeysetColumn, type Page } from '../../common/pagination/page.js';
import { GrantsService } from '../access/grants.service.js';
import { ActorCache } from '../identity/actor-cache.js';
import { isReservedUsername, usernameProblem } from '../identity/reserved-usernames.js';
import { MediaService } from '../media/media.service.js';
import { CreatorProfilePolicy, profileResource, type ProfileAction } from './creator-profile.policy.js';
import { CreatorsRepository } from './creators.repository.js';
import {
  type CreateCreatorProfileDto,
  OWNER_ONLY_PROFILE_FIELDS,
  READ_ONLY_PROFILE_FIELDS,
  type SetProfileModerationDto,
  type SetVerificationDto,
  type UpdateCreatorProfileDto,
  VerificationDecision,
} from './dto/create-creator-profile.dto.js';
import {
  type CreatorCardDto,
  type CreatorProfileResponseDto,
  type ProgramBadgeDto,
  toCreatorCard,
  toCreatorProfileResponse,
  type VerificationStateDto,
} from './dto/creator-profile-response.dto.js';
import type { PutFeaturedBotsDto } from './dto/featured-bots.dto.js';
import { CreatorSort, type ListCreatorsQueryDto } from './dto/list-creators.dto.js';
import type { PutSocialLinksDto, SocialLinkDto } from './dto/social-links.dto.js';
import { CreatorFeaturedBot } from './entities/creator-featured-bot.entity.js';
import { CreatorFollow } from './entities/creator-follow.entity.js';
import { CreatorProfile } from './entities/creator-profile.entity.js';
import { CreatorProgramMembership } from './entities/creator-program-membership.entity.js';
import { CreatorSocialLink } from './entities/creator-social-link.entity.js';
import {
  CreatorLinkPlatform,
  CreatorProfileVisibility,
  CreatorVerification,
  ProgramMembershipStatus,
} from './entities/creator.enums.js';

const DISCORD_HANDLE = /^[A-Za-z0-9_.]{2,32}$/;

/** A loaded profile with its handle and the caller's effective access. */
export interface LoadedProfile {
  profile: CreatorProfile;
  username: string;
  level: AccessLevel;
}

/** Creator profiles: create, read, edit, showcase, verification, featuring, moderation (creators.md §1). */
@Injectable()
export class CreatorsService {
  private readonly logger = new Logger(CreatorsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly policy: CreatorProfilePolicy,
    private readonly repo: CreatorsRepository,
    private readonly media: MediaService,
    private readonly grants: GrantsService,
    private readonly actorCache: ActorCache,
  ) {}

  // ---------------------------------------------------------------- create / read

  async create(actor: Actor, dto: CreateCreatorProfileDto): Promise<CreatorProfileResponseDto> {
    if (!actor.emailVerified) {
      throw new ForbiddenError('EMAIL_NOT_VERIFIED', 'Verify your email address before creating a creator profile.');
    }
    const id = await this.dataSource.transaction(async (em) => {
      const existing = await em.getRepository(CreatorProfile).exists({ where: { userId: actor.id } });
      if (existing) throw profileExists();
      await this.media.assertUsableImage(actor.id, dto.avatar_media_id, null, {
        field: 'avatar_media_id',
        manager: em,
      });
      await this.media.assertUsableImage(actor.id, dto.banner_media_id, null, {
        field: 'banner_media_id',
        manager: em,
      });
      const row = em.getRepository(CreatorProfile).create({
        userId: actor.id,
        displayName: dto.display_name,
        bio: dto.bio,
        avatarMediaId: dto.avatar_media_id ?? null,
        bannerMediaId: dto.banner_media_id ?? null,
        creatorType: dto.creator_type,
        specialties: dto.specialties ?? [],
        experienceLevel: dto.experience_level ?? null,
        location: dto.location ?? null,
        languages: dto.languages ?? [],
        tags: dto.tags ?? [],
        profileVisibility: dto.profile_visibility,
        allowCollaboration: dto.allow_collaboration,
        acceptsCommissions: dto.accepts_commissions,
        commissionInfo: dto.commission_info ?? null,
        publicBotCount: await this.repo.countPublicBots(em, actor.id),
        lastActiveAt: new Date(),
      });
      let id: string;
      try {
        id = (await em.getRepository(CreatorProfile).insert(row)).identifiers[0].id as string;
      } catch (err) {
        // A concurrent second POST loses on ux_creator_profiles_user.
        if ((err as { code?: string }).code === '23505') throw profileExists();
        throw err;
      }
      await this.repo.promoteToCreator(em, actor.id);
      return id;
    });
    this.actorCache.invalidate(actor.id); // role user → creator (identity's guard cache), after commit
    this.logger.log({ msg: 'creator profile created', profileId: id, userId: actor.id });
    return this.respond(actor, await this.loadById(actor, id));
  }

  async me(actor: Actor): Promise<CreatorProfileResponseDto> {
    const profile = await this.dataSource.getRepository(CreatorProfile).findOne({ where: { userId: actor.id } });
    if (!profile) throw new NotFoundError('PROFILE_NOT_FOUND', 'You have no creator profile yet.');
    return this.respond(actor, { profile, username: actor.username, level: 'owner' });
  }

  async get(actor: Actor | undefined, username: string): Promise<CreatorProfileResponseDto> {
    const loaded = await this.load(actor, username, 'read');
    return this.respond(actor, loaded);
  }

  /**
   * Loads the profile of `username` for `action`: unknown, or not readable by the caller → 404; readable but the
   * action is not allowed → 403. Malformed handles → 400. Inside a transaction, pass `em` (and `lock`).
   */
  async load(
    actor: Actor | undefined,
    username: string,
    action: ProfileAction,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<LoadedProfile> {
    const handle = username.toLowerCase();
    const problem = usernameProblem(handle);
    // A reserved word can never be anyone's handle: plain 404. A malformed handle is the caller's mistake: 400.
    if (problem && isReservedUsername(handle)) throw new NotFoundError('PROFILE_NOT_FOUND');
    if (problem) {
      throw new InvalidError('INVALID_USERNAME', 'That is not a valid username.', [
        { field: 'username', message: problem },
      ]);
    }
    const qb = em
      .getRepository(CreatorProfile)
      .createQueryBuilder('cp')
      .innerJoin('cp.user', 'u')
      .addSelect('u.username')
      .where('u.username = :handle', { handle });
    if (lock) qb.setLock('pessimistic_write', undefined, ['cp']);
    const row = await qb.getOne();
    if (!row) throw new NotFoundError('PROFILE_NOT_FOUND');
    const level = await this.access.levelFor(actor, profileResource(row), em);
    this.policy.assert(actor, action, row, level);
    return { profile: row, username: row.user!.username, level };
  }

  private async loadById(actor: Actor, id: string): Promise<LoadedProfile> {
    const row = await this.dataSource
      .getRepository(CreatorProfile)
      .createQueryBuilder('cp')
      .innerJoin('cp.user', 'u')
      .addSelect('u.username')
      .where('cp.id = :id', { id })
      .getOneOrFail();
    return {
      profile: row,
      username: row.user!.username,
      level: await this.access.levelFor(actor, profileResource(row)),
    };
  }

  /** Full response: links, showcase, badges and `following` with one query each (no N+1). */
  private async respond(actor: Actor | undefined, loaded: LoadedProfile): Promise<CreatorProfileResponseDto> {
    const { profile, username, level } = loaded;
    const em = this.dataSource.manager;
    const editor = level === 'owner' || level === 'manage' || level === 'edit';
    const [links, featuredBots, programs, following] = await Promise.all([
      em.getRepository(CreatorSocialLink).find({ where: { creatorProfileId: profile.id }, order: { position: 'ASC' } }),
      this.repo.featuredBots(em, profile.id, editor),
      this.badges(em, profile.id),
      actor
        ? em.getRepository(CreatorFollow).exists({ where: { followerId: actor.id, creatorProfileId: profile.id } })
        : Promise.resolve(null),
    ]);
    return toCreatorProfileResponse(profile, {
      username,
      links,
      featuredBots,
      programs,
      following,
      level,
      privateFields: this.policy.can(actor, 'read_private_fields', profile, level),
    });
  }

  private async badges(em: EntityManager, profileId: string): Promise<ProgramBadgeDto[]> {
    const rows = await em
      .getRepository(CreatorProgramMembership)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.program', 'p')
      .leftJoinAndSelect('m.tier', 't')
      .where('m.creator_profile_id = :profileId AND m.status = :active', {
        profileId,
        active: ProgramMembershipStatus.Active,
      })
      .orderBy('m.started_at', 'ASC')
      .getMany();
    return rows.map((m) => ({
      program_id: m.programId,
      slug: m.program!.slug,
      name: m.program!.name,
      program_type: m.program!.programType,
      tier_level: m.tier?.level ?? null,
      tier_name: m.tier?.name ?? null,
      since: m.startedAt.toISOString(),
    }));
  }

  // ---------------------------------------------------------------- directory

  async list(actor: Actor | undefined, query: ListCreatorsQueryDto): Promise<Page<CreatorCardDto>> {
    const staff = isStaff(actor);
    if (!staff && (query.visibility || query.moderation_status)) {
      throw new ForbiddenError('STAFF_FILTER', 'Only moderators may list unlisted, private or hidden profiles.');
    }
    if (query.followed && !actor) {
      throw new InvalidError('SIGN_IN_REQUIRED', 'followed=true needs a signed-in caller.', [
        { field: 'followed', message: 'sign in to filter by followed creators' },
      ]);
    }
    const qb = this.dataSource
      .getRepository(CreatorProfile)
      .createQueryBuilder('cp')
      .innerJoin('cp.user', 'u')
      .addSelect('u.username')
      .where('cp.profile_visibility = :visibility', { visibility: query.visibility ?? CreatorProfileVisibility.Public })
      .andWhere('cp.moderation_status = :moderation', {
        moderation: query.moderation_status ?? ModerationStatus.Visible,
      });
    if (query.q) qb.andWhere(`cp.search_vector @@ plainto_tsquery('simple', :q)`, { q: query.q });
    if (query.specialty)
      qb.andWhere('cp.specialties @> ARRAY[:specialty]::creator_specialty[]', { specialty: query.specialty });
    if (query.creator_type) qb.andWhere('cp.creator_type = :ctype', { ctype: query.creator_type });
    if (query.verification) qb.andWhere('cp.verification_status = :ver', { ver: query.verification });
    if (query.featured !== undefined) qb.andWhere('cp.is_featured = :featured', { featured: query.featured });
    if (query.accepts_commissions !== undefined) {
      qb.andWhere('cp.accepts_commissions = :commissions', { commissions: query.accepts_commissions });
    }
    if (query.language) qb.andWhere('cp.languages @> ARRAY[:language]::text[]', { language: query.language });
    if (query.followed === true) {
      qb.andWhere(
        new Brackets((w) =>
          w.where(
            'EXISTS (SELECT 1 FROM creator_follows f WHERE f.follower_id = :me AND f.creator_profile_id = cp.id)',
            { me: actor!.id },
          ),
        ),
      );
    }
    const page = await keysetPage(qb, directoryColumns(query.sort ?? CreatorSort.Followers), query);
    return mapPage(page, (p) => toCreatorCard(p, p.user!.username));
  }

  // ---------------------------------------------------------------- update

  async update(actor: Actor, username: string, dto: UpdateCreatorProfileDto): Promise<CreatorProfileResponseDto> {
    // Read-only fields are named and refused, never silently dropped (creators.md §1, "Owner-read-only fields").
    const readOnly = READ_ONLY_PROFILE_FIELDS.filter((f) => dto[f] !== undefined);
    if (readOnly.length) {
      throw new ForbiddenError(
        'FIELD_NOT_WRITABLE',
        `${readOnly.join(', ')} cannot be changed through this endpoint.`,
        { errors: readOnly.map((field) => ({ field, message: `${field} is read-only` })) },
      );
    }
    const loaded = await this.dataSource.transaction(async (em) => {
      const ownerOnly = OWNER_ONLY_PROFILE_FIELDS.filter((f) => dto[f] !== undefined);
      const { profile, username: handle, level } = await this.load(actor, username, 'edit_content', em, true);
      if (ownerOnly.length && !this.policy.can(actor, 'edit_owner_settings', profile, level)) {
        throw new ForbiddenError('FIELD_NOT_WRITABLE', `Only the owner may change ${ownerOnly.join(', ')}.`, {
          errors: ownerOnly.map((field) => ({ field, message: `only the owner may change ${field}` })),
        });
      }
      await this.media.assertUsableImage(actor.id, dto.avatar_media_id, profile.avatarMediaId, {
        field: 'avatar_media_id',
        manager: em,
      });
      await this.media.assertUsableImage(actor.id, dto.banner_media_id, profile.bannerMediaId, {
        field: 'banner_media_id',
        manager: em,
      });
      const patch: Partial<CreatorProfile> = {};
      if (dto.display_name !== undefined) patch.displayName = dto.display_name;
      if (dto.bio !== undefined) patch.bio = dto.bio;
      if (dto.avatar_media_id !== undefined) patch.avatarMediaId = dto.avatar_media_id;
      if (dto.banner_media_id !== undefined) patch.bannerMediaId = dto.banner_media_id;
      if (dto.creator_type !== undefined) patch.creatorType = dto.creator_type;
      if (dto.specialties !== undefined) patch.specialties = dto.specialties;
      if (dto.experience_level !== undefined) patch.experienceLevel = dto.experience_level;
      if (dto.location !== undefined) patch.location = dto.location;
      if (dto.languages !== undefined) patch.languages = dto.languages;
      if (dto.tags !== undefined) patch.tags = dto.tags;
      if (dto.profile_visibility !== undefined) patch.profileVisibility = dto.profile_visibility;
      if (dto.allow_collaboration !== undefined) patch.allowCollaboration = dto.allow_collaboration;
      if (dto.accepts_commissions !== undefined) patch.acceptsCommissions = dto.accepts_commissions;
      if (dto.commission_info !== undefined) patch.commissionInfo = dto.commission_info;
      if (actor.id === profile.userId) patch.lastActiveAt = new Date();
      if (Object.keys(patch).length) await em.getRepository(CreatorProfile).update({ id: profile.id }, patch);
      const fresh = await em.getRepository(CreatorProfile).findOneByOrFail({ id: profile.id });
      return { profile: fresh, username: handle, level };
    });
    return this.respond(actor, loaded);
  }

  async remove(actor: Actor, username: string): Promise<void> {
    const ownerId = await this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'delete', em, true);
      // access_grants.creator_profile_id has no database cascade yet (bots migration); delete the grants here.
      await this.grants.deleteForResource(em, AccessResourceType.CreatorProfile, profile.id);
      await em.getRepository(CreatorProfile).delete({ id: profile.id });
      await this.repo.demoteToUser(em, profile.userId);
      return profile.userId;
    });
    this.actorCache.invalidate(ownerId); // role creator → user (identity's guard cache), after commit
    this.logger.log({ msg: 'creator profile deleted', username, by: actor.id });
  }

  // ---------------------------------------------------------------- social links and showcase

  async putSocialLinks(actor: Actor, username: string, dto: PutSocialLinksDto): Promise<CreatorProfileResponseDto> {
    validateLinks(dto.links);
    await this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'edit_content', em, true);
      await em.getRepository(CreatorSocialLink).delete({ creatorProfileId: profile.id });
      if (dto.links.length) {
        await em.getRepository(CreatorSocialLink).insert(
          dto.links.map((l, position) => ({
            creatorProfileId: profile.id,
            platform: l.platform,
            label: l.platform === CreatorLinkPlatform.Other ? l.label!.trim() : null,
            value: l.value.trim(),
            position,
          })),
        );
      }
      await this.touchOwn(em, actor, profile);
    });
    return this.get(actor, username);
  }

  async putFeaturedBots(actor: Actor, username: string, dto: PutFeaturedBotsDto): Promise<CreatorProfileResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'edit_content', em, true);
      const allowed = await this.repo.ownPublicBotIds(em, profile.userId, dto.bot_ids);
      const bad = dto.bot_ids.map((id, i) => ({ id, i })).filter(({ id }) => !allowed.has(id));
      if (bad.length) {
        throw new InvalidError(
          'FEATURED_BOT_NOT_ALLOWED',
          'Only the profile owner’s own public bots can be featured.',
          bad.map(({ i }) => ({ field: `bot_ids.${i}`, message: 'must be one of the profile owner’s public bots' })),
        );
      }
      await em.getRepository(CreatorFeaturedBot).delete({ creatorProfileId: profile.id });
      if (dto.bot_ids.length) {
        await em
          .getRepository(CreatorFeaturedBot)
          .insert(dto.bot_ids.map((botId, position) => ({ creatorProfileId: profile.id, botId, position })));
      }
      await this.touchOwn(em, actor, profile);
    });
    return this.get(actor, username);
  }

  // ---------------------------------------------------------------- verification, feature, moderation

  async requestVerification(actor: Actor, username: string): Promise<VerificationStateDto> {
    return this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'request_verification', em, true);
      if (profile.verificationStatus !== CreatorVerification.Unverified) {
        throw new ConflictError(
          'INVALID_VERIFICATION_TRANSITION',
          `A ${profile.verificationStatus} profile cannot request verification.`,
        );
      }
      if (profile.publicBotCount < 1) {
        throw new ConflictError(
          'PUBLIC_BOT_REQUIRED',
          'Publish at least one public bot before requesting verification.',
        );
      }
      const now = new Date();
      await em
        .getRepository(CreatorProfile)
        .update({ id: profile.id }, { verificationStatus: CreatorVerification.Pending, verificationRequestedAt: now });
      return { verification_status: CreatorVerification.Pending, verification_requested_at: now.toISOString() };
    });
  }

  /**
   * Moderators: pending → verified / unverified, verified → unverified (revoke). Admins: any of verified,
   * unverified, premium from any state. Anything else → 409 INVALID_VERIFICATION_TRANSITION.
   */
  async setVerification(actor: Actor, username: string, dto: SetVerificationDto): Promise<CreatorProfileResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const premium = dto.status === VerificationDecision.Premium;
      const { profile, level } = await this.load(
        actor,
        username,
        premium ? 'set_premium' : 'set_verification',
        em,
        true,
      );
      const from = profile.verificationStatus;
      const to = dto.status as unknown as CreatorVerification;
      const admin = this.policy.can(actor, 'set_premium', profile, level);
      if (!admin && from === CreatorVerification.Premium) {
        throw new ForbiddenError('PROFILE_FORBIDDEN', 'Only an admin changes a premium profile.');
      }
      const moderatorMoves: Record<string, CreatorVerification[]> = {
        [CreatorVerification.Pending]: [CreatorVerification.Verified, CreatorVerification.Unverified],
        [CreatorVerification.Verified]: [CreatorVerification.Unverified],
      };
      if (!admin && !(moderatorMoves[from] ?? []).includes(to)) {
        throw new ConflictError('INVALID_VERIFICATION_TRANSITION', `Verification cannot go from ${from} to ${to}.`);
      }
      const verified = to === CreatorVerification.Verified || to === CreatorVerification.Premium;
      await em.getRepository(CreatorProfile).update(
        { id: profile.id },
        {
          verificationStatus: to,
          verifiedAt: verified ? (profile.verifiedAt ?? new Date()) : null,
          verifiedById: verified ? actor.id : null,
          verificationNote: dto.note ?? profile.verificationNote,
        },
      );
    });
    return this.get(actor, username);
  }

  async setFeatured(actor: Actor, username: string, featured: boolean): Promise<CreatorProfileResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'feature', em, true);
      if (profile.isFeatured === featured) return;
      await em
        .getRepository(CreatorProfile)
        .update({ id: profile.id }, { isFeatured: featured, featuredAt: featured ? new Date() : null });
    });
    return this.get(actor, username);
  }

  async setModeration(
    actor: Actor,
    username: string,
    dto: SetProfileModerationDto,
  ): Promise<CreatorProfileResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { profile } = await this.load(actor, username, 'moderate', em, true);
      await em.getRepository(CreatorProfile).update(
        { id: profile.id },
        {
          moderationStatus: dto.status as unknown as ModerationStatus,
          moderationReason: dto.status === 'hidden' ? dto.reason!.trim() : null,
        },
      );
    });
    return this.get(actor, username);
  }

  // ---------------------------------------------------------------- hooks for other modules

  /**
   * For the bots service (bots.md §1.5): the owner's public_bot_count changes by `delta` (+1 / −1) in the
   * transaction that moves a bot into or out of public or deletes a public bot. No-op without a profile.
   */
  async adjustPublicBotCount(em: EntityManager, ownerUserId: string, delta: 1 | -1): Promise<void> {
    await em.query(
      `UPDATE creator_profiles SET public_bot_count = GREATEST(public_bot_count + $2, 0) WHERE user_id = $1`,
      [ownerUserId, delta],
    );
  }

  /**
   * README decision 18: last_active_at is set when the creator creates or edits a bot, a lore book or their profile
   * (written at most hourly). No-op without a profile.
   */
  async touchLastActive(em: EntityManager, userId: string): Promise<void> {
    await em.query(
      `UPDATE creator_profiles SET last_active_at = now()
        WHERE user_id = $1 AND (last_active_at IS NULL OR last_active_at < now() - interval '1 hour')`,
      [userId],
    );
  }

  /** Ids of the creator profiles a user follows (small lists; for SQL filters prefer followedCreatorsSql). */
  async followedCreatorIds(userId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(CreatorFollow)
      .find({ where: { followerId: userId }, select: { creatorProfileId: true } });
    return rows.map((r) => r.creatorProfileId);
  }

  private async touchOwn(em: EntityManager, actor: Actor, profile: CreatorProfile): Promise<void> {
    if (actor.id === profile.userId)
      await em.getRepository(CreatorProfile).update({ id: profile.id }, { lastActiveAt: new Date() });
  }
}

function profileExists(): ConflictError {
  return new ConflictError('PROFILE_EXISTS', 'You already have a creator profile.');
}

/** Keyset columns per directory sort; each matches an ix_cp_pub_* index. */
export function directoryColumns(sort: CreatorSort): KeysetColumn<CreatorProfile>[] {
  const id = (direction: 'ASC' | 'DESC'): KeysetColumn<CreatorProfile> => ({
    expr: 'cp.id',
    direction,
    value: (p) => p.id,
    cast: 'uuid',
  });
  switch (sort) {
    case CreatorSort.Followers:
      return [
        { expr: 'cp.follower_count', direction: 'DESC', value: (p) => p.followerCount, cast: 'integer' },
        id('DESC'),
      ];
    case CreatorSort.Recent:
      return [
        { expr: 'cp.created_at', direction: 'DESC', value: (p) => p.createdAt.toISOString(), cast: 'timestamptz' },
        id('DESC'),
      ];
    case CreatorSort.Bots:
      return [
        { expr: 'cp.public_bot_count', direction: 'DESC', value: (p) => p.publicBotCount, cast: 'integer' },
        id('DESC'),
      ];
    case CreatorSort.Conversations:
      return [
        { expr: 'cp.total_conversations', direction: 'DESC', value: (p) => p.totalConversations, cast: 'integer' },
        id('DESC'),
      ];
    case CreatorSort.Name:
      return [
        { expr: 'lower(cp.display_name)', direction: 'ASC', value: (p) => p.displayName.toLowerCase(), cast: 'text' },
        id('ASC'),
      ];
  }
}

/** creators.md §1 child-table rules that class-validator cannot express; each failure names its list index. */
export function validateLinks(links: SocialLinkDto[]): void {
  const errors: { field: string; message: string }[] = [];
  const seen = new Set<CreatorLinkPlatform>();
  links.forEach((l, i) => {
    const at = `links.${i}`;
    if (l.platform === CreatorLinkPlatform.Other && !l.label?.trim()) {
      errors.push({ field: `${at}.label`, message: 'label is required for platform other' });
    }
    if (l.platform !== CreatorLinkPlatform.Other && l.label !== undefined) {
      errors.push({ field: `${at}.label`, message: 'label is only for platform other' });
    }
    if (l.platform !== CreatorLinkPlatform.Other) {
      if (seen.has(l.platform)) errors.push({ field: `${at}.platform`, message: `only one ${l.platform} link` });
      seen.add(l.platform);
    }
    const value = l.value.trim();
    const handleOk = l.platform === CreatorLinkPlatform.Discord && DISCORD_HANDLE.test(value);
    if (!handleOk && !isHttpUrl(value)) {
      errors.push({ field: `${at}.value`, message: 'value must be an http:// or https:// URL' });
    }
  });
  if (errors.length) throw new InvalidError('INVALID_SOCIAL_LINKS', 'Some social links are not valid.', errors);
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.hostname;
  } catch {
    return false;
  }
}
