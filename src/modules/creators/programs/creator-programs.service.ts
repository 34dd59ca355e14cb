import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type Actor, isStaff } from '../../../common/auth/actor.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../../common/errors/app-error.js';
import { keysetPage, type Page } from '../../../common/pagination/page.js';
import type { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { MediaService } from '../../media/media.service.js';
import { mediaContentUrl } from '../../media/media-url.js';
import { CreatorsService } from '../creators.service.js';
import type {
  AddProgramMemberDto,
  CreateCreatorProgramDto,
  CreatorProgramResponseDto,
  ListProgramsQueryDto,
  ProgramStatsDto,
  SetProgramStatusDto,
  UpdateCreatorProgramDto,
} from '../dto/creator-program.dto.js';
import type { ProgramMemberDto } from '../dto/program-application.dto.js';
import { CreatorProgramApplication } from '../entities/creator-program-application.entity.js';
import { CreatorProgramBenefit } from '../entities/creator-program-benefit.entity.js';
import { CreatorProgramMembership } from '../entities/creator-program-membership.entity.js';
import { CreatorProgramQuestion } from '../entities/creator-program-question.entity.js';
import { CreatorProgramTier } from '../entities/creator-program-tier.entity.js';
import { CreatorProgram } from '../entities/creator-program.entity.js';
import {
  CreatorProfileVisibility,
  CreatorProgramStatus,
  ProgramMembershipStatus,
  ProgramQuestionType,
} from '../entities/creator.enums.js';
import { createOrExtendMembership } from './membership-effects.js';
import { ProgramStatsCache } from './program-stats.cache.js';

/** Program status transitions (creators.md §3.5). archived is final. */
export const PROGRAM_TRANSITIONS: Record<CreatorProgramStatus, CreatorProgramStatus[]> = {
  draft: [CreatorProgramStatus.Active, CreatorProgramStatus.Archived],
  active: [CreatorProgramStatus.Paused, CreatorProgramStatus.Closed, CreatorProgramStatus.Archived],
  paused: [CreatorProgramStatus.Active, CreatorProgramStatus.Closed, CreatorProgramStatus.Archived],
  closed: [CreatorProgramStatus.Active, CreatorProgramStatus.Archived],
  archived: [],
};

/** Programmes, their nested lists, status, statistics and members (creators.md §3.1, §3.4, §3.7, §3.8). */
@Injectable()
export class CreatorProgramsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly media: MediaService,
    private readonly creators: CreatorsService,
    private readonly statsCache: ProgramStatsCache,
  ) {}

  async list(actor: Actor | undefined, query: ListProgramsQueryDto): Promise<Page<CreatorProgramResponseDto>> {
    const status = query.status ?? CreatorProgramStatus.Active;
    if (status === CreatorProgramStatus.Draft && !isStaff(actor)) {
      throw new ForbiddenError('STAFF_FILTER', 'Only moderators and admins list draft programmes.');
    }
    const qb = this.dataSource
      .getRepository(CreatorProgram)
      .createQueryBuilder('p')
      .where('p.status = :status', { status });
    if (query.type) qb.andWhere('p.program_type = :type', { type: query.type });
    const page = await keysetPage(
      qb,
      [
        { expr: 'p.created_at', direction: 'DESC', value: (p) => p.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'p.id', direction: 'DESC', value: (p) => p.id, cast: 'uuid' },
      ],
      query,
    );
    return { items: page.items.map((p) => toProgramResponse(p, isStaff(actor))), next_cursor: page.next_cursor };
  }

  async create(actor: Actor, dto: CreateCreatorProgramDto): Promise<CreatorProgramResponseDto> {
    const id = await this.dataSource.transaction(async (em) => {
      validateNested(dto);
      const renewal = renewalOf(dto.renewal_required ?? false, dto.renewal_period_months ?? null);
      await this.media.assertUsableImage(actor.id, dto.banner_media_id, null, {
        field: 'banner_media_id',
        manager: em,
      });
      await this.media.assertUsableImage(actor.id, dto.icon_media_id, null, { field: 'icon_media_id', manager: em });
      const slug = dto.slug ?? (await freeSlug(em, dto.name));
      if (dto.slug && (await em.getRepository(CreatorProgram).existsBy({ slug }))) throw slugTaken();
      const row = em.getRepository(CreatorProgram).create({
        name: dto.name,
        slug,
        programType: dto.program_type,
        shortDescription: dto.short_description,
        description: dto.description,
        bannerMediaId: dto.banner_media_id ?? null,
        iconMediaId: dto.icon_media_id ?? null,
        minBotCount: dto.min_bot_count,
        minConversations: dto.min_conversations,
        requiredSpecialties: dto.required_specialties ?? [],
        verificationRequired: dto.verification_required,
        portfolioReview: dto.portfolio_review,
        communityStanding: dto.community_standing,
        applicationMethod: dto.application_method,
        applicationDeadline: dto.application_deadline ? new Date(dto.application_deadline) : null,
        reviewProcess: dto.review_process ?? null,
        reviewTimeline: dto.review_timeline ?? null,
        maxParticipants: dto.max_participants ?? null,
        renewalRequired: renewal.required,
        renewalPeriodMonths: renewal.months,
        autoAcceptCriteria: dto.auto_accept_criteria ?? null,
        tags: dto.tags ?? [],
        internalNotes: dto.internal_notes ?? null,
        createdById: actor.id,
      });
      let programId: string;
      try {
        programId = (await em.getRepository(CreatorProgram).insert(row)).identifiers[0].id as string;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw slugTaken();
        throw err;
      }
      await this.replaceNested(em, programId, dto);
      return programId;
    });
    return this.detailById(actor, id);
  }

  async get(actor: Actor | undefined, slug: string): Promise<CreatorProgramResponseDto> {
    const program = await this.loadVisible(actor, slug);
    return this.detail(actor, program);
  }

  async update(actor: Actor, slug: string, dto: UpdateCreatorProgramDto): Promise<CreatorProgramResponseDto> {
    const id = await this.dataSource.transaction(async (em) => {
      const program = await this.loadVisible(actor, slug, em, true);
      validateNested(dto);
      await this.media.assertUsableImage(actor.id, dto.banner_media_id, program.bannerMediaId, {
        field: 'banner_media_id',
        manager: em,
      });
      await this.media.assertUsableImage(actor.id, dto.icon_media_id, program.iconMediaId, {
        field: 'icon_media_id',
        manager: em,
      });
      const renewal = renewalOf(
        dto.renewal_required ?? program.renewalRequired,
        dto.renewal_period_months !== undefined
          ? dto.renewal_period_months
          : dto.renewal_required === false
            ? null
            : program.renewalPeriodMonths,
      );
      const patch: Partial<CreatorProgram> = { renewalRequired: renewal.required, renewalPeriodMonths: renewal.months };
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.program_type !== undefined) patch.programType = dto.program_type;
      if (dto.short_description !== undefined) patch.shortDescription = dto.short_description;
      if (dto.description !== undefined) patch.description = dto.description;
      if (dto.banner_media_id !== undefined) patch.bannerMediaId = dto.banner_media_id;
      if (dto.icon_media_id !== undefined) patch.iconMediaId = dto.icon_media_id;
      if (dto.min_bot_count !== undefined) patch.minBotCount = dto.min_bot_count;
      if (dto.min_conversations !== undefined) patch.minConversations = dto.min_conversations;
      if (dto.required_specialties !== undefined) patch.requiredSpecialties = dto.required_specialties;
      if (dto.verification_required !== undefined) patch.verificationRequired = dto.verification_required;
      if (dto.portfolio_review !== undefined) patch.portfolioReview = dto.portfolio_review;
      if (dto.community_standing !== undefined) patch.communityStanding = dto.community_standing;
      if (dto.application_method !== undefined) patch.applicationMethod = dto.application_method;
      if (dto.application_deadline !== undefined) {
        patch.applicationDeadline = dto.application_deadline ? new Date(dto.application_deadline) : null;
      }
      if (dto.review_process !== undefined) patch.reviewProcess = dto.review_process;
      if (dto.review_timeline !== undefined) patch.reviewTimeline = dto.review_timeline;
      if (dto.max_participants !== undefined) patch.maxParticipants = dto.max_participants;
      if (dto.auto_accept_criteria !== undefined) patch.autoAcceptCriteria = dto.auto_accept_criteria;
      if (dto.tags !== undefined) patch.tags = dto.tags;
      if (dto.internal_notes !== undefined) patch.internalNotes = dto.internal_notes;
      await em.getRepository(CreatorProgram).update({ id: program.id }, patch);
      await this.replaceNested(em, program.id, dto);
      return program.id;
    });
    this.statsCache.invalidate(id);
    return this.detailById(actor, id);
  }

  async setStatus(actor: Actor, slug: string, dto: SetProgramStatusDto): Promise<CreatorProgramResponseDto> {
    const id = await this.dataSource.transaction(async (em) => {
      const program = await this.loadVisible(actor, slug, em, true);
      if (!PROGRAM_TRANSITIONS[program.status].includes(dto.status)) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          `A programme cannot go from ${program.status} to ${dto.status}.`,
          {
            from: program.status,
            to: dto.status,
          },
        );
      }
      const patch: Partial<CreatorProgram> = { status: dto.status };
      if (dto.status === CreatorProgramStatus.Active && !program.launchDate) patch.launchDate = new Date();
      await em.getRepository(CreatorProgram).update({ id: program.id }, patch);
      return program.id;
    });
    return this.detailById(actor, id);
  }

  async remove(actor: Actor, slug: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const program = await this.loadVisible(actor, slug, em, true);
      if (await em.getRepository(CreatorProgramApplication).existsBy({ programId: program.id })) {
        throw new ConflictError(
          'PROGRAM_HAS_APPLICATIONS',
          'A programme with applications cannot be deleted; archive it.',
        );
      }
      await em.getRepository(CreatorProgram).delete({ id: program.id });
    });
  }

  async stats(actor: Actor | undefined, slug: string): Promise<ProgramStatsDto> {
    const program = await this.loadVisible(actor, slug);
    return this.computeStats(program, isStaff(actor));
  }

  async members(actor: Actor | undefined, slug: string, query: PageQueryDto): Promise<Page<ProgramMemberDto>> {
    const program = await this.loadVisible(actor, slug);
    const qb = this.dataSource
      .getRepository(CreatorProgramMembership)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.creatorProfile', 'cp')
      .innerJoin('cp.user', 'u')
      .addSelect(['u.id', 'u.username'])
      .leftJoinAndSelect('m.tier', 't')
      .where('m.program_id = :programId AND m.status = :active', {
        programId: program.id,
        active: ProgramMembershipStatus.Active,
      });
    if (!isStaff(actor)) {
      qb.andWhere(`cp.profile_visibility <> :private AND cp.moderation_status = 'visible'`, {
        private: CreatorProfileVisibility.Private,
      });
    }
    const page = await keysetPage(
      qb,
      [
        { expr: 'm.started_at', direction: 'DESC', value: (m) => m.startedAt.toISOString(), cast: 'timestamptz' },
        { expr: 'm.id', direction: 'DESC', value: (m) => m.id, cast: 'uuid' },
      ],
      query,
    );
    return { items: page.items.map(toMember), next_cursor: page.next_cursor };
  }

  async addMember(actor: Actor, slug: string, dto: AddProgramMemberDto): Promise<ProgramMemberDto> {
    const membershipId = await this.dataSource.transaction(async (em) => {
      const program = await this.loadVisible(actor, slug, em, true);
      // The admin reads any profile (level owner), so a private profile can be added too.
      let profileId: string;
      try {
        profileId = (await this.creators.load(actor, dto.username, 'read', em)).profile.id;
      } catch (err) {
        if (err instanceof NotFoundError || (err as { status?: number }).status === 400) {
          throw new InvalidError('PROFILE_NOT_FOUND', 'No creator profile has that username.', [
            { field: 'username', message: 'no creator profile with this username' },
          ]);
        }
        throw err;
      }
      const tier = await tierFor(em, program.id, dto.tier_level, null);
      const m = await createOrExtendMembership(em, program, profileId, tier, null);
      return m.id;
    });
    const row = await this.dataSource.getRepository(CreatorProgramMembership).findOneOrFail({
      where: { id: membershipId },
      relations: { creatorProfile: { user: true }, tier: true },
    });
    return toMember(row);
  }

  /** Programme by slug; drafts exist only for staff (404 otherwise). */
  async loadVisible(
    actor: Actor | undefined,
    slug: string,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<CreatorProgram> {
    const program = await em.getRepository(CreatorProgram).findOne({
      where: { slug: slug.toLowerCase() },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!program || (program.status === CreatorProgramStatus.Draft && !isStaff(actor))) {
      throw new NotFoundError('PROGRAM_NOT_FOUND');
    }
    return program;
  }

  async computeStats(program: CreatorProgram, staff: boolean): Promise<ProgramStatsDto> {
    const cached = this.statsCache.get(program.id, staff);
    if (cached) return cached;
    const [row] = (await this.dataSource.query(
      `SELECT
         (SELECT count(DISTINCT creator_profile_id) FROM creator_program_applications WHERE program_id = $1)::int AS total,
         (SELECT count(DISTINCT creator_profile_id) FROM creator_program_applications
           WHERE program_id = $1 AND status = 'approved')::int AS accepted,
         (SELECT count(*) FROM creator_program_memberships WHERE program_id = $1 AND status = 'active')::int AS active,
         (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM creator_program_applications
           WHERE program_id = $1 GROUP BY status) s) AS by_status,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at) / 86400)
            FROM creator_program_applications WHERE program_id = $1 AND decided_at IS NOT NULL) AS median_days`,
      [program.id],
    )) as {
      total: number;
      accepted: number;
      active: number;
      by_status: Record<string, number> | null;
      median_days: number | null;
    }[];
    const stats: ProgramStatsDto = {
      total_applicants: row.total,
      accepted_creators: row.accepted,
      active_creators: row.active,
      open_spots: program.maxParticipants === null ? null : Math.max(program.maxParticipants - row.active, 0),
    };
    if (staff) {
      stats.by_status = row.by_status ?? {};
      stats.median_days_to_decision = row.median_days === null ? null : Math.round(Number(row.median_days) * 100) / 100;
    }
    this.statsCache.set(program.id, staff, stats);
    return stats;
  }

  private async detailById(actor: Actor | undefined, id: string): Promise<CreatorProgramResponseDto> {
    return this.detail(actor, await this.dataSource.getRepository(CreatorProgram).findOneByOrFail({ id }));
  }

  private async detail(actor: Actor | undefined, program: CreatorProgram): Promise<CreatorProgramResponseDto> {
    const em = this.dataSource.manager;
    const [questions, benefits, tiers, stats] = await Promise.all([
      em.getRepository(CreatorProgramQuestion).find({ where: { programId: program.id }, order: { position: 'ASC' } }),
      em.getRepository(CreatorProgramBenefit).find({ where: { programId: program.id }, order: { position: 'ASC' } }),
      em.getRepository(CreatorProgramTier).find({ where: { programId: program.id }, order: { level: 'ASC' } }),
      this.computeStats(program, isStaff(actor)),
    ]);
    return {
      ...toProgramResponse(program, isStaff(actor)),
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        prompt: q.prompt,
        question_type: q.questionType,
        is_required: q.isRequired,
        options: q.options,
      })),
      benefits: benefits.map((b) => ({ category: b.category, description: b.description, position: b.position })),
      tiers: tiers.map((t) => ({
        id: t.id,
        level: t.level,
        name: t.name,
        description: t.description,
        requirements: t.requirements,
        benefits: t.benefits,
      })),
      stats,
    };
  }

  /** Nested lists replace the stored ones; tiers are matched by level so references to kept tiers survive. */
  private async replaceNested(em: EntityManager, programId: string, dto: UpdateCreatorProgramDto): Promise<void> {
    if (dto.questions) {
      await em.getRepository(CreatorProgramQuestion).delete({ programId });
      if (dto.questions.length) {
        await em.getRepository(CreatorProgramQuestion).insert(
          dto.questions.map((q, position) => ({
            programId,
            position,
            prompt: q.prompt,
            questionType: q.question_type,
            isRequired: q.is_required ?? false,
            options: q.question_type === ProgramQuestionType.MultipleChoice ? (q.options ?? []) : [],
          })),
        );
      }
    }
    if (dto.benefits) {
      await em.getRepository(CreatorProgramBenefit).delete({ programId });
      if (dto.benefits.length) {
        await em
          .getRepository(CreatorProgramBenefit)
          .insert(
            dto.benefits.map((b, position) => ({
              programId,
              category: b.category,
              description: b.description,
              position,
            })),
          );
      }
    }
    if (dto.tiers) {
      const repo = em.getRepository(CreatorProgramTier);
      const existing = await repo.find({ where: { programId } });
      const keep = new Set(dto.tiers.map((t) => t.level));
      const gone = existing.filter((t) => !keep.has(t.level)).map((t) => t.id);
      if (gone.length) await repo.delete(gone);
      for (const t of dto.tiers) {
        const fields = {
          name: t.name,
          description: t.description,
          requirements: t.requirements ?? null,
          benefits: t.benefits ?? [],
        };
        const found = existing.find((e) => e.level === t.level);
        if (found) await repo.update({ id: found.id }, fields);
        else await repo.insert({ programId, level: t.level, ...fields });
      }
    }
  }
}

