import { randomUUID } from 'node:crypto';

/** Anything with pg's `query(sql, params)` (a pg.Client, or a TypeORM DataSource in tests). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface AnalyticsSeedIds {
  users: string[];
  bots: string[];
  personas: string[];
}

/** Users, bots and personas for seeded events (minimal columns; the rollups join these tables). */
export async function seedAnalyticsEntities(
  db: SqlRunner,
  counts: { users: number; bots: number; personas: number },
  tag = randomUUID().slice(0, 8),
): Promise<AnalyticsSeedIds> {
  const users = Array.from({ length: counts.users }, () => randomUUID());
  const bots = Array.from({ length: counts.bots }, () => randomUUID());
  const personas = Array.from({ length: counts.personas }, () => randomUUID());
  await db.query(
    `INSERT INTO users (id, email, username, password_hash)
     SELECT id, 'an-' || $2 || '-' || n || '@example.test', 'an_' || $2 || '_' || n, 'x'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
    [users, tag],
  );
  await db.query(
    `INSERT INTO bots (id, owner_id, slug, name, system_prompt)
     SELECT id, ($2::uuid[])[1 + (n % $3)], 'an-' || $4 || '-' || n, 'Bot ' || n, 'prompt'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS b(id, n)`,
    [bots, users, users.length, tag],
  );
  await db.query(
    `INSERT INTO personas (id, owner_id, name, description)
     SELECT id, ($2::uuid[])[1 + (n % $3)], 'Persona ' || n, 'seeded'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)`,
    [personas, users, users.length],
  );
  return { users, bots, personas };
}

/**
 * `count` events spread evenly over `days` (UTC) in time order, as a live system appends them, set-based: one
 * INSERT … SELECT generate_series per batch. The mix:
 * 40 % message_sent, 30 % reply_generated (tokens, latency), 10 % bot_viewed, 5 % each of conversation_started,
 * persona_used, memory_created and memory_recalled, with users, bots and personas picked by position.
 */
export async function seedAnalyticsEvents(
  db: SqlRunner,
  ids: AnalyticsSeedIds,
  options: { count: number; days: string[]; batch?: number; tag?: string },
): Promise<void> {
  const batch = options.batch ?? 100_000;
  const tag = options.tag ?? randomUUID().slice(0, 8);
  const types = [
    ...Array(8).fill('message_sent'),
    ...Array(6).fill('reply_generated'),
    ...Array(2).fill('bot_viewed'),
    'conversation_started',
    'persona_used',
    'memory_created',
    'memory_recalled',
  ];
  for (let start = 0; start < options.count; start += batch) {
    const end = Math.min(options.count, start + batch) - 1;
    await db.query(
      `INSERT INTO analytics_events (event_type, occurred_at, idempotency_key, actor_user_id, actor_key, bot_id,
         conversation_id, persona_id, memory_id, message_id, tokens_in, tokens_out, latency_ms, properties)
       SELECT t.type::analytics_event_type,
              ($2::date[])[(1 + g::bigint * $3 / $14)::int]::timestamp AT TIME ZONE 'UTC'
                + ((g::bigint * $3 * 86399 / $14) % 86399) * interval '1 second',
              'seed-' || $11 || '-' || g, u.id, u.id::text, b.id,
              md5('conv' || (g % 5000))::uuid, p.id, md5('mem' || (g % 20000))::uuid, md5('msg' || g)::uuid,
              CASE WHEN t.type = 'reply_generated' THEN 200 + g % 800 END,
              CASE WHEN t.type = 'reply_generated' THEN 50 + g % 400 END,
              CASE WHEN t.type = 'reply_generated' THEN 300 + g % 5000 END,
              CASE WHEN t.type = 'persona_used' THEN jsonb_build_object('reason', CASE WHEN g % 3 = 0 THEN 'start' ELSE 'switch' END)
                   ELSE '{}'::jsonb END
         FROM generate_series($9::int, $10::int) AS g
         CROSS JOIN LATERAL (SELECT ($1::text[])[1 + (g * 7) % $4] AS type) t
         CROSS JOIN LATERAL (SELECT ($5::uuid[])[1 + (g * 13) % $6] AS id) u
         CROSS JOIN LATERAL (SELECT ($7::uuid[])[1 + (g * 31) % $8] AS id) b
         CROSS JOIN LATERAL (SELECT CASE WHEN g % 2 = 0 THEN ($12::uuid[])[1 + g % $13] END AS id) p`,
      [
        types,
        options.days,
        options.days.length,
        types.length,
        ids.users,
        ids.users.length,
        ids.bots,
        ids.bots.length,
        start,
        end,
        tag,
        ids.personas,
        ids.personas.length,
        options.count,
      ],
    );
  }
}
