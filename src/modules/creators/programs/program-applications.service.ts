import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type Actor, isAdmin, isStaff } from '../../../common/auth/actor.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnprocessableError,
} from '../../../common/errors/app-error.js';
import { keysetPage, type Page } from '../../../common/pagination/page.js';
import { CreatorsRepository } from '../creators.repository.js';
import type {
  ApplyDto,
  ApproveApplicationDto,
  EndMembershipDto,
  ListApplicationsQueryDto,
  ProgramApplicationResponseDto,
  RejectApplicationDto,
} from '../dto/program-application.dto.js';
import { CreatorProfile } from '../entities/creator-profile.entity.js';
import { CreatorProgramApplicationBot } from '../entities/creator-program-application-bot.entity.js';
import {
  type ApplicationAnswer,
  CreatorProgramApplication,
  type EligibilitySnapshot,
} from '../entities/creator-program-application.entity.js';
import { CreatorProgramMembership } from '../entities/creator-program-membership.entity.js';
import { CreatorProgramQuestion } from '../entities/creator-program-question.entity.js';
import { CreatorProgram } from '../entities/creator-program.entity.js';
import {
  CreatorProgramStatus,
  CreatorProgramType,
  CreatorVerification,
  ProgramApplicationMethod,
  ProgramApplicationStatus,
  ProgramMembershipStatus,
  ProgramQuestionType,
  ProgramStanding,
} from '../entities/creator.enums.js';
import { CreatorProgramsService, tierFor } from './creator-programs.service.js';
import { activeMemberCount, applyEndEffects, assertCapacity, createOrExtendMembership } from './membership-effects.js';
import { ProgramStatsCache } from './program-stats.cache.js';

const DAY_MS = 86_400_000;
const REAPPLY_COOLDOWN_DAYS = 30;
const RENEWAL_WINDOW_DAYS = 30;

/** Workflow actions on an application and the states each may start from (creators.md §3.5). */
export type ApplicationAction = 'review' | 'approve' | 'reject' | 'withdraw';
export const APPLICATION_TRANSITIONS: Record<
  ApplicationAction,
  { from: ProgramApplicationStatus[]; to: ProgramApplicationStatus }
> = {
  review: { from: [ProgramApplicationStatus.Submitted], to: ProgramApplicationStatus.UnderReview },
  approve: { from: [ProgramApplicationStatus.UnderReview], to: ProgramApplicationStatus.Approved },
  reject: { from: [ProgramApplicationStatus.UnderReview], to: ProgramApplicationStatus.Rejected },
  withdraw: {
    from: [ProgramApplicationStatus.Submitted, ProgramApplicationStatus.UnderReview],
    to: ProgramApplicationStatus.Withdrawn,
  },
};

function assertTransition(app: CreatorProgramApplication, action: ApplicationAction): void {
  const rule = APPLICATION_TRANSITIONS[action];
  if (!rule.from.includes(app.status)) {
    throw new ConflictError('INVALID_TRANSITION', `An application cannot go from ${app.status} to ${rule.to}.`, {
      from: app.status,
      to: rule.to,
    });
  }
}

/** Applications, their review workflow, memberships and expiry (creators.md §3.2–§3.6). */
@Injectable()
export class ProgramApplicationsService {
  private readonly logger = new Logger(ProgramApplicationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: CreatorProgramsService,
    private readonly repo: CreatorsRepository,
    private readonly statsCache: ProgramStatsCache,
  ) {}

