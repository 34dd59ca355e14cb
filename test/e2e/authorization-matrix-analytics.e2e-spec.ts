import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import type { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import type { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import { utcDay } from '../../src/modules/analytics/rollups/days.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `analytics` in the live OpenAPI document (analytics.md §4): own data for every signed-in
 * user, bot stats for the owner, a manage grant and admins (readable but not allowed → 403, not readable → 404),
 * persona stats for the owner and admins, platform/queue/backfill for admins. Grants only work on shared or public
 * bots (a private bot suspends them).
 */
// Booting the app can take over a minute on a loaded machine.
jest.setTimeout(180_000);

const ACTORS = ['anonymous', 'owner', 'manager', 'viewer', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VISIBILITIES = ['private', 'shared', 'public'] as const;
type Vis = (typeof VISIBILITIES)[number];

interface Fixture {
  bot: Bot;
  persona: Persona;
}
interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
}
type Row = MatrixRow<Fixture, Vis, Env>;

const { same, signedIn } = statusRows(ACTORS, VISIBILITIES);

//                          anon owner manager viewer stranger moderator admin
const BOT_STATS: Record<Vis, number[]> = {
  private: [401, 200, 404, 404, 404, 403, 200],
  shared: [401, 200, 200, 403, 404, 403, 200],
  public: [401, 200, 200, 403, 403, 403, 200],
};
const PERSONA_STATS = same([401, 200, 404, 404, 404, 404, 200]);
const ADMIN_ONLY = (ok: number) => same([401, 403, 403, 403, 403, 403, ok]);

const TABLE: Record<string, Row | Row[]> = {
  'GET /api/v1/analytics/me/usage': { expect: same(signedIn(200)) },
  'GET /api/v1/analytics/me/mood-trends': { expect: same(signedIn(200)) },
  'GET /api/v1/analytics/me/memory': { expect: same(signedIn(200)) },
  'GET /api/v1/analytics/creator/overview': { expect: same(signedIn(200)) },
  'GET /api/v1/analytics/bots/{id}': { expect: BOT_STATS },
  'GET /api/v1/analytics/personas/{id}': { params: ({ persona }) => ({ id: persona.id }), expect: PERSONA_STATS },
  'GET /api/v1/admin/analytics/platform': { expect: ADMIN_ONLY(200) },
  'GET /api/v1/admin/analytics/queue': { expect: ADMIN_ONLY(200) },
  'POST /api/v1/admin/analytics/backfill': {
    body: () => ({ scope: 'platform', from: utcDay(new Date()), to: utcDay(new Date()) }),
    expect: ADMIN_ONLY(202),
  },
};

describeAuthorizationMatrix<ActorName, Vis, Fixture, Env, Row>({
  title: 'analytics',
  tags: ['analytics'],
  actors: ACTORS,
  variants: VISIBILITIES,
  table: TABLE,
  app: { env: { ANALYTICS_DEBOUNCE_SECONDS: '0' } },
  setup: async (ctx) => ({
    users: {
      owner: await createUser(ctx),
      manager: await createUser(ctx),
      viewer: await createUser(ctx),
      stranger: await createUser(ctx),
      moderator: await createUser(ctx, { role: UserRole.Moderator }),
      admin: await createUser(ctx, { role: UserRole.Admin }),
    },
  }),
  fixtures: 'reuse',
  fixture: async ({ ctx, users }, vis) => {
    const bot = await createBot(ctx, {
      ownerId: users.owner.user.id,
      allowCollaboration: true,
      visibility:
        vis === 'private'
          ? ResourceVisibility.Private
          : vis === 'shared'
            ? ResourceVisibility.Shared
            : ResourceVisibility.Public,
    });
    await createGrant(ctx, { bot, granteeId: users.manager.user.id, level: GrantLevel.Manage });
    await createGrant(ctx, { bot, granteeId: users.viewer.user.id, level: GrantLevel.View });
    const persona = await createPersona(ctx, { ownerId: users.owner.user.id, isPublic: vis === 'public' });
    return { bot, persona };
  },
  params: ({ bot }) => ({ id: bot.id }),
  // bot stats are counts only: never a chatter's or viewer's identity
  check: (res, { path }) =>
    res.status === 200 &&
    path.includes('/bots/') &&
    /"(user_id|actor_key|actor_user_id)"/.test(JSON.stringify(res.body))
      ? 'identity exposed in bot stats'
      : undefined,
  timeout: 120_000,
});