/** The tier to grant: the given level (400 if unknown), else the fallback tier id, else the lowest level or none. */
export async function tierFor(
  em: EntityManager,
  programId: string,
  level: number | undefined,
  fallbackTierId: string | null,
  field = 'tier_level',
): Promise<string | null> {
  const tiers = await em.getRepository(CreatorProgramTier).find({ where: { programId }, order: { level: 'ASC' } });
  if (level !== undefined) {
    const tier = tiers.find((t) => t.level === level);
    if (!tier)
      throw new InvalidError('TIER_NOT_FOUND', 'This programme has no tier of that level.', [
        { field, message: 'no such tier level' },
      ]);
    return tier.id;
  }
  if (fallbackTierId && tiers.some((t) => t.id === fallbackTierId)) return fallbackTierId;
  return tiers[0]?.id ?? null;
}

function validateNested(dto: UpdateCreatorProgramDto): void {
  const errors: { field: string; message: string }[] = [];
  dto.questions?.forEach((q, i) => {
    const choice = q.question_type === ProgramQuestionType.MultipleChoice;
    if (choice && (q.options?.length ?? 0) < 2) {
      errors.push({ field: `questions.${i}.options`, message: 'multiple_choice needs at least 2 options' });
    }
    if (!choice && q.options?.length) {
      errors.push({ field: `questions.${i}.options`, message: 'options are only for multiple_choice' });
    }
  });
  const levels = new Set<number>();
  dto.tiers?.forEach((t, i) => {
    if (levels.has(t.level)) errors.push({ field: `tiers.${i}.level`, message: 'tier levels must be distinct' });
    levels.add(t.level);
  });
  if (errors.length) throw new InvalidError('VALIDATION_FAILED', 'Some nested items are not valid.', errors);
}

