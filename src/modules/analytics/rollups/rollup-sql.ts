/**
 * The set-based recompute statements of the daily rollups (analytics.md §2, §3.3). Each one rebuilds whole rows from
 * analytics_events for one UTC day and upserts them (ON CONFLICT … DO UPDATE to the recomputed values, never
 * increments), either for one key (`$4`, `$5`) or, with no key filter, for every key of the day (nightly, backfill).
 * Parameters: $1 day start (timestamptz), $2 day end, $3 day (date), then the key(s).
 * Joining the dimension's own table skips keys whose entity is gone (a deleted bot's job does nothing).
 */
export type RollupTable =
  'user_daily_stats' | 'bot_daily_stats' | 'persona_daily_stats' | 'memory_daily_stats' | 'platform_daily_stats';

const IN_DAY = `e.occurred_at >= $1 AND e.occurred_at < $2`;
/** Whole-day scans: naming every event type lets the (event_type, occurred_at) index serve the day range. */
const ANY_TYPE = `e.event_type = ANY(enum_range(NULL::analytics_event_type))`;

function upsertSet(columns: readonly string[]): string {
  return [...columns, 'computed_at'].map((c) => `${c} = EXCLUDED.${c}`).join(', ');
}

export const USER_COLUMNS = [
  'messages_sent',
  'replies_received',
  'reply_failures',
  'conversations_started',
  'conversations_ended',
  'bots_chatted',
  'tokens_in',
  'tokens_out',
  'memories_created',
  'mood_entries',
  'bots_created',
] as const;

export function userDaySql(oneKey: boolean): string {
  return `
    INSERT INTO user_daily_stats (user_id, day, ${USER_COLUMNS.join(', ')}, computed_at)
    SELECT e.actor_user_id, $3::date,
      count(*) FILTER (WHERE e.event_type = 'message_sent'),
      count(*) FILTER (WHERE e.event_type = 'reply_generated'),
      count(*) FILTER (WHERE e.event_type = 'reply_failed'),
      count(DISTINCT e.conversation_id) FILTER (WHERE e.event_type = 'conversation_started'),
      count(DISTINCT e.conversation_id) FILTER (WHERE e.event_type = 'conversation_ended'),
      count(DISTINCT e.bot_id) FILTER (WHERE e.event_type IN ('message_sent', 'reply_generated')),
      coalesce(sum(e.tokens_in) FILTER (WHERE e.event_type = 'reply_generated'), 0),
      coalesce(sum(e.tokens_out) FILTER (WHERE e.event_type = 'reply_generated'), 0),
      count(DISTINCT e.memory_id) FILTER (WHERE e.event_type = 'memory_created'),
      count(*) FILTER (WHERE e.event_type = 'mood_logged'),
      count(*) FILTER (WHERE e.event_type = 'bot_created'),
      now()
    FROM analytics_events e JOIN users u ON u.id = e.actor_user_id
    WHERE ${IN_DAY} ${oneKey ? 'AND e.actor_user_id = $4' : `AND e.actor_user_id IS NOT NULL AND ${ANY_TYPE}`}
    GROUP BY e.actor_user_id
    ON CONFLICT (user_id, day) DO UPDATE SET ${upsertSet(USER_COLUMNS)}`;
}

export const BOT_COLUMNS = [
  'views',
  'unique_viewers',
  'likes',
  'unlikes',
  'favorites',
  'unfavorites',
  'conversations_started',
  'user_messages',
  'unique_chatters',
  'new_chatters',
  'replies',
  'reply_failures',
  'tokens_out',
  'latency_ms_sum',
  'latency_count',
  'memories_created',
] as const;

/**
 * bot_chatters is maintained in the same statement with least/greatest upserts (idempotent); its RETURNING rows give
 * each chatter's first day after the upsert, so new_chatters counts chatters whose first day is this one.
 */
