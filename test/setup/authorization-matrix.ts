import request, { type Response } from 'supertest';
import { buildOpenApiDocument } from '../../src/common/openapi/openapi.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/**
 * Shared runner of the authorization matrix files (test/e2e/authorization-matrix*.e2e-spec.ts).
 *
 * It boots the app, reads the OpenAPI document generated from the running app, collects every operation carrying
 * one of the matrix's tags and sends one request per row, fixture variant and actor. It fails when an operation has
 * no row, when a row names an operation the document does not have, when a row lacks a status for some actor or
 * variant, when a response status differs from the table, and it lists separately every unexpected 2xx (a 2xx where
 * the table expects a refusal: the caller may have been given data or a change it must not get).
 *
 * Fixture lifetime: `fixtures: 'per-request'` builds a fresh fixture for every request; `'reuse'` keeps one fixture
 * per variant until a row marked `mutates` answers 2xx, and a row with `setup` starts (and leaves) a fresh fixture.
 */

/** The actor that sends no token. */
export const ANONYMOUS = 'anonymous';

export interface MatrixEnvBase<A extends string> {
  ctx: TestApp;
  /** Signed-in actors shared by all fixtures (an actor missing here must be resolved by `caller`). */
  users: Partial<Record<A, TestUser>>;
}

/** `query`, `body` and `params` may depend on the calling actor (e.g. the actor's own conversation). */
export interface MatrixRow<F, V extends string, E, A extends string = string> {
  /** Distinguishes several rows of one operation. */
  label?: string;
  /** Expected statuses in actor order, per fixture variant. */
  expect: Partial<Record<V, readonly number[]>>;
  query?: (f: F, actor: A) => string;
  /** Request body (a string goes as is: set its content-type in `headers`); non-GET requests without one send `{}`. */
  body?: (f: F, actor: A) => object | string;
  /** Path parameter values on top of the matrix's `params`. */
  params?: (f: F, actor: A) => Record<string, string>;
  headers?: Record<string, string>;
  /** A 2xx changes the fixture in a way later requests would notice (reuse mode: use a fresh one afterwards). */
  mutates?: boolean;
  /** Prepares every fixture this row uses (reuse mode: the row starts on a fresh fixture and leaves it dirty). */
  setup?: (f: F, env: E) => Promise<void>;
  /** Extra assertion on every response of this row: a message when it fails. */
  check?: (res: Response, call: MatrixCall<F, V, E>) => string | undefined;
}

export interface MatrixCall<F, V extends string, E, A extends string = string> {
  /** `METHOD /path (label)`. */
  name: string;
  method: string;
  path: string;
  variant: V;
  actor: A;
  fixture: F;
  env: E;
}

export interface AuthorizationMatrix<
  A extends string,
  V extends string,
  F,
  E extends MatrixEnvBase<A>,
  R extends MatrixRow<F, V, E, A>,
> {
  /** Shown in the describe title: `authorization matrix (<title>)`. */
  title: string;
  /** OpenAPI tags whose every operation needs a row. */
  tags: readonly string[];
  /** Column order of every `expect` row; `anonymous` sends no token. */
  actors: readonly A[];
  /** Fixture variants (e.g. visibilities): all of them, or the ones a row uses. */
  variants: readonly V[] | ((row: R) => readonly V[]);
  /** `METHOD /api/v1/path` → one row or several (with labels). */
  table: Record<string, R | R[]>;
  /** Operations outside `tags` that the table covers too (they must exist in the document). */
  extraOperations?: readonly string[];
  /** Environment of the app; a function is called right before boot (e.g. after a fake provider started). */
  app?: TestAppOptions | (() => TestAppOptions);
  /** Creates the shared actors once, after boot. */
  setup: (ctx: TestApp) => Promise<Omit<E, 'ctx'>>;
  fixture: (env: E, variant: V, row: R) => Promise<F>;
  fixtures: 'per-request' | 'reuse';
  /** Default path parameter values of a fixture. */
  params: (f: F) => Record<string, string>;
  /** The token of an actor (default: `users[actor]`); return undefined to send none. */
  caller?: (env: E, actor: A, f: F, row: R) => Promise<string | undefined> | string | undefined;
  /** Extra assertion on every response: a message when it fails. */
  check?: (res: Response, call: MatrixCall<F, V, E, A>) => string | undefined;
  /** Jest timeout of the request walk (default 600 s). */
  timeout?: number;
  /** Per-request timeout (default 30 s): a request that hangs is reported as a mismatch, not a stuck run. */
  requestTimeout?: number;
}

