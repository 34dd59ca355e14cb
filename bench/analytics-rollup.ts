/**
 * `npm run bench:rollup`: seeds BENCH_EVENTS (default 1,000,000) analytics events into a scratch database on the local
 * PostgreSQL and times the full rollup of the seeded days: every dimension, whole days at a time, with the same SQL
 * and advisory locks as the `analytics.nightly` job (src/modules/analytics/rollups/rollup-sql.ts). Prints events/s and
 * the total seconds. Settings: BENCH_PG_URL (server, default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_EVENTS, BENCH_DAYS (7), BENCH_ROLLUP_CONNECTIONS (2). The database botcafe_bench_analytics is dropped and
 * recreated on every run and kept afterwards for inspection.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { recomputeWholeDay, type RollupTable } from '../src/modules/analytics/rollups/rollup-sql.js';
import { seedAnalyticsEntities, seedAnalyticsEvents } from './lib/seed-analytics.js';

const SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'botcafe_bench_analytics';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const CONNECTIONS = Number(process.env.BENCH_ROLLUP_CONNECTIONS ?? 2);
const TABLES: RollupTable[] = [
  'user_daily_stats',
  'bot_daily_stats',
  'persona_daily_stats',
  'memory_daily_stats',
  'platform_daily_stats',
];

const url = (() => {
  const u = new URL(SERVER);
  u.pathname = `/${DATABASE}`;
  return u.toString();
})();
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const today = new Date().toISOString().slice(0, 10);
  const days = Array.from({ length: DAYS }, (_, i) =>
    new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - i) * 86_400_000).toISOString().slice(0, 10),
  );
  let t = Date.now();
  const ids = await seedAnalyticsEntities(db, { users: 2000, bots: 500, personas: 300 }, 'bench');
  await seedAnalyticsEvents(db, ids, { count: EVENTS, days, tag: 'bench' });
  await db.query('VACUUM ANALYZE');
  console.log(`seeded ${EVENTS.toLocaleString('en')} events over ${DAYS} days in ${seconds(Date.now() - t)} s`);

  // every (day, dimension) is one transaction: the day lock, then one INSERT … SELECT … ON CONFLICT DO UPDATE
  const work = days.flatMap((day) => TABLES.map((table) => ({ day, table })));
  const perTable = new Map<RollupTable, number>(TABLES.map((table) => [table, 0]));
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  t = Date.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let item = work.shift(); item; item = work.shift()) {
        const started = Date.now();
        await c.query('BEGIN');
        await recomputeWholeDay((sql, params) => c.query(sql, params), item.table, item.day);
        await c.query('COMMIT');
        perTable.set(item.table, perTable.get(item.table)! + Date.now() - started);
      }
    }),
  );
  const total = Date.now() - t;
  await Promise.all(clients.map((c) => c.end()));

  const [check] = (
    await db.query(
      `SELECT (SELECT sum(messages_sent) FROM user_daily_stats)::bigint AS rolled,
              (SELECT count(*) FROM analytics_events WHERE event_type = 'message_sent')::bigint AS events`,
    )
  ).rows;
  const rows = (
    await db.query(
      TABLES.map((table) => `SELECT '${table}' AS t, count(*)::int AS n FROM ${table}`).join(' UNION ALL '),
    )
  ).rows as { t: string; n: number }[];
  await db.end();

  for (const table of TABLES)
    console.log(`  ${table.padEnd(22)} ${seconds(perTable.get(table)!)} s (summed over days)`);
  console.log(`  rows: ${rows.map((r) => `${r.t}=${r.n}`).join(' ')}`);
  if (check.rolled !== check.events)
    throw new Error(`message_sent mismatch: ${check.rolled} rolled vs ${check.events}`);
  console.log(
    `rollup of ${EVENTS.toLocaleString('en')} events: ${seconds(total)} s total, ` +
      `${Math.round(EVENTS / (total / 1000)).toLocaleString('en')} events/s (${CONNECTIONS} connections)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
