import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { CreatorProfile } from '../../src/modules/creators/entities/creator-profile.entity.js';
import { CreatorProgramApplication } from '../../src/modules/creators/entities/creator-program-application.entity.js';
import { CreatorProgramMembership } from '../../src/modules/creators/entities/creator-program-membership.entity.js';
import {
  CreatorProgramStatus,
  CreatorProgramType,
  CreatorVerification,
  ProgramApplicationMethod,
  ProgramApplicationStatus,
  ProgramMembershipStatus,
} from '../../src/modules/creators/entities/creator.enums.js';
import { createCreator, createProgram, createPublicBot, type TestCreator } from '../factories/creator.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

let ctx: TestApp;
let admin: TestUser;
let mod: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  admin = await createUser(ctx, { role: UserRole.Admin });
  mod = await createUser(ctx, { role: UserRole.Moderator });
});
afterAll(() => ctx?.close());

const api = (path: string) => `/api/v1${path}`;
const bearer = (u: { token: string }) => ({ Authorization: `Bearer ${u.token}` });

function apply(c: TestCreator, slug: string, body: object = {}) {
  return request(ctx.http)
    .post(api(`/creator-programs/${slug}/applications`))
    .set(bearer(c))
    .send(body);
}
async function applied(c: TestCreator, slug: string): Promise<string> {
  const res = await apply(c, slug).expect(201);
  return res.body.id as string;
}
const act = (who: { token: string }, id: string, action: string, body: object = {}) =>
  request(ctx.http)
    .post(api(`/creator-program-applications/${id}/${action}`))
    .set(bearer(who))
    .send(body);

