import request from 'supertest';
import { ModerationStatus } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { buildOpenApiDocument } from '../../src/common/openapi/openapi.js';
import type { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

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

interface Row {
  /** Distinguishes several rows of one operation. */
  label?: string;
  /** Expected statuses in ACTORS order, per persona visibility. */
  expect: Record<Vis, number[]>;
  query?: string;
  body?: () => Record<string, unknown>;
  /** A 2xx changes the persona in a way later requests would notice: use a fresh one afterwards. */
  mutates?: boolean;
}

const same = (row: number[]): Record<Vis, number[]> => ({ private: row, public: row, hidden: row });
const signedIn = (status: number): number[] => [401, ...ACTORS.slice(1).map(() => status)];

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
    { label: 'scope=mine', query: 'scope=mine', expect: same(signedIn(200)) },
    { label: 'scope=public', query: 'scope=public', expect: same(signedIn(200)) },
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

describe('authorization matrix (personas)', () => {
  let ctx: TestApp;
  let users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
  let operations: { method: string; path: string }[];
  const rows = (key: string): Row[] => {
    const r = TABLE[key];
    return r === undefined ? [] : Array.isArray(r) ? r : [r];
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    users = {
      owner: await createUser(ctx),
      stranger: await createUser(ctx),
      moderator: await createUser(ctx, { role: UserRole.Moderator }),
      admin: await createUser(ctx, { role: UserRole.Admin }),
    };
    const doc = buildOpenApiDocument(ctx.app);
    operations = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = item[method];
        if (op && (op.tags ?? []).includes(TAG)) operations.push({ method, path });
      }
    }
  });
  afterAll(() => ctx?.close());

  const fixture = (vis: Vis): Promise<Persona> =>
    createPersona(ctx, {
      ownerId: users.owner.user.id,
      isPublic: vis !== 'private',
      moderationStatus: vis === 'hidden' ? ModerationStatus.Hidden : ModerationStatus.Visible,
      customInstructions: 'Private notes.',
    });

  it('finds the operations in the generated OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(Object.keys(TABLE).length);
  });

  it('has a row for every operation, and no row without an operation', () => {
    const keys = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(keys.filter((k) => !TABLE[k])).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('answers every actor as the table says', async () => {
    const mismatches: string[] = [];
    let requests = 0;
    const current: Partial<Record<Vis, Persona>> = {};
    for (const { method, path } of operations) {
      const key = `${method.toUpperCase()} ${path}`;
      for (const row of rows(key)) {
        const name = row.label ? `${key} (${row.label})` : key;
        for (const vis of VISIBILITIES) {
          for (const [i, actor] of ACTORS.entries()) {
            const persona = (current[vis] ??= await fixture(vis));
            const url = path.replace('{id}', persona.id) + (row.query ? `?${row.query}` : '');
            let req = request(ctx.http)[method as 'get'](url);
            if (actor !== 'anonymous') req = req.set('Authorization', `Bearer ${users[actor].token}`);
            if (row.body) req = req.send(row.body());
            else if (method !== 'get') req = req.send({});
            const res = await req;
            requests += 1;
            const expected = row.expect[vis][i];
            if (res.status !== expected) {
              mismatches.push(
                `${name} [${vis}] ${actor}: expected ${expected}, got ${res.status} ${res.body?.code ?? ''}`,
              );
            }
            // a non-owner who may read a public persona never sees its private fields (bots.md §4)
            if (
              res.status === 200 &&
              method === 'get' &&
              path.endsWith('{id}') &&
              !['owner', 'admin'].includes(actor)
            ) {
              if ('custom_instructions' in res.body && res.body.custom_instructions !== null) {
                mismatches.push(`${name} [${vis}] ${actor}: custom_instructions exposed`);
              }
            }
            if (row.mutates && res.status >= 200 && res.status < 300) delete current[vis];
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(requests).toBeGreaterThan(0);
  }, 60_000);
});
