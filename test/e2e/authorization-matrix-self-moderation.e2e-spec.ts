import { UserRole } from '../../src/common/auth/actor.js';
import { SelfModerationSettings } from '../../src/modules/wellbeing/self-moderation/entities/self-moderation-settings.entity.js';
import { WellbeingInterventionKind } from '../../src/modules/wellbeing/self-moderation/entities/self-moderation.enums.js';
import { WellbeingIntervention } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-intervention.entity.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `self-moderation` (wellbeing.md §2) for each actor against the owner's settings and an
 * intervention of theirs. Every route is "mine": other users, moderators and admins only ever reach their own (empty)
 * data, and another user's intervention is 404. Any 2xx that carries the owner's intervention id to someone else fails.
 */
const TAG = 'self-moderation';
const ACTORS = ['anonymous', 'owner', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VARIANTS = ['own'] as const;
type Variant = (typeof VARIANTS)[number];

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
}
type Row = MatrixRow<WellbeingIntervention, Variant, Env>;

const { same, signedIn } = statusRows(ACTORS, VARIANTS);

const TABLE: Record<string, Row | Row[]> = {
  'GET /api/v1/wellbeing/settings': { expect: same(signedIn(200)) },
  'PUT /api/v1/wellbeing/settings': { body: () => ({ daily_minutes_limit: 120 }), expect: same(signedIn(200)) },
  'DELETE /api/v1/wellbeing/settings/pending': { expect: same(signedIn(204)) },
  'GET /api/v1/wellbeing/status': { expect: same(signedIn(200)) },
  'GET /api/v1/wellbeing/usage': { expect: same(signedIn(200)) },
  'POST /api/v1/wellbeing/heartbeat': { expect: same(signedIn(204)) },
  'POST /api/v1/wellbeing/check-in': {
    body: (i) => ({ acknowledge: [i.id] }),
    expect: { own: [401, 200, 404, 404, 404] },
  },
  'GET /api/v1/wellbeing/interventions': { expect: same(signedIn(200)) },
};

describeAuthorizationMatrix<ActorName, Variant, WellbeingIntervention, Env, Row>({
  title: 'self-moderation',
  tags: [TAG],
  actors: ACTORS,
  variants: VARIANTS,
  table: TABLE,
  setup: async (ctx) => ({
    users: {
      owner: await createUser(ctx),
      stranger: await createUser(ctx),
      moderator: await createUser(ctx, { role: UserRole.Moderator }),
      admin: await createUser(ctx, { role: UserRole.Admin }),
    },
  }),
  fixtures: 'reuse',
  fixture: async ({ ctx, users }) => {
    const userId = users.owner.user.id;
    await ctx.ds
      .getRepository(SelfModerationSettings)
      .upsert({ userId, dailyMinutesLimit: 60, timezone: 'Europe/Berlin' }, ['userId']);
    const repo = ctx.ds.getRepository(WellbeingIntervention);
    return repo.save(
      repo.create({
        userId,
        kind: WellbeingInterventionKind.DailyLimitExceeded,
        localDate: '2026-01-05',
        details: { used_minutes: 61, limit_minutes: 60 },
      }),
    );
  },
  params: () => ({}),
  check: (res, { actor, fixture, env }) => {
    if (actor === 'owner' || res.status >= 300) return undefined;
    const body = JSON.stringify(res.body ?? {});
    if (body.includes(fixture.id)) return 'the owner’s intervention exposed';
    if (body.includes('Europe/Berlin')) return 'the owner’s settings exposed';
    if (body.includes(env.users.owner.user.id)) return 'the owner’s id exposed';
    return undefined;
  },
  timeout: 60_000,
});