describe('programmes (§3.1, §3.8)', () => {
  it('admin creates with nested lists; non-admin 403; anonymous sees active only without internal_notes (check 3.9.1)', async () => {
    const body = {
      name: 'Verified Creators 2026',
      program_type: 'verified_creator',
      short_description: 'Get verified',
      description: 'A programme for verified creators.',
      internal_notes: 'secret',
      questions: [
        { prompt: 'Why?', question_type: 'long_text', is_required: true },
        { prompt: 'Pick', question_type: 'multiple_choice', options: ['a', 'b'] },
      ],
      benefits: [{ category: 'primary', description: 'A badge' }],
      tiers: [
        { level: 1, name: 'Bronze', description: 'Start' },
        { level: 2, name: 'Silver', description: 'More' },
      ],
    };
    const creator = await createCreator(ctx);
    await request(ctx.http).post(api('/creator-programs')).set(bearer(creator)).send(body).expect(403);
    await request(ctx.http).post(api('/creator-programs')).set(bearer(mod)).send(body).expect(403);
    await request(ctx.http).post(api('/creator-programs')).send(body).expect(401);
    const created = await request(ctx.http).post(api('/creator-programs')).set(bearer(admin)).send(body).expect(201);
    expect(created.body).toMatchObject({ slug: 'verified-creators-2026', status: 'draft', internal_notes: 'secret' });
    expect(created.body.questions).toHaveLength(2);
    expect(created.body.tiers.map((t: { level: number }) => t.level)).toEqual([1, 2]);
    const again = await request(ctx.http).post(api('/creator-programs')).set(bearer(admin)).send(body).expect(201);
    expect(again.body.slug).toBe('verified-creators-2026-2');
    await request(ctx.http)
      .post(api('/creator-programs'))
      .set(bearer(admin))
      .send({ ...body, slug: 'verified-creators-2026' })
      .expect(409);

    const anon = await request(ctx.http).get(api('/creator-programs?limit=100')).expect(200);
    expect(anon.body.items.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
    await request(ctx.http)
      .get(api(`/creator-programs/${created.body.slug}`))
      .expect(404);
    await request(ctx.http).get(api('/creator-programs?status=draft')).expect(403);
    await request(ctx.http)
      .get(api(`/creator-programs/${created.body.slug}`))
      .set(bearer(mod))
      .expect(200);

    await request(ctx.http)
      .put(api(`/creator-programs/${created.body.slug}/status`))
      .set(bearer(admin))
      .send({ status: 'active' })
      .expect(200)
      .expect(({ body: b }) => expect(b.launch_date).not.toBeNull());
    const listed = await request(ctx.http).get(api('/creator-programs?limit=100')).expect(200);
    const item = listed.body.items.find((p: { id: string }) => p.id === created.body.id);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('internal_notes');
    const detail = await request(ctx.http)
      .get(api(`/creator-programs/${created.body.slug}`))
      .expect(200);
    expect(detail.body).not.toHaveProperty('internal_notes');
    expect(detail.body.stats).toEqual({
      total_applicants: 0,
      accepted_creators: 0,
      active_creators: 0,
      open_spots: null,
    });
  });

  it('rejects bad programme bodies with 400, never 500', async () => {
    const base = { name: 'P', program_type: 'mentorship', short_description: 's', description: 'd' };
    for (const body of [
      {},
      { ...base, program_type: 'bogus' },
      { ...base, renewal_required: true },
      { ...base, renewal_period_months: 3 },
      { ...base, renewal_required: true, renewal_period_months: 37 },
      { ...base, questions: [{ prompt: 'x', question_type: 'multiple_choice', options: ['only'] }] },
      { ...base, questions: [{ prompt: 'x', question_type: 'yes_no', options: ['a', 'b'] }] },
      {
        ...base,
        tiers: [
          { level: 1, name: 'a', description: 'a' },
          { level: 1, name: 'b', description: 'b' },
        ],
      },
      { ...base, max_participants: 0 },
      { ...base, slug: 'Bad Slug' },
      { ...base, banner_media_id: '00000000-0000-4000-8000-000000000000' },
      { ...base, extra: true },
    ]) {
      await request(ctx.http).post(api('/creator-programs')).set(bearer(admin)).send(body).expect(400);
    }
  });

  it('PATCH replaces nested lists, keeps tiers by level; DELETE only without applications', async () => {
    const p = await createProgram(ctx);
    const url = api(`/creator-programs/${p.slug}`);
    const patched = await request(ctx.http)
      .patch(url)
      .set(bearer(admin))
      .send({
        tiers: [{ level: 3, name: 'Gold', description: 'g' }],
        benefits: [],
        renewal_required: true,
        renewal_period_months: 6,
      })
      .expect(200);
    expect(patched.body.tiers.map((t: { name: string }) => t.name)).toEqual(['Gold']);
    await request(ctx.http).patch(url).set(bearer(mod)).send({ name: 'x' }).expect(403);
    await request(ctx.http).patch(url).set(bearer(admin)).send({ name: '' }).expect(400);
    await request(ctx.http).patch(api('/creator-programs/nope')).set(bearer(admin)).send({ name: 'x' }).expect(404);
    const c = await createCreator(ctx);
    await applied(c, p.slug);
    await request(ctx.http).delete(url).set(bearer(admin)).expect(409);
    const empty = await createProgram(ctx);
    await request(ctx.http)
      .delete(api(`/creator-programs/${empty.slug}`))
      .set(bearer(mod))
      .expect(403);
    await request(ctx.http)
      .delete(api(`/creator-programs/${empty.slug}`))
      .set(bearer(admin))
      .expect(204);
  });

  const statuses = Object.values(CreatorProgramStatus);
  const allowed: Record<string, string[]> = {
    draft: ['active', 'archived'],
    active: ['paused', 'closed', 'archived'],
    paused: ['active', 'closed', 'archived'],
    closed: ['active', 'archived'],
    archived: [],
  };
  it.each(statuses.flatMap((from) => statuses.map((to) => [from, to] as const)))(
    'programme status %s → %s',
    async (from, to) => {
      const p = await createProgram(ctx, { status: from });
      const res = await request(ctx.http)
        .put(api(`/creator-programs/${p.slug}/status`))
        .set(bearer(admin))
        .send({ status: to });
      if (allowed[from].includes(to)) expect(res.status).toBe(200);
      else expect([res.status, res.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    },
  );
});

describe('applications (§3.2, §3.5, §3.9)', () => {
  it('0 public bots vs min_bot_count 1 → 422 naming min_bot_count; with one → 201 submitted + snapshot (check 3.9.2)', async () => {
    const p = await createProgram(ctx, { minBotCount: 1 });
    const c = await createCreator(ctx);
    const res = await apply(c, p.slug).expect(422);
    expect(res.body.code).toBe('NOT_ELIGIBLE');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['min_bot_count']);
    await createPublicBot(ctx, c.user.id);
    const ok = await apply(c, p.slug).expect(201);
    expect(ok.body.status).toBe('submitted');
    expect(ok.body.eligibility_snapshot).toMatchObject({
      public_bot_count: 1,
      total_conversations: 0,
      verification_status: 'unverified',
    });
  });

  it('422 lists every unmet requirement', async () => {
    const p = await createProgram(ctx, {
      minBotCount: 2,
      minConversations: 10,
      verificationRequired: true,
      requiredSpecialties: ['gaming'] as never,
    });
    const c = await createCreator(ctx);
    const res = await apply(c, p.slug).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['min_bot_count', 'min_conversations', 'required_specialties', 'verification_required'].sort(),
    );
  });

  it('second open application → 409; after withdraw, reapplying within 30 days → 409 REAPPLY_TOO_SOON (check 3.9.3)', async () => {
    const p = await createProgram(ctx);
    const c = await createCreator(ctx);
    const id = await applied(c, p.slug);
    await apply(c, p.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('APPLICATION_OPEN'));
    await act(c, id, 'withdraw')
      .expect(200)
      .expect(({ body }) => expect(body.status).toBe('withdrawn'));
    await apply(c, p.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('REAPPLY_TOO_SOON'));
    await ctx.ds
      .getRepository(CreatorProgramApplication)
      .update({ id }, { withdrawnAt: new Date(Date.now() - 31 * 86_400_000) });
    await apply(c, p.slug).expect(201);
  });

  it('apply guards: no profile 403, anonymous 401, draft 404, paused 409, deadline 409, bad answers 400', async () => {
    const p = await createProgram(ctx);
    const plain = await createUser(ctx);
    await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/applications`))
      .set(bearer(plain))
      .send({})
      .expect(403);
    await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/applications`))
      .send({})
      .expect(401);
    const c = await createCreator(ctx);
    const draft = await createProgram(ctx, { status: CreatorProgramStatus.Draft });
    await apply(c, draft.slug).expect(404);
    const paused = await createProgram(ctx, { status: CreatorProgramStatus.Paused });
    await apply(c, paused.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('PROGRAM_NOT_ACCEPTING'));
    const late = await createProgram(ctx, { applicationDeadline: new Date(Date.now() - 1000) });
    await apply(c, late.slug).expect(409);

    const created = await request(ctx.http)
      .post(api('/creator-programs'))
      .set(bearer(admin))
      .send({
        name: 'Form Program',
        program_type: 'mentorship',
        short_description: 's',
        description: 'd',
        min_bot_count: 0,
        portfolio_review: true,
        questions: [
          { prompt: 'Why?', question_type: 'short_text', is_required: true },
          { prompt: 'Ok?', question_type: 'yes_no' },
          { prompt: 'Pick', question_type: 'multiple_choice', options: ['a', 'b'] },
        ],
      })
      .expect(201);
    const slug = created.body.slug as string;
    await request(ctx.http)
      .put(api(`/creator-programs/${slug}/status`))
      .set(bearer(admin))
      .send({ status: 'active' })
      .expect(200);
    const [q1, q2, q3] = created.body.questions.map((q: { id: string }) => q.id);
    const bot = await createPublicBot(ctx, c.user.id);
    const other = await createCreator(ctx);
    const theirs = await createPublicBot(ctx, other.user.id);
    for (const body of [
      { portfolio_bot_ids: [bot.id] },
      { answers: [{ question_id: q1, answer: 'because' }] },
      { answers: [{ question_id: q1, answer: 'because' }], portfolio_bot_ids: [theirs.id] },
      {
        answers: [
          { question_id: q1, answer: 'x' },
          { question_id: q2, answer: 'yes' },
        ],
        portfolio_bot_ids: [bot.id],
      },
      {
        answers: [
          { question_id: q1, answer: 'x' },
          { question_id: q3, answer: 'c' },
        ],
        portfolio_bot_ids: [bot.id],
      },
      { answers: [{ question_id: q1, answer: 5 }], portfolio_bot_ids: [bot.id] },
      { answers: [{ question_id: q1, answer: 'x' }], portfolio_bot_ids: [bot.id], requested_tier_level: 9 },
      { answers: 'nope' },
      { motivation: 'x'.repeat(5001) },
    ]) {
      await apply(c, slug, body).expect(400);
    }
    const ok = await apply(c, slug, {
      answers: [
        { question_id: q1, answer: 'because' },
        { question_id: q2, answer: true },
        { question_id: q3, answer: 'b' },
      ],
      portfolio_bot_ids: [bot.id],
    }).expect(201);
    expect(ok.body.answers).toEqual([
      { question_id: q1, prompt: 'Why?', answer: 'because' },
      { question_id: q2, prompt: 'Ok?', answer: true },
      { question_id: q3, prompt: 'Pick', answer: 'b' },
    ]);
    expect(ok.body.portfolio_bot_ids).toEqual([bot.id]);
  });

  it('applicant cannot approve (403); approve on submitted → 409; review + approve → membership and verified (check 3.9.4)', async () => {
    const p = await createProgram(ctx, { programType: CreatorProgramType.VerifiedCreator });
    const c = await createCreator(ctx);
    const id = await applied(c, p.slug);
    await act(c, id, 'approve').expect(403);
    await act(mod, id, 'approve')
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('INVALID_TRANSITION'));
    await act(mod, id, 'review')
      .expect(200)
      .expect(({ body }) => expect(body).toMatchObject({ status: 'under_review', reviewer_id: mod.user.id }));
    const other = await createUser(ctx, { role: UserRole.Moderator });
    await act(other, id, 'approve')
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('NOT_REVIEWER'));
    const ok = await act(mod, id, 'approve', { reviewer_notes: 'solid' }).expect(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.membership_id).not.toBeNull();
    const profile = await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id });
    expect(profile.verificationStatus).toBe(CreatorVerification.Verified);
    const pub = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(200);
    expect(pub.body.programs.map((b: { slug: string }) => b.slug)).toEqual([p.slug]);
    const members = await request(ctx.http)
      .get(api(`/creator-programs/${p.slug}/members`))
      .expect(200);
    expect(members.body.items.map((m: { creator: { id: string } }) => m.creator.id)).toEqual([c.profile.id]);
    await apply(c, p.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('ALREADY_MEMBER'));
  });

  it('reject without decision_reason → 400; applicant sees the reason, not reviewer_notes (check 3.9.5)', async () => {
    const p = await createProgram(ctx);
    const c = await createCreator(ctx);
    const id = await applied(c, p.slug);
    await act(mod, id, 'review').expect(200);
    await act(mod, id, 'reject', {}).expect(400);
    await act(mod, id, 'reject', { decision_reason: '   ' }).expect(400);
    const res = await act(mod, id, 'reject', { decision_reason: 'Not yet', reviewer_notes: 'weak portfolio' }).expect(
      200,
    );
    expect(res.body.reviewer_notes).toBe('weak portfolio');
    const own = await request(ctx.http)
      .get(api(`/creator-program-applications/${id}`))
      .set(bearer(c))
      .expect(200);
    expect(own.body.decision_reason).toBe('Not yet');
    expect(own.body).not.toHaveProperty('reviewer_notes');
    const mine = await request(ctx.http).get(api('/creator-program-applications')).set(bearer(c)).expect(200);
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(mine.body.items[0]).not.toHaveProperty('reviewer_notes');
    const stranger = await createCreator(ctx);
    await request(ctx.http)
      .get(api(`/creator-program-applications/${id}`))
      .set(bearer(stranger))
      .expect(404);
    await act(stranger, id, 'withdraw').expect(404);
    await request(ctx.http)
      .get(api(`/creator-program-applications/${id}`))
      .expect(401);
    await request(ctx.http).get(api('/creator-program-applications/not-a-uuid')).set(bearer(c)).expect(400);
    await apply(c, p.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('REAPPLY_TOO_SOON'));
  });

  it('a moderator cannot start or decide a review of their own application (check 3.9.6)', async () => {
    const p = await createProgram(ctx);
    const modCreator = await createCreator(ctx, { user: { role: UserRole.Moderator } });
    const id = await applied(modCreator, p.slug);
    await act(modCreator, id, 'review')
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('OWN_APPLICATION'));
    await act(mod, id, 'review').expect(200);
    await act(modCreator, id, 'approve').expect(403);
    await act(modCreator, id, 'reject', { decision_reason: 'x' }).expect(403);
    const queue = await request(ctx.http)
      .get(api(`/creator-program-applications?program=${p.slug}&status=under_review`))
      .set(bearer(mod))
      .expect(200);
    expect(queue.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
  });

  it('automatic programme approves at once; max_participants 1 with one member → PROGRAM_FULL (check 3.9.7)', async () => {
    const p = await createProgram(ctx, {
      applicationMethod: ProgramApplicationMethod.Automatic,
      maxParticipants: 1,
      programType: CreatorProgramType.FeaturedCreator,
    });
    const a = await createCreator(ctx);
    const first = await apply(a, p.slug).expect(201);
    expect(first.body.status).toBe('approved');
    expect(first.body.reviewer_id).toBeNull();
    expect((await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: a.profile.id })).isFeatured).toBe(true);
    const b = await createCreator(ctx);
    await apply(b, p.slug)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('PROGRAM_FULL'));
    const stats = await request(ctx.http)
      .get(api(`/creator-programs/${p.slug}/stats`))
      .expect(200);
    expect(stats.body.open_spots).toBe(0);
  });

  it('stats after 3 applications (approved, rejected, withdrawn) (check 3.9.8)', async () => {
    const p = await createProgram(ctx);
    const [a, b, c] = await Promise.all([createCreator(ctx), createCreator(ctx), createCreator(ctx)]);
    const [ia, ib, ic] = [await applied(a, p.slug), await applied(b, p.slug), await applied(c, p.slug)];
    await act(mod, ia, 'review').expect(200);
    await act(mod, ia, 'approve').expect(200);
    await act(mod, ib, 'review').expect(200);
    await act(mod, ib, 'reject', { decision_reason: 'no' }).expect(200);
    await act(c, ic, 'withdraw').expect(200);
    const pub = await request(ctx.http)
      .get(api(`/creator-programs/${p.slug}/stats`))
      .expect(200);
    expect(pub.body).toEqual({ total_applicants: 3, accepted_creators: 1, active_creators: 1, open_spots: null });
    const staff = await request(ctx.http)
      .get(api(`/creator-programs/${p.slug}/stats`))
      .set(bearer(mod))
      .expect(200);
    expect(staff.body.by_status).toEqual({ approved: 1, rejected: 1, withdrawn: 1 });
    expect(typeof staff.body.median_days_to_decision).toBe('number');
  });

  it('memberships: member leaves (204), moderator revokes (204), stranger 404, twice 409; admin adds members', async () => {
    const p = await createProgram(ctx, { programType: CreatorProgramType.PremiumCreator });
    const c = await createCreator(ctx, { profile: { verificationStatus: CreatorVerification.Verified } });
    await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/members`))
      .set(bearer(mod))
      .send({ username: c.user.username })
      .expect(403);
    await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/members`))
      .set(bearer(admin))
      .send({ username: 'no_such_creator_9' })
      .expect(400);
    const added = await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/members`))
      .set(bearer(admin))
      .send({ username: c.user.username })
      .expect(201);
    expect((await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id })).verificationStatus).toBe(
      'premium',
    );
    const url = api(`/creator-program-memberships/${added.body.membership_id}`);
    const stranger = await createCreator(ctx);
    await request(ctx.http).delete(url).set(bearer(stranger)).expect(404);
    await request(ctx.http).delete(url).expect(401);
    await request(ctx.http).delete(url).set(bearer(c)).send({ reason: 'moving on' }).expect(204);
    const row = await ctx.ds.getRepository(CreatorProgramMembership).findOneByOrFail({ id: added.body.membership_id });
    expect(row.status).toBe(ProgramMembershipStatus.Left);
    expect((await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id })).verificationStatus).toBe(
      'verified',
    );
    await request(ctx.http).delete(url).set(bearer(mod)).expect(409);

    const again = await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/members`))
      .set(bearer(admin))
      .send({ username: c.user.username })
      .expect(201);
    await request(ctx.http)
      .delete(api(`/creator-program-memberships/${again.body.membership_id}`))
      .set(bearer(mod))
      .expect(204);
    expect(
      (await ctx.ds.getRepository(CreatorProgramMembership).findOneByOrFail({ id: again.body.membership_id })).status,
    ).toBe(ProgramMembershipStatus.Revoked);
  });

  it('expired premium membership: job with a clock past expires_at → expired, profile back to verified; twice = once (check 3.9.9)', async () => {
    const p = await createProgram(ctx, {
      programType: CreatorProgramType.PremiumCreator,
      renewalRequired: true,
      renewalPeriodMonths: 1,
    });
    const c = await createCreator(ctx, { profile: { verificationStatus: CreatorVerification.Verified } });
    const added = await request(ctx.http)
      .post(api(`/creator-programs/${p.slug}/members`))
      .set(bearer(admin))
      .send({ username: c.user.username })
      .expect(201);
    expect(added.body.expires_at).not.toBeNull();
    const future = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const snapshot = async () => ({
      m: await ctx.ds.getRepository(CreatorProgramMembership).findOneByOrFail({ id: added.body.membership_id }),
      p: await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id }),
    });
    await ctx.jobs.enqueue('creators.expire-memberships', { as_of: new Date().toISOString() });
    await ctx.jobs.drain();
    expect((await snapshot()).m.status).toBe(ProgramMembershipStatus.Active);
    await ctx.jobs.enqueue('creators.expire-memberships', { as_of: future });
    await ctx.jobs.drain();
    const once = await snapshot();
    expect(once.m.status).toBe(ProgramMembershipStatus.Expired);
    expect(once.p.verificationStatus).toBe(CreatorVerification.Verified);
    await ctx.jobs.enqueue('creators.expire-memberships', { as_of: future });
    await ctx.jobs.drain();
    const twice = await snapshot();
    expect(twice.m.updatedAt.getTime()).toBe(once.m.updatedAt.getTime());
    expect(twice.m.endedAt?.getTime()).toBe(once.m.endedAt?.getTime());
    expect(twice.p.updatedAt.getTime()).toBe(once.p.updatedAt.getTime());
  });

  it('renewal: a new application within 30 days of expires_at extends the membership', async () => {
    const p = await createProgram(ctx, { renewalRequired: true, renewalPeriodMonths: 1 });
    const c = await createCreator(ctx);
    const id = await applied(c, p.slug);
    await act(mod, id, 'review').expect(200);
    await act(mod, id, 'approve').expect(200);
    const before = await ctx.ds.getRepository(CreatorProgramMembership).findOneByOrFail({ programId: p.id });
    const renewal = await applied(c, p.slug);
    await act(mod, renewal, 'review').expect(200);
    await act(mod, renewal, 'approve').expect(200);
    const rows = await ctx.ds.getRepository(CreatorProgramMembership).findBy({ programId: p.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].expiresAt!.getTime()).toBeGreaterThan(before.expiresAt!.getTime());
  });

  // Every (state, action) pair: allowed ones succeed, every other one answers 409 INVALID_TRANSITION.
  const transitions: Record<string, string[]> = {
    submitted: ['review', 'withdraw'],
    under_review: ['approve', 'reject', 'withdraw'],
    approved: [],
    rejected: [],
    withdrawn: [],
  };
  const actions = ['review', 'approve', 'reject', 'withdraw'];
  it.each(Object.values(ProgramApplicationStatus).flatMap((from) => actions.map((action) => [from, action] as const)))(
    'application %s + %s',
    async (from, action) => {
      const p = await createProgram(ctx);
      const c = await createCreator(ctx);
      const id = await applied(c, p.slug);
      await ctx.ds.getRepository(CreatorProgramApplication).update(
        { id },
        {
          status: from,
          reviewerId: from === 'submitted' ? null : mod.user.id,
          decisionReason: from === 'rejected' ? 'r' : null,
        },
      );
      const who = action === 'withdraw' ? c : mod;
      const res = await act(who, id, action, action === 'reject' ? { decision_reason: 'because' } : {});
      if (transitions[from].includes(action)) expect(res.status).toBe(200);
      else expect([res.status, res.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    },
  );
});
