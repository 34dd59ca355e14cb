import 'reflect-metadata';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type FloorServer, startFloorServer } from './floor-server.js';
import { type RunningApp, startApp } from './lib/app.js';
import { openBenchDatabase } from './lib/database.js';
import { Rng } from './lib/prng.js';
import { printTable, type Row, toRow } from './lib/report.js';
import type { BenchBots, BenchUser, Prepared, RunContext, Scenario, ScenarioPlan } from './lib/scenario.js';
import { seedUsers } from './lib/seed.js';
import { seedBots } from './lib/seed-bots.js';
import { seedCreators } from './lib/seed-creators.js';

/**
 * npm run bench [-- scenario …]   (after npm run build)
 * Seeds a database deterministically, starts the compiled app on a loopback port, and runs every scenario of
 * bench/scenarios/ with autocannon for a bounded time. Settings (environment):
 *   BENCH_DURATION=10 seconds per scenario   BENCH_WARMUP=2 seconds, not measured   BENCH_CONNECTIONS=10
 *   BENCH_USERS=200 seeded users   BENCH_SEED=42   BENCH_SCENARIOS=auth.login,users.me (default: all)
 *   BENCH_DB=auto|postgres|embedded   BENCH_PG_URL   BENCH_PG_DATABASE=botcafe_bench   BENCH_POOL_SIZE=10   BENCH_REDIS_URL   BENCH_LOG_LEVEL=warn
 *   BENCH_BOTS=10000 bots owned by the first BENCH_BOT_OWNERS=100 users (fixture `bots`; fixture `creators` fills
 *   their creator profiles)   BENCH_CREATE_COUNT=2000
 *   BENCH_CHAT_MESSAGES=100000 messages in the conversation the messages.list-* scenarios page through
 *   BENCH_FLOOR=0 skips the floor; by default (postgres mode) each scenario with a floor runs on
 *   bench/floor-server.ts right after its app run, and the table shows app req/s ÷ floor req/s
 * Results: a table on stdout and bench/results/<time>.json (not committed).
 */
const here = dirname(fileURLToPath(import.meta.url));
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};
const settings = {
  duration: Math.min(num('BENCH_DURATION', 10), 300),
  warmup: Math.min(num('BENCH_WARMUP', 2), 60),
  connections: Math.max(1, Math.min(num('BENCH_CONNECTIONS', 10), 256)),
  users: Math.max(1, Math.min(num('BENCH_USERS', 200), 100_000)),
  seed: num('BENCH_SEED', 42),
  bots: Math.min(num('BENCH_BOTS', 10_000), 1_000_000),
  botOwners: Math.max(1, num('BENCH_BOT_OWNERS', 100)),
};
const wanted = [
  ...process.argv.slice(2),
  ...(process.env.BENCH_SCENARIOS ?? '').split(',').map((s) => s.trim()),
].filter(Boolean);

async function loadScenarios(): Promise<Scenario[]> {
  const dir = join(here, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  const all: Scenario[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: Scenario };
    if (!mod.default?.name) throw new Error(`bench/scenarios/${file} has no default-exported scenario`);
    all.push(mod.default);
  }
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; have ${all.map((s) => s.name)}`);
  const chosen = wanted.length ? all.filter((s) => wanted.includes(s.name)) : all;
  // writes that change what the reads see (new bots on the explore page) go last
  return [...chosen.filter((s) => !s.runLast), ...chosen.filter((s) => s.runLast)];
}

/** Loopback only: the harness never sends load anywhere else. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost' && host !== '[::1]')
    throw new Error(`refusing to send load to ${host}: loopback only`);
}

async function load(url: string, requests: AutocannonRequest[], duration: number, amount?: number) {
  assertLoopback(url);
  return autocannon({
    url,
    connections: settings.connections,
    ...(amount ? { amount: Math.max(amount, settings.connections) } : { duration }),
    timeout: 10,
    requests,
  });
}

/** Warm-up (unless BENCH_WARMUP=0), then the measured run: BENCH_DURATION, or plan.amount requests. */
async function measure(url: string, plan: ScenarioPlan) {
  if (settings.warmup > 0) await load(url, plan.requests, settings.warmup, plan.amount && plan.amount / 10);
  return load(url, plan.requests, settings.duration, plan.amount);
}

const scenarios = await loadScenarios();
const rng = new Rng(settings.seed);
console.log(
  `bench: ${scenarios.map((s) => s.name).join(', ')} | ${settings.duration} s each after ${settings.warmup} s warm-up, ` +
    `${settings.connections} connections | ${settings.users} users, seed ${settings.seed} | ` +
    `node ${process.version}, ${cpus().length} cpu`,
);

const database = await openBenchDatabase();
let t = Date.now();
let app: RunningApp;
let users: BenchUser[];
let bots: BenchBots | undefined;
let seeding = true;
const prepared: Prepared[] = [];
const stopPrepared = () => Promise.all(prepared.map((p) => p.stop?.().catch(() => undefined)));
try {
  users = await seedUsers(database.db, settings.users, rng.fork('users'));
  if (settings.bots > 0 && scenarios.some((s) => s.fixtures?.includes('bots'))) {
    const t0 = Date.now();
    bots = await seedBots(database.db, users, rng.fork('bots'), { count: settings.bots, owners: settings.botOwners });
    console.log(
      `bots: ${bots.count} (${bots.publicIds.length} public) owned by ${bots.owners.length} users, ${Date.now() - t0} ms`,
    );
    if (scenarios.some((s) => s.fixtures?.includes('creators'))) {
      const t1 = Date.now();
      const c = await seedCreators(database.db, users, bots, rng.fork('creators'));
      console.log(
        `creators: ${c.profiles} profiles, ${c.featuredBots} featured bots, ${c.socialLinks} social links, ` +
          `${c.follows} follows, ${c.memberships} programme badges, ${Date.now() - t1} ms`,
      );
    }
  }
  for (const s of scenarios) await s.seed?.({ db: database.db, rng: rng.fork(`seed:${s.name}`), users, bots });
  await database.closeSeeding();
  seeding = false;
  console.log(`database: ${database.mode} (${database.where}), seeded in ${Date.now() - t} ms`);
  for (const s of scenarios) if (s.prepare) prepared.push(await s.prepare());
  t = Date.now();
  app = await startApp(Object.assign({}, database.appEnv, ...prepared.map((p) => p.env ?? {})));
} catch (err) {
  if (seeding) await database.closeSeeding().catch(() => undefined);
  await stopPrepared();
  await database.dispose();
  throw err;
}
console.log(`app: pid ${app.pid} on ${app.baseUrl}, ready in ${Date.now() - t} ms, RSS ${app.rssMb()} MB`);

const rows: Row[] = [];
const ctxFor = (baseUrl: string, name: string): RunContext => ({
  baseUrl,
  users,
  bots,
  rng: rng.fork(`run:${name}`),
  async login(user) {
    const res = await fetch(`${app.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`login of ${user.email} answered ${res.status}`);
    return body.access_token;
  },
});