export function botDaySql(oneKey: boolean): string {
  const key = oneKey ? 'AND e.bot_id = $4' : `AND e.bot_id IS NOT NULL AND ${ANY_TYPE}`;
  return `
    WITH ev AS (
      SELECT e.* FROM analytics_events e JOIN bots b ON b.id = e.bot_id WHERE ${IN_DAY} ${key}
    ), chatters AS (
      INSERT INTO bot_chatters (bot_id, user_id, first_chat_day, last_chat_day)
      SELECT ev.bot_id, ev.actor_user_id, $3::date, $3::date
      FROM ev JOIN users u ON u.id = ev.actor_user_id
      WHERE ev.event_type = 'message_sent'
      GROUP BY ev.bot_id, ev.actor_user_id
      ON CONFLICT (bot_id, user_id) DO UPDATE
        SET first_chat_day = least(bot_chatters.first_chat_day, EXCLUDED.first_chat_day),
            last_chat_day = greatest(bot_chatters.last_chat_day, EXCLUDED.last_chat_day)
      RETURNING bot_id, first_chat_day
    ), fresh AS (
      SELECT bot_id, count(*) AS n FROM chatters WHERE first_chat_day = $3::date GROUP BY bot_id
    )
    INSERT INTO bot_daily_stats (bot_id, day, ${BOT_COLUMNS.join(', ')}, computed_at)
    SELECT a.bot_id, $3::date, a.views, a.unique_viewers, a.likes, a.unlikes, a.favorites, a.unfavorites,
      a.conversations_started, a.user_messages, a.unique_chatters, coalesce(f.n, 0), a.replies, a.reply_failures,
      a.tokens_out, a.latency_ms_sum, a.latency_count, a.memories_created, now()
    FROM (
      SELECT ev.bot_id,
        count(*) FILTER (WHERE ev.event_type = 'bot_viewed') AS views,
        count(DISTINCT ev.actor_key) FILTER (WHERE ev.event_type = 'bot_viewed') AS unique_viewers,
        count(*) FILTER (WHERE ev.event_type = 'bot_liked') AS likes,
        count(*) FILTER (WHERE ev.event_type = 'bot_unliked') AS unlikes,
        count(*) FILTER (WHERE ev.event_type = 'bot_favorited') AS favorites,
        count(*) FILTER (WHERE ev.event_type = 'bot_unfavorited') AS unfavorites,
        count(DISTINCT ev.conversation_id) FILTER (WHERE ev.event_type = 'conversation_started') AS conversations_started,
        count(*) FILTER (WHERE ev.event_type = 'message_sent') AS user_messages,
        count(DISTINCT ev.actor_user_id) FILTER (WHERE ev.event_type = 'message_sent') AS unique_chatters,
        count(*) FILTER (WHERE ev.event_type = 'reply_generated') AS replies,
        count(*) FILTER (WHERE ev.event_type = 'reply_failed') AS reply_failures,
        coalesce(sum(ev.tokens_out) FILTER (WHERE ev.event_type = 'reply_generated'), 0) AS tokens_out,
        coalesce(sum(ev.latency_ms) FILTER (WHERE ev.event_type = 'reply_generated'), 0) AS latency_ms_sum,
        count(ev.latency_ms) FILTER (WHERE ev.event_type = 'reply_generated') AS latency_count,
        count(DISTINCT ev.memory_id) FILTER (WHERE ev.event_type = 'memory_created') AS memories_created
      FROM ev GROUP BY ev.bot_id
    ) a LEFT JOIN fresh f ON f.bot_id = a.bot_id
    ON CONFLICT (bot_id, day) DO UPDATE SET ${upsertSet(BOT_COLUMNS)}`;
}

export const PERSONA_COLUMNS = [
  'messages_sent',
  'conversations',
  'bots_chatted',
  'starts',
  'switches_in',
  'replies_received',
] as const;

export function personaDaySql(oneKey: boolean): string {
  return `
    INSERT INTO persona_daily_stats (persona_id, day, ${PERSONA_COLUMNS.join(', ')}, computed_at)
    SELECT e.persona_id, $3::date,
      count(*) FILTER (WHERE e.event_type = 'message_sent'),
      count(DISTINCT e.conversation_id),
      count(DISTINCT e.bot_id) FILTER (WHERE e.event_type IN ('message_sent', 'reply_generated', 'persona_used')),
      count(*) FILTER (WHERE e.event_type = 'persona_used' AND e.properties->>'reason' = 'start'),
      count(*) FILTER (WHERE e.event_type = 'persona_used' AND e.properties->>'reason' = 'switch'),
      count(*) FILTER (WHERE e.event_type = 'reply_generated'),
      now()
    FROM analytics_events e JOIN personas p ON p.id = e.persona_id
    WHERE ${IN_DAY} ${oneKey ? 'AND e.persona_id = $4' : `AND e.persona_id IS NOT NULL AND ${ANY_TYPE}`}
    GROUP BY e.persona_id
    ON CONFLICT (persona_id, day) DO UPDATE SET ${upsertSet(PERSONA_COLUMNS)}`;
}

