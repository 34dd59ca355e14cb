import { ModerationStatus } from '../../src/common/access/access.enums.js';
import type { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import { createPersona } from '../factories/persona.factory.js';
import type { TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `personas` in the OpenAPI document generated from the running app and checks each
 * actor against a private, a public and a public-but-hidden persona (bots.md §4 access rules). Personas are not
 * grantable, so there are no viewer/editor/manager actors and no shared visibility. An operation without a row fails.
 * Fixtures are reused across requests; a row marked `mutates` gets a fresh persona after each 2xx.
 */
const TAG = 'personas';
const ACTORS = ['anonymous', 'owner', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
/** `hidden`: public, but hidden by moderation (out of the catalogue; moderators still review it). */
const VISIBILITIES = ['private', 'public', 'hidden'] as const;
type Vis = (typeof VISIBILITIES)[number];

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
}
type Row = MatrixRow<Persona, Vis, Env>;

const { same, signedIn } = statusRows(ACTORS, VISIBILITIES);

//                          anon owner stranger moderator admin
const READ: Record<Vis, number[]> = {
  private: [401, 200, 404, 404, 200],
  public: [401, 200, 200, 200, 200],
  hidden: [401, 200, 404, 200, 200],
};
/** Owner and admin; whoever can see the persona otherwise gets 403 (moderators may only hide), the rest 404. */
const OWNER = (ok: number): Record<Vis, number[]> => ({
  private: [401, ok, 404, 404, ok],
  public: [401, ok, 403, 403, ok],
  hidden: [401, ok, 404, 403, ok],
});

const TABLE: Record<string, Row | Row[]> = {
  'GET /api/v1/personas': [
    { label: 'scope=mine', query: () => 'scope=mine', expect: same(signedIn(200)) },
    { label: 'scope=public', query: () => 'scope=public', expect: same(signedIn(200)) },
  ],
  'POST /api/v1/personas': {
    body: () => ({ name: 'Wanderer', description: 'Walks between worlds.' }),
    expect: same(signedIn(201)),
  },
  'GET /api/v1/personas/{id}': { expect: READ },
  'PATCH /api/v1/personas/{id}': { body: () => ({ name: 'Renamed' }), expect: OWNER(200) },
  'DELETE /api/v1/personas/{id}': { expect: OWNER(204), mutates: true },
  // copy: own personas and catalogued (public + visible) ones; admins and moderators may see more but not copy it
  'POST /api/v1/personas/{id}/copies': {
    expect: {
      private: [401, 201, 404, 404, 403],
      public: [401, 201, 201, 201, 201],
      hidden: [401, 201, 404, 403, 403],
    },
  },
  // @Roles(moderator) runs before the persona is loaded: non-staff get 403 even where they could not see it;
  // a moderator cannot see a private persona (404), an admin can and may hide it
  'PUT /api/v1/personas/{id}/moderation': {
    body: () => ({ status: 'hidden', reason: 'rule 3' }),
    expect: {
      private: [401, 403, 403, 404, 200],
      public: [401, 403, 403, 200, 200],
      hidden: [401, 403, 403, 200, 200],
    },
    mutates: true,
  },
};

describeAuthorizationMatrix<ActorName, Vis, Persona, Env, Row>({
  title: 'personas',
  tags: [TAG],
  actors: ACTORS,
  variants: VISIBILITIES,
  table: TABLE,
  setup: async (ctx) => ({ users: await createActorUsers(ctx, ACTORS) }),
  fixtures: 'reuse',
  fixture: ({ ctx, users }, vis) =>
    createPersona(ctx, {
      ownerId: users.owner.user.id,
      isPublic: vis !== 'private',
      moderationStatus: vis === 'hidden' ? ModerationStatus.Hidden : ModerationStatus.Visible,
      customInstructions: 'Private notes.',
    }),
  params: (persona) => ({ id: persona.id }),
  // a non-owner who may read a public persona never sees its private fields (bots.md §4)
  check: (res, { method, path, actor }) =>
    res.status === 200 &&
    method === 'get' &&
    path.endsWith('{id}') &&
    !['owner', 'admin'].includes(actor) &&
    'custom_instructions' in res.body &&
    res.body.custom_instructions !== null
      ? 'custom_instructions exposed'
      : undefined,
  timeout: 60_000,
});