function renewalOf(required: boolean, months: number | null): { required: boolean; months: number | null } {
  if (required && !months) {
    throw new InvalidError('VALIDATION_FAILED', 'renewal_period_months is required when renewal_required.', [
      { field: 'renewal_period_months', message: 'required when renewal_required is true' },
    ]);
  }
  if (!required && months) {
    throw new InvalidError('VALIDATION_FAILED', 'renewal_period_months is only for programmes that need renewal.', [
      { field: 'renewal_period_months', message: 'only allowed when renewal_required is true' },
    ]);
  }
  return { required, months: required ? months : null };
}

function slugTaken(): ConflictError {
  return new ConflictError('SLUG_TAKEN', 'Another programme already uses this slug.');
}

/** bots.md slug rules: NFKD, strip marks, lower-case, runs of non [a-z0-9] → '-', cut to 80 at a hyphen. */
export function slugify(name: string): string {
  let s = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length > 80) {
    s = s.slice(0, 80);
    const cut = s.lastIndexOf('-');
    if (cut > 0) s = s.slice(0, cut);
    s = s.replace(/-+$/g, '');
  }
  return s || 'program';
}

async function freeSlug(em: EntityManager, name: string): Promise<string> {
  const base = slugify(name);
  const rows: { slug: string }[] = await em.query(`SELECT slug FROM creator_programs WHERE slug = $1 OR slug LIKE $2`, [
    base,
    `${base.slice(0, 75)}-%`,
  ]);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 80 - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function toProgramResponse(p: CreatorProgram, staff: boolean): CreatorProgramResponseDto {
  const out: CreatorProgramResponseDto = {
    id: p.id,
    name: p.name,
    slug: p.slug,
    program_type: p.programType,
    status: p.status,
    short_description: p.shortDescription,
    description: p.description,
    banner_url: mediaContentUrl(p.bannerMediaId),
    icon_url: mediaContentUrl(p.iconMediaId),
    min_bot_count: p.minBotCount,
    min_conversations: p.minConversations,
    required_specialties: p.requiredSpecialties,
    verification_required: p.verificationRequired,
    portfolio_review: p.portfolioReview,
    community_standing: p.communityStanding,
    application_method: p.applicationMethod,
    application_deadline: p.applicationDeadline?.toISOString() ?? null,
    review_process: p.reviewProcess,
    review_timeline: p.reviewTimeline,
    max_participants: p.maxParticipants,
    renewal_required: p.renewalRequired,
    renewal_period_months: p.renewalPeriodMonths,
    auto_accept_criteria: p.autoAcceptCriteria,
    launch_date: p.launchDate?.toISOString() ?? null,
    tags: p.tags,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
  if (staff) out.internal_notes = p.internalNotes;
  return out;
}

function toMember(m: CreatorProgramMembership): ProgramMemberDto {
  const cp = m.creatorProfile!;
  return {
    membership_id: m.id,
    status: m.status,
    tier_level: m.tier?.level ?? null,
    tier_name: m.tier?.name ?? null,
    started_at: m.startedAt.toISOString(),
    expires_at: m.expiresAt?.toISOString() ?? null,
    creator: {
      id: cp.id,
      username: cp.user!.username,
      display_name: cp.displayName,
      avatar_url: mediaContentUrl(cp.avatarMediaId),
    },
  };
}