export const MEMORY_COLUMNS = ['memories_created', 'recalls', 'distinct_memories_recalled'] as const;

export function memoryDaySql(oneKey: boolean): string {
  const key = oneKey ? 'AND e.actor_user_id = $4 AND e.bot_id = $5' : '';
  return `
    INSERT INTO memory_daily_stats (user_id, bot_id, day, ${MEMORY_COLUMNS.join(', ')}, computed_at)
    SELECT e.actor_user_id, e.bot_id, $3::date,
      count(DISTINCT e.memory_id) FILTER (WHERE e.event_type = 'memory_created'),
      count(*) FILTER (WHERE e.event_type = 'memory_recalled'),
      count(DISTINCT e.memory_id) FILTER (WHERE e.event_type = 'memory_recalled'),
      now()
    FROM analytics_events e JOIN users u ON u.id = e.actor_user_id JOIN bots b ON b.id = e.bot_id
    WHERE e.event_type IN ('memory_created', 'memory_recalled') AND ${IN_DAY} ${key}
    GROUP BY e.actor_user_id, e.bot_id
    ON CONFLICT (user_id, bot_id, day) DO UPDATE SET ${upsertSet(MEMORY_COLUMNS)}`;
}

export const PLATFORM_COLUMNS = [
  'new_users',
  'active_users',
  'messages_sent',
  'replies',
  'reply_failures',
  'tokens_in',
  'tokens_out',
  'conversations_started',
  'bots_created',
  'bot_views',
  'likes',
  'mood_entries',
  'memories_created',
  'crisis_notices',
] as const;

/** One row per day; counted from events only, so user and bot deletions never rewrite history. */
export function platformDaySql(): string {
  return `
    INSERT INTO platform_daily_stats (day, ${PLATFORM_COLUMNS.join(', ')}, computed_at)
    SELECT $3::date,
      count(*) FILTER (WHERE e.event_type = 'user_registered'),
      count(DISTINCT e.actor_user_id),
      count(*) FILTER (WHERE e.event_type = 'message_sent'),
      count(*) FILTER (WHERE e.event_type = 'reply_generated'),
      count(*) FILTER (WHERE e.event_type = 'reply_failed'),
      coalesce(sum(e.tokens_in) FILTER (WHERE e.event_type = 'reply_generated'), 0),
      coalesce(sum(e.tokens_out) FILTER (WHERE e.event_type = 'reply_generated'), 0),
      count(DISTINCT e.conversation_id) FILTER (WHERE e.event_type = 'conversation_started'),
      count(*) FILTER (WHERE e.event_type = 'bot_created'),
      count(*) FILTER (WHERE e.event_type = 'bot_viewed'),
      count(*) FILTER (WHERE e.event_type = 'bot_liked'),
      count(*) FILTER (WHERE e.event_type = 'mood_logged'),
      count(DISTINCT e.memory_id) FILTER (WHERE e.event_type = 'memory_created'),
      count(*) FILTER (WHERE e.event_type = 'crisis_notice_shown'),
      now()
    FROM analytics_events e
    WHERE ${ANY_TYPE} AND ${IN_DAY}
    ON CONFLICT (day) DO UPDATE SET ${upsertSet(PLATFORM_COLUMNS)}`;
}

/** The whole-day statement of one dimension (every key of the day), shared by the service and the benchmark. */
export function daySql(table: RollupTable): string {
  switch (table) {
    case 'user_daily_stats':
      return userDaySql(false);
    case 'bot_daily_stats':
      return botDaySql(false);
    case 'persona_daily_stats':
      return personaDaySql(false);
    case 'memory_daily_stats':
      return memoryDaySql(false);
    case 'platform_daily_stats':
      return platformDaySql();
  }
}

/** $1 start and $2 end of the UTC day (ISO strings), $3 the day itself. */
export function dayBounds(day: string): [string, string, string] {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [`${day}T00:00:00Z`, `${next}T00:00:00Z`, day];
}

/**
 * Recomputes one table for one whole day inside the caller's transaction: the day's advisory lock (exclusive; per-key
 * jobs hold it shared), a larger sort budget for the distinct counts, then one set-based upsert.
 */
export async function recomputeWholeDay(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  table: RollupTable,
  day: string,
): Promise<void> {
  await query(`SELECT pg_advisory_xact_lock(hashtext($1 || $2))`, [table, day]);
  await query(`SET LOCAL work_mem = '64MB'`);
  await query(daySql(table), dayBounds(day));
}
