import type { AutocannonRequest } from 'autocannon';
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { Rng } from './prng.js';

/** A user the seeder created (all share one password, so one argon2 hash serves them all). */
export interface BenchUser {
  id: string;
  email: string;
  username: string;
  password: string;
}

/** The bots bench/lib/seed-bots.ts wrote (fixture `bots`), for scenarios that rotate over ids or owners. */
export interface BenchBots {
  /** Ids of public, visible bots, in insertion order. */
  publicIds: string[];
  privateIds: string[];
  /** The users owning them (the first BENCH_BOT_OWNERS seeded users); the other users own no bots. */
  owners: BenchUser[];
  count: number;
}

/** Something that runs SQL: the seeding client, or the floor server's pool. */
export interface Queryable {
  query: pg.Client['query'];
}

/** Before the app starts: write the rows the scenario reads, straight into the bench database. */
export interface SeedContext {
  db: Queryable;
  /** This scenario's own seeded stream (adding a scenario never shifts another one's data). */
  rng: Rng;
  /** The base users every scenario may use. */
  users: BenchUser[];
  /** Present when a selected scenario asked for the `bots` fixture. */
  bots?: BenchBots;
}

/** After the app started: build the requests (log in, pick ids…). */
export interface RunContext {
  baseUrl: string;
  rng: Rng;
  users: BenchUser[];
  /** Present when the scenario asked for the `bots` fixture. */
  bots?: BenchBots;
  /** Logs in through the API and returns the access token. */
  login(user: BenchUser): Promise<string>;
}

export interface ScenarioPlan {
  /** autocannon cycles through these per connection; use setupRequest to rotate users, ids, bodies. */
  requests: AutocannonRequest[];
  /**
   * Bounded scenarios (writes): send exactly this many requests instead of running for BENCH_DURATION (the warm-up
   * then sends a tenth of it).
   */
  amount?: number;
}

/**
 * The same question answered by bench/floor-server.ts (plain node:http + pg, no framework): the distance between
 * the two rows of the table is what NestJS, validation, auth, the ORM and serialisation cost.
 */
export interface FloorRoute {
  /** The floor server answers GET <path> with handle(). */
  path: string;
  handle(db: Queryable, req: IncomingMessage): Promise<{ status: number; body: unknown }>;
  /** Requests against the floor server (same rotation as the scenario's). */
  plan(ctx: RunContext): Promise<ScenarioPlan>;
}

/** The time a self-measuring scenario gets (run.ts settings). */
export interface MeasureBudget {
  durationSec: number;
  warmupSec: number;
  connections: number;
}

/** What a self-measuring scenario reports: one table row plus named metrics (milliseconds unless named otherwise). */
export interface Measurement {
  /** Measured operations (warm-up excluded) and how many failed. */
  requests: number;
  errors: number;
  elapsedSec: number;
  /** Percentiles (ms) of the scenario's main measure, shown in the table's p50/p99 columns. */
  p50: number;
  p99: number;
  metrics: Record<string, number>;
  /** One line printed under the table, saying what the numbers are. */
  summary: string;
}

/** Something a scenario started before the app (a fake upstream), and the app environment pointing at it. */
export interface Prepared {
  env?: Record<string, string>;
  stop?(): Promise<void>;
}

/**
 * One benchmark scenario = one file in bench/scenarios/ with `export default { … } satisfies Scenario`.
 * run.ts discovers the files, seeds, starts the app once and runs every scenario whose routes the app has.
 */
export interface Scenario {
  /** Short id used in the table and in BENCH_SCENARIOS=name,name. */
  name: string;
  description: string;
  /** Routes (as in /docs/openapi.json) the scenario needs; missing ones skip it instead of failing the run. */
  requires: Array<{ method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string }>;
  /**
   * Shared data sets seeded once before the app starts: `bots` (bench/lib/seed-bots.ts), `creators`
   * (bench/lib/seed-creators.ts; list `bots` too, it fills the bot owners' profiles).
   */
  fixtures?: Array<'bots' | 'creators'>;
  /** Run after the other scenarios (writes that change what the reads would see). */
  runLast?: boolean;
  seed?(ctx: SeedContext): Promise<void>;
  /** Before the app starts (after seeding): start what the app must reach; its `env` is added to the app's. */
  prepare?(): Promise<Prepared>;
  /** autocannon requests. A scenario has `plan` or `measure`. */
  plan?(ctx: RunContext): Promise<ScenarioPlan>;
  /** Instead of autocannon: the scenario runs its own timed loop (e.g. time to the first SSE event of a stream). */
  measure?(ctx: RunContext, budget: MeasureBudget): Promise<Measurement>;
  floor?: FloorRoute;
}