  async apply(actor: Actor, slug: string, dto: ApplyDto): Promise<ProgramApplicationResponseDto> {
    if (!actor.emailVerified) {
      throw new ForbiddenError('EMAIL_NOT_VERIFIED', 'Verify your email address before applying to programmes.');
    }
    const result = await this.dataSource.transaction(async (em) => {
      // The programme row lock serialises applications and approvals of one programme (capacity, open application).
      const program = await this.programs.loadVisible(actor, slug, em, true);
      const profile = await em.getRepository(CreatorProfile).findOne({
        where: { userId: actor.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!profile) throw new ForbiddenError('PROFILE_REQUIRED', 'Create a creator profile before applying.');
      if (
        program.status !== CreatorProgramStatus.Active ||
        (program.applicationDeadline && program.applicationDeadline.getTime() <= Date.now())
      ) {
        throw new ConflictError('PROGRAM_NOT_ACCEPTING', 'This programme does not accept applications now.');
      }
      const appRepo = em.getRepository(CreatorProgramApplication);
      if (
        await appRepo.exists({
          where: [
            { programId: program.id, creatorProfileId: profile.id, status: ProgramApplicationStatus.Submitted },
            { programId: program.id, creatorProfileId: profile.id, status: ProgramApplicationStatus.UnderReview },
          ],
        })
      ) {
        throw new ConflictError('APPLICATION_OPEN', 'You already have an open application to this programme.');
      }
      const membership = await em.getRepository(CreatorProgramMembership).findOne({
        where: { programId: program.id, creatorProfileId: profile.id, status: ProgramMembershipStatus.Active },
      });
      const renewal = !!membership;
      if (membership) {
        const inWindow =
          program.renewalRequired &&
          membership.expiresAt !== null &&
          membership.expiresAt.getTime() - Date.now() <= RENEWAL_WINDOW_DAYS * DAY_MS;
        if (!inWindow) throw new ConflictError('ALREADY_MEMBER', 'You are already a member of this programme.');
      }
      const [last] = (await em.query(
        `SELECT greatest(max(decided_at) FILTER (WHERE status = 'rejected'), max(withdrawn_at)) AS at
           FROM creator_program_applications WHERE program_id = $1 AND creator_profile_id = $2`,
        [program.id, profile.id],
      )) as { at: Date | null }[];
      if (last?.at && Date.now() - new Date(last.at).getTime() < REAPPLY_COOLDOWN_DAYS * DAY_MS) {
        const retry = new Date(new Date(last.at).getTime() + REAPPLY_COOLDOWN_DAYS * DAY_MS);
        throw new ConflictError('REAPPLY_TOO_SOON', `You can apply again after ${retry.toISOString()}.`, {
          retry_after: retry.toISOString(),
        });
      }
      if (!renewal) assertCapacity(program, await activeMemberCount(em, program.id));

      const answers = await this.checkAnswers(em, program, dto);
      const portfolio = await this.checkPortfolio(em, program, profile, dto.portfolio_bot_ids ?? []);
      const requestedTierId =
        dto.requested_tier_level !== undefined
          ? await tierFor(em, program.id, dto.requested_tier_level, null, 'requested_tier_level')
          : null;
      const snapshot: EligibilitySnapshot = {
        public_bot_count: profile.publicBotCount,
        total_conversations: profile.totalConversations,
        verification_status: profile.verificationStatus,
        specialties: profile.specialties,
        standing: 'active', // suspended accounts never get past the auth guard
      };
      const unmet = eligibilityProblems(program, snapshot);
      if (unmet.length) {
        throw new UnprocessableError('NOT_ELIGIBLE', 'You do not meet this programme’s requirements yet.', unmet);
      }

      const automatic =
        program.applicationMethod === ProgramApplicationMethod.Automatic &&
        (program.communityStanding === ProgramStanding.None || program.communityStanding === ProgramStanding.Good);
      const now = new Date();
      const inserted = await appRepo.insert({
        programId: program.id,
        creatorProfileId: profile.id,
        status: automatic ? ProgramApplicationStatus.Approved : ProgramApplicationStatus.Submitted,
        motivation: dto.motivation ?? null,
        answers,
        eligibilitySnapshot: snapshot,
        requestedTierId,
        decidedAt: automatic ? now : null,
      });
      const id = inserted.identifiers[0].id as string;
      if (portfolio.length) {
        await em
          .getRepository(CreatorProgramApplicationBot)
          .insert(portfolio.map((botId) => ({ applicationId: id, botId })));
      }
      if (automatic) {
        const tier = await tierFor(em, program.id, undefined, requestedTierId);
        await createOrExtendMembership(em, program, profile.id, tier, renewal ? null : id);
      }
      return { id, programId: program.id };
    });
    this.statsCache.invalidate(result.programId);
    return this.get(actor, result.id);
  }

  async list(actor: Actor, query: ListApplicationsQueryDto): Promise<Page<ProgramApplicationResponseDto>> {
    const qb = this.baseQuery(this.dataSource.manager);
    if (!isStaff(actor) || query.mine) qb.andWhere('cp.user_id = :me', { me: actor.id });
    if (query.program) qb.andWhere('p.slug = :slug', { slug: query.program.toLowerCase() });
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    const page = await keysetPage(
      qb,
      [
        { expr: 'a.created_at', direction: 'DESC', value: (a) => a.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'a.id', direction: 'DESC', value: (a) => a.id, cast: 'uuid' },
      ],
      query,
    );
    const extras = await this.extras(page.items.map((a) => a.id));
    return { items: page.items.map((a) => this.toResponse(actor, a, extras)), next_cursor: page.next_cursor };
  }

  async get(actor: Actor, id: string): Promise<ProgramApplicationResponseDto> {
    const app = await this.baseQuery(this.dataSource.manager).where('a.id = :id', { id }).getOne();
    if (!app || !(isStaff(actor) || app.creatorProfile!.userId === actor.id)) {
      throw new NotFoundError('APPLICATION_NOT_FOUND');
    }
    return this.toResponse(actor, app, await this.extras([app.id]));
  }

  async startReview(actor: Actor, id: string): Promise<ProgramApplicationResponseDto> {
    await this.decide(actor, id, 'review', async (em, app) => {
      await em
        .getRepository(CreatorProgramApplication)
        .update(
          { id: app.id },
          { status: ProgramApplicationStatus.UnderReview, reviewerId: actor.id, reviewStartedAt: new Date() },
        );
    });
    return this.get(actor, id);
  }

  async approve(actor: Actor, id: string, dto: ApproveApplicationDto): Promise<ProgramApplicationResponseDto> {
    await this.decide(actor, id, 'approve', async (em, app, program) => {
      const tier = await tierFor(em, program.id, dto.tier_level, app.requestedTierId);
      const existing = await em.getRepository(CreatorProgramMembership).exists({
        where: {
          programId: program.id,
          creatorProfileId: app.creatorProfileId,
          status: ProgramMembershipStatus.Active,
        },
      });
      await createOrExtendMembership(em, program, app.creatorProfileId, tier, existing ? null : app.id);
      await em.getRepository(CreatorProgramApplication).update(
        { id: app.id },
        {
          status: ProgramApplicationStatus.Approved,
          decidedAt: new Date(),
          decisionReason: dto.decision_reason ?? null,
          reviewerNotes: dto.reviewer_notes ?? app.reviewerNotes,
        },
      );
    });
    return this.get(actor, id);
  }

  async reject(actor: Actor, id: string, dto: RejectApplicationDto): Promise<ProgramApplicationResponseDto> {
    await this.decide(actor, id, 'reject', async (em, app) => {
      await em.getRepository(CreatorProgramApplication).update(
        { id: app.id },
        {
          status: ProgramApplicationStatus.Rejected,
          decidedAt: new Date(),
          decisionReason: dto.decision_reason,
          reviewerNotes: dto.reviewer_notes ?? app.reviewerNotes,
        },
      );
    });
    return this.get(actor, id);
  }

  async withdraw(actor: Actor, id: string): Promise<ProgramApplicationResponseDto> {
    await this.decide(actor, id, 'withdraw', async (em, app) => {
      await em
        .getRepository(CreatorProgramApplication)
        .update({ id: app.id }, { status: ProgramApplicationStatus.Withdrawn, withdrawnAt: new Date() });
    });
    return this.get(actor, id);
  }

  /**
   * One transaction with a row lock on the application (creators.md §3.5). Checks, in order: visible (404),
   * allowed to act (403: staff for review/decisions, never on one's own application, only the reviewer or an
   * admin decides; only the applicant withdraws), then the state machine (409 INVALID_TRANSITION).
   */
  private async decide(
    actor: Actor,
    id: string,
    action: ApplicationAction,
    apply: (em: EntityManager, app: CreatorProgramApplication, program: CreatorProgram) => Promise<void>,
  ): Promise<void> {
    const programId = await this.dataSource.transaction(async (em) => {
      const app = await em.getRepository(CreatorProgramApplication).findOne({
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!app) throw new NotFoundError('APPLICATION_NOT_FOUND');
      const applicant = await em.getRepository(CreatorProfile).findOneOrFail({
        where: { id: app.creatorProfileId },
        select: { id: true, userId: true },
      });
      const own = applicant.userId === actor.id;
      if (!own && !isStaff(actor)) throw new NotFoundError('APPLICATION_NOT_FOUND');
      if (action === 'withdraw') {
        if (!own) throw new ForbiddenError('APPLICANT_ONLY', 'Only the applicant may withdraw an application.');
      } else {
        if (!isStaff(actor))
          throw new ForbiddenError('REVIEWER_ONLY', 'Only moderators and admins review applications.');
        if (own) throw new ForbiddenError('OWN_APPLICATION', 'You cannot review or decide your own application.');
      }
      assertTransition(app, action);
      if ((action === 'approve' || action === 'reject') && app.reviewerId !== actor.id && !isAdmin(actor)) {
        throw new ForbiddenError('NOT_REVIEWER', 'Only the reviewer of this application or an admin may decide it.');
      }
      // Lock the programme row too: capacity checks and membership inserts of one programme must not race.
      const program = await em.getRepository(CreatorProgram).findOneOrFail({
        where: { id: app.programId },
        lock: { mode: 'pessimistic_write' },
      });
      await apply(em, app, program);
      return app.programId;
    });
    this.statsCache.invalidate(programId);
  }

  /** `DELETE /creator-program-memberships/{id}`: the member leaves, or a moderator/admin revokes. */
  async endMembership(actor: Actor, id: string, dto: EndMembershipDto): Promise<void> {
    const programId = await this.dataSource.transaction(async (em) => {
      const m = await em.getRepository(CreatorProgramMembership).findOne({
        where: { id },
        relations: { program: true, creatorProfile: true },
        lock: { mode: 'pessimistic_write', tables: ['creator_program_memberships'] },
      });
      if (!m) throw new NotFoundError('MEMBERSHIP_NOT_FOUND');
      const own = m.creatorProfile!.userId === actor.id;
      if (!own && !isStaff(actor)) throw new NotFoundError('MEMBERSHIP_NOT_FOUND');
      if (m.status !== ProgramMembershipStatus.Active) {
        throw new ConflictError('INVALID_TRANSITION', `A ${m.status} membership cannot end again.`);
      }
      const status = own ? ProgramMembershipStatus.Left : ProgramMembershipStatus.Revoked;
      await em
        .getRepository(CreatorProgramMembership)
        .update({ id: m.id }, { status, endedAt: new Date(), endedById: actor.id, endReason: dto.reason ?? null });
      await applyEndEffects(em, [{ profileId: m.creatorProfileId, programType: m.program!.programType }]);
      return m.programId;
    });
    this.statsCache.invalidate(programId);
  }

  /**
   * `creators.expire-memberships`: every active membership whose expires_at ≤ asOf becomes expired, and the
   * §3.6 effects follow, in one transaction. The UPDATE only matches active rows, so a second run finds nothing:
   * running it twice is running it once.
   */
  async expireMemberships(asOf: Date = new Date()): Promise<number> {
    const ended = await this.dataSource.transaction(async (em) => {
      const [rows] = (await em.query(
        `UPDATE creator_program_memberships m
            SET status = 'expired', ended_at = $1, end_reason = 'expired', updated_at = now()
           FROM creator_programs p
          WHERE p.id = m.program_id AND m.status = 'active' AND m.expires_at IS NOT NULL AND m.expires_at <= $1
         RETURNING m.id, m.program_id, m.creator_profile_id, p.program_type`,
        [asOf],
      )) as [
        { id: string; program_id: string; creator_profile_id: string; program_type: CreatorProgramType }[],
        number,
      ];
      await applyEndEffects(
        em,
        rows.map((r) => ({ profileId: r.creator_profile_id, programType: r.program_type })),
      );
      return rows;
    });
    for (const programId of new Set(ended.map((r) => r.program_id))) this.statsCache.invalidate(programId);
    if (ended.length) this.logger.log({ msg: 'memberships expired', count: ended.length, asOf: asOf.toISOString() });
    return ended.length;
  }

  private baseQuery(em: EntityManager) {
    return em
      .getRepository(CreatorProgramApplication)
      .createQueryBuilder('a')
      .innerJoinAndSelect('a.program', 'p')
      .innerJoinAndSelect('a.creatorProfile', 'cp')
      .innerJoin('cp.user', 'u')
      .addSelect(['u.id', 'u.username']);
  }

  /** Portfolio bot ids and membership ids of a page of applications: two queries whatever the page size. */
  private async extras(ids: string[]): Promise<{ bots: Map<string, string[]>; memberships: Map<string, string> }> {
    const bots = new Map<string, string[]>();
    const memberships = new Map<string, string>();
    if (!ids.length) return { bots, memberships };
    const botRows = await this.dataSource
      .getRepository(CreatorProgramApplicationBot)
      .createQueryBuilder('b')
      .where('b.application_id IN (:...ids)', { ids })
      .getMany();
    for (const r of botRows) bots.set(r.applicationId, [...(bots.get(r.applicationId) ?? []), r.botId]);
    const memRows = await this.dataSource
      .getRepository(CreatorProgramMembership)
      .createQueryBuilder('m')
      .select(['m.id', 'm.applicationId'])
      .where('m.application_id IN (:...ids)', { ids })
      .getMany();
    for (const r of memRows) if (r.applicationId) memberships.set(r.applicationId, r.id);
    return { bots, memberships };
  }

  private toResponse(
    actor: Actor,
    a: CreatorProgramApplication,
    extras: { bots: Map<string, string[]>; memberships: Map<string, string> },
  ): ProgramApplicationResponseDto {
    const applicantView = a.creatorProfile!.userId === actor.id;
    const out: ProgramApplicationResponseDto = {
      id: a.id,
      program: {
        id: a.program!.id,
        slug: a.program!.slug,
        name: a.program!.name,
        program_type: a.program!.programType,
      },
      applicant: {
        creator_profile_id: a.creatorProfileId,
        username: a.creatorProfile!.user!.username,
        display_name: a.creatorProfile!.displayName,
      },
      status: a.status,
      motivation: a.motivation,
      answers: a.answers,
      eligibility_snapshot: a.eligibilitySnapshot,
      requested_tier_id: a.requestedTierId,
      portfolio_bot_ids: extras.bots.get(a.id) ?? [],
      reviewer_id: a.reviewerId,
      review_started_at: a.reviewStartedAt?.toISOString() ?? null,
      decided_at: a.decidedAt?.toISOString() ?? null,
      withdrawn_at: a.withdrawnAt?.toISOString() ?? null,
      decision_reason: a.decisionReason,
      membership_id: extras.memberships.get(a.id) ?? null,
      created_at: a.createdAt.toISOString(),
      updated_at: a.updatedAt.toISOString(),
    };
    // reviewer_notes are for reviewers only: never the applicant, even a staff applicant.
    if (isStaff(actor) && !applicantView) out.reviewer_notes = a.reviewerNotes;
    return out;
  }

  private async checkAnswers(em: EntityManager, program: CreatorProgram, dto: ApplyDto): Promise<ApplicationAnswer[]> {
    const questions = await em
      .getRepository(CreatorProgramQuestion)
      .find({ where: { programId: program.id }, order: { position: 'ASC' } });
    const given = new Map<string, { answer: unknown; i: number }>();
    const errors: { field: string; message: string }[] = [];
    (dto.answers ?? []).forEach((a, i) => {
      if (given.has(a.question_id)) errors.push({ field: `answers.${i}.question_id`, message: 'answered twice' });
      given.set(a.question_id, { answer: a.answer, i });
      if (!questions.some((q) => q.id === a.question_id)) {
        errors.push({ field: `answers.${i}.question_id`, message: 'not a question of this programme' });
      }
    });
    const out: ApplicationAnswer[] = [];
    for (const q of questions) {
      const a = given.get(q.id);
      if (!a) {
        if (q.isRequired) errors.push({ field: 'answers', message: `question "${q.prompt}" requires an answer` });
        continue;
      }
      const field = `answers.${a.i}.answer`;
      const v = a.answer;
      switch (q.questionType) {
        case ProgramQuestionType.YesNo:
          if (typeof v !== 'boolean') errors.push({ field, message: 'must be true or false' });
          break;
        case ProgramQuestionType.MultipleChoice:
          if (typeof v !== 'string' || !q.options.includes(v))
            errors.push({ field, message: 'must be one of the options' });
          break;
        case ProgramQuestionType.ShortText:
          if (typeof v !== 'string' || !v.trim() || v.length > 500) {
            errors.push({ field, message: 'must be text of 1-500 characters' });
          }
          break;
        case ProgramQuestionType.LongText:
          if (typeof v !== 'string' || !v.trim() || v.length > 5000) {
            errors.push({ field, message: 'must be text of 1-5000 characters' });
          }
          break;
      }
      out.push({ question_id: q.id, prompt: q.prompt, answer: v as string | boolean });
    }
    if (errors.length) throw new InvalidError('INVALID_ANSWERS', 'Some answers are missing or not valid.', errors);
    return out;
  }

  private async checkPortfolio(
    em: EntityManager,
    program: CreatorProgram,
    profile: CreatorProfile,
    botIds: string[],
  ): Promise<string[]> {
    if (!program.portfolioReview) return botIds.length ? this.ownPublic(em, profile, botIds) : [];
    if (botIds.length < 1) {
      throw new InvalidError('PORTFOLIO_REQUIRED', 'Name 1–10 of your public bots for the portfolio review.', [
        { field: 'portfolio_bot_ids', message: 'name 1-10 of your public bots' },
      ]);
    }
    return this.ownPublic(em, profile, botIds);
  }

  private async ownPublic(em: EntityManager, profile: CreatorProfile, botIds: string[]): Promise<string[]> {
    const allowed = await this.repo.ownPublicBotIds(em, profile.userId, botIds);
    const bad = botIds.map((id, i) => ({ id, i })).filter(({ id }) => !allowed.has(id));
    if (bad.length) {
      throw new InvalidError(
        'PORTFOLIO_BOT_NOT_ALLOWED',
        'Portfolio bots must be your own public bots.',
        bad.map(({ i }) => ({ field: `portfolio_bot_ids.${i}`, message: 'must be one of your public bots' })),
      );
    }
    return botIds;
  }
}

/** Each unmet requirement, named by the programme field that sets it (422 errors). */
export function eligibilityProblems(
  program: CreatorProgram,
  s: EligibilitySnapshot,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (s.public_bot_count < program.minBotCount) {
    out.push({
      field: 'min_bot_count',
      message: `needs ${program.minBotCount} public bots, you have ${s.public_bot_count}`,
    });
  }
  if (s.total_conversations < program.minConversations) {
    out.push({
      field: 'min_conversations',
      message: `needs ${program.minConversations} conversations, you have ${s.total_conversations}`,
    });
  }
  if (
    program.verificationRequired &&
    s.verification_status !== CreatorVerification.Verified &&
    s.verification_status !== CreatorVerification.Premium
  ) {
    out.push({ field: 'verification_required', message: 'needs a verified profile' });
  }
  if (program.requiredSpecialties.length && !program.requiredSpecialties.some((sp) => s.specialties.includes(sp))) {
    out.push({
      field: 'required_specialties',
      message: `needs one of: ${program.requiredSpecialties.join(', ')}`,
    });
  }
  if (program.communityStanding !== ProgramStanding.None && s.standing !== 'active') {
    out.push({ field: 'community_standing', message: 'needs an account in good standing' });
  }
  return out;
}