/** Status-row builders for a fixed actor order: `all(200)`, `signedIn(201)` (anonymous 401), `same(row)` per variant. */
export function statusRows<A extends string, V extends string>(actors: readonly A[], variants: readonly V[]) {
  const all = (status: number): number[] => actors.map(() => status);
  const signedIn = (status: number): number[] => actors.map((a) => (a === ANONYMOUS ? 401 : status));
  const same = (row: readonly number[]): Record<V, readonly number[]> =>
    Object.fromEntries(variants.map((v) => [v, row])) as Record<V, readonly number[]>;
  return { all, signedIn, same };
}

const ROLE_BY_ACTOR: Record<string, UserRole> = {
  moderator: UserRole.Moderator,
  admin: UserRole.Admin,
  creator: UserRole.Creator,
};

/** One saved user per actor name (anonymous skipped); `moderator`, `admin` and `creator` get that role. */
export async function createActorUsers<N extends string>(
  ctx: TestApp,
  actors: readonly N[],
): Promise<Record<Exclude<N, typeof ANONYMOUS>, TestUser>> {
  const users: Partial<Record<string, TestUser>> = {};
  for (const actor of actors) {
    if (actor !== ANONYMOUS) users[actor] = await createUser(ctx, { role: ROLE_BY_ACTOR[actor] ?? UserRole.User });
  }
  return users as Record<Exclude<N, typeof ANONYMOUS>, TestUser>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** Registers the describe block of one matrix file. */
export function describeAuthorizationMatrix<
  A extends string,
  V extends string,
  F,
  E extends MatrixEnvBase<A>,
  R extends MatrixRow<F, V, E, A>,
>(def: AuthorizationMatrix<A, V, F, E, R>): void {
  const rowsOf = (key: string): R[] => {
    const r = def.table[key];
    return r === undefined ? [] : Array.isArray(r) ? r : [r];
  };
  const variantsOf = (row: R): readonly V[] => (typeof def.variants === 'function' ? def.variants(row) : def.variants);
  const rowName = (key: string, row: R): string => (row.label ? `${key} (${row.label})` : key);

  describe(`authorization matrix (${def.title})`, () => {
    let env: E;
    let operations: { method: string; path: string; key: string }[] = [];

    beforeAll(async () => {
      const ctx = await createTestApp(typeof def.app === 'function' ? def.app() : def.app);
      env = { ...(await def.setup(ctx)), ctx } as E;
      const doc = buildOpenApiDocument(ctx.app);
      operations = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of METHODS) {
          const op = item[method];
          const key = `${method.toUpperCase()} ${path}`;
          if (op && ((op.tags ?? []).some((t) => def.tags.includes(t)) || def.extraOperations?.includes(key))) {
            operations.push({ method, path, key });
          }
        }
      }
    });
    afterAll(() => env?.ctx.close());

    it('finds the operations in the generated OpenAPI document', () => {
      expect(operations.length).toBeGreaterThanOrEqual(Object.keys(def.table).length);
    });

    it('has a row for every operation, and no row without an operation', () => {
      const keys = new Set(operations.map((o) => o.key));
      expect({
        operationsWithoutRow: [...keys].filter((k) => def.table[k] === undefined),
        rowsWithoutOperation: Object.keys(def.table).filter((k) => !keys.has(k)),
      }).toEqual({ operationsWithoutRow: [], rowsWithoutOperation: [] });
    });

    it('has a status for every actor and variant of every row', () => {
      const malformed: string[] = [];
      for (const key of Object.keys(def.table)) {
        for (const row of rowsOf(key)) {
          for (const v of variantsOf(row)) {
            if (row.expect[v]?.length !== def.actors.length) malformed.push(`${rowName(key, row)} [${v}]`);
          }
        }
      }
      expect(malformed).toEqual([]);
    });

    it(
      'answers every actor as the table says',
      async () => {
        const mismatches: string[] = [];
        const unexpected2xx: string[] = [];
        const failedChecks: string[] = [];
        let requests = 0;
        const expectedRequests = Object.keys(def.table).reduce(
          (n, key) => n + rowsOf(key).reduce((m, row) => m + variantsOf(row).length * def.actors.length, 0),
          0,
        );
        const current = new Map<V, F>();
        const fixtureFor = async (row: R, variant: V): Promise<F> => {
          const cached = def.fixtures === 'reuse' ? current.get(variant) : undefined;
          if (cached !== undefined) return cached;
          const f = await def.fixture(env, variant, row);
          await row.setup?.(f, env);
          if (def.fixtures === 'reuse') current.set(variant, f);
          return f;
        };

        for (const { method, path, key } of operations) {
          for (const row of rowsOf(key)) {
            const name = rowName(key, row);
            for (const variant of variantsOf(row)) {
              if (row.setup) current.delete(variant);
              for (const [i, actor] of def.actors.entries()) {
                const f = await fixtureFor(row, variant);
                const params = { ...def.params(f), ...(row.params?.(f, actor) ?? {}) };
                const url =
                  path.replace(/\{(\w+)\}/g, (_, p: string) => {
                    if (params[p] === undefined) throw new Error(`${name}: no value for path parameter {${p}}`);
                    return encodeURIComponent(params[p]);
                  }) + (row.query ? `?${row.query(f, actor)}` : '');
                const token =
                  actor === ANONYMOUS
                    ? undefined
                    : def.caller
                      ? await def.caller(env, actor, f, row)
                      : env.users[actor]?.token;
                if (actor !== ANONYMOUS && !def.caller && token === undefined) {
                  throw new Error(`${name}: actor ${actor} has no user`);
                }
                let req = request(env.ctx.http)
                  [method as 'get'](url)
                  .timeout(def.requestTimeout ?? 30_000);
                if (token) req = req.set('Authorization', `Bearer ${token}`);
                if (row.headers) req = req.set(row.headers);
                if (row.body) req = req.send(row.body(f, actor));
                else if (method !== 'get') req = req.send({});
                const expected = row.expect[variant]?.[i];
                const where = `${name} [${variant}] ${actor}`;
                const res = await req.catch((err: { timeout?: number }) => {
                  if (!err.timeout) throw err;
                  return undefined;
                });
                requests += 1;
                if (!res) {
                  mismatches.push(`${where}: expected ${expected}, timed out`);
                  current.delete(variant);
                  continue;
                }

                if (res.status !== expected) {
                  const line = `${where}: expected ${expected}, got ${res.status} ${res.body?.code ?? ''}`.trimEnd();
                  (is2xx(res.status) && !is2xx(expected ?? 0) ? unexpected2xx : mismatches).push(line);
                }
                const call = { name, method, path, variant, actor, fixture: f, env };
                for (const problem of [row.check?.(res, call), def.check?.(res, call)]) {
                  if (problem) failedChecks.push(`${where}: ${problem}`);
                }
                if (def.fixtures === 'reuse' && row.mutates && is2xx(res.status)) current.delete(variant);
              }
              if (row.setup) current.delete(variant);
            }
          }
        }
        expect({ unexpected2xx, mismatches, failedChecks }).toEqual({
          unexpected2xx: [],
          mismatches: [],
          failedChecks: [],
        });
        // every row was exercised for every variant and actor
        expect(requests).toBe(expectedRequests);
        expect(requests).toBeGreaterThan(0);
      },
      def.timeout ?? 600_000,
    );
  });
}