const floorWanted = process.env.BENCH_FLOOR !== '0' && scenarios.some((s) => s.floor);
let floor: FloorServer | undefined;
if (floorWanted && !database.floorUrl) {
  console.log('floor: skipped (the embedded database belongs to the app process; use BENCH_DB=postgres)');
} else if (floorWanted) {
  floor = await startFloorServer(
    database.floorUrl!,
    scenarios.flatMap((s) => (s.floor ? [s.floor] : [])),
  );
}

try {
  for (const s of scenarios) {
    const missing = s.requires.filter((r) => !app.document.paths[r.path]?.[r.method]);
    if (missing.length) {
      rows.push({
        scenario: s.name,
        target: 'app',
        note: `no ${missing.map((m) => `${m.method.toUpperCase()} ${m.path}`).join(', ')}`,
      });
      continue;
    }
    if (s.fixtures?.includes('bots') && !bots) {
      rows.push({ scenario: s.name, target: 'app', note: 'no bots seeded (BENCH_BOTS=0)' });
      continue;
    }
    if (s.measure) {
      process.stdout.write(`running ${s.name}: ${s.description} … `);
      const m = await s.measure(ctxFor(app.baseUrl, s.name), {
        durationSec: settings.duration,
        warmupSec: settings.warmup,
        connections: settings.connections,
      });
      const reqPerSec = m.elapsedSec > 0 ? m.requests / m.elapsedSec : 0;
      rows.push({
        scenario: s.name,
        target: 'app',
        reqPerSec,
        p50: m.p50,
        p99: m.p99,
        requests: m.requests,
        errors: m.errors,
        non2xx: 0,
        rssMb: app.rssMb(),
        metrics: m.metrics,
        summary: m.summary,
      });
      console.log(`${reqPerSec.toFixed(1)} op/s`);
      continue;
    }
    if (!s.plan) throw new Error(`scenario ${s.name} has neither plan() nor measure()`);
    const plan = await s.plan(ctxFor(app.baseUrl, s.name));
    process.stdout.write(`running ${s.name}: ${s.description} … `);
    const row = toRow(s.name, 'app', await measure(app.baseUrl, plan), app.rssMb());
    rows.push(row);
    if (s.floor && floor) {
      const floorPlan = await s.floor.plan(ctxFor(floor.baseUrl, s.name));
      const floorRow = toRow(s.name, 'floor', await measure(floor.baseUrl, floorPlan));
      rows.push(floorRow);
      row.ratioToFloor = (row.reqPerSec ?? 0) / (floorRow.reqPerSec || Number.NaN);
      console.log(`${row.reqPerSec?.toFixed(1)} req/s (floor ${floorRow.reqPerSec?.toFixed(1)} req/s)`);
    } else {
      console.log(`${row.reqPerSec?.toFixed(1)} req/s`);
    }
  }
} finally {
  await floor?.stop();
  await app.stop();
  await stopPrepared();
  await database.dispose();
}

console.log('');
printTable(rows);
for (const r of rows) if (r.summary) console.log(`\n${r.scenario}: ${r.summary}`);
const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ settings, database: database.mode, node: process.version, rows }, null, 2)}\n`);
console.log(`\nresults: ${file}`);
const failed = rows.some((r) => (r.errors ?? 0) > 0 || (r.non2xx ?? 0) > 0);
process.exit(failed ? 1 : 0);
