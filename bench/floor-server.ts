import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { freePort } from './lib/app.js';
import type { FloorRoute, Queryable } from './lib/scenario.js';

/**
 * The floor: a minimal plain node:http + pg server that answers the same database question as a scenario, with
 * no framework, validation, auth or ORM. Running a scenario against the app and against this server shows what
 * the layers on top cost (on by default in PostgreSQL mode; `BENCH_FLOOR=0` turns it off).
 *
 * Adding a floor to a scenario: give the scenario a `floor` (see bench/lib/scenario.ts, FloorRoute): a `path` this
 * server answers on GET, a `handle(db, req)` that runs the scenario's main query with `db.query(...)` and returns
 * `{ status, body }`, and a `plan()` with the requests to send here. Example: bench/scenarios/users-me.ts.
 *
 * The bots floors (explore, get-bot) are below: they run the SAME SQL statements, in the same order, that
 * BotsService runs for an anonymous caller, copied from PostgreSQL's statement log (`ALTER DATABASE botcafe_bench SET
 * log_min_duration_statement = 0`, the compiled app on that database, one request each, then RESET; the log is under
 * /var/log/postgresql) — re-capture them when the service's queries change.
 */
export interface FloorServer {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startFloorServer(databaseUrl: string, routes: FloorRoute[]): Promise<FloorServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_POOL_SIZE ?? 10) });
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const server: Server = createServer((req, res) => {
    const route = req.method === 'GET' ? byPath.get((req.url ?? '').split('?')[0]!) : undefined;
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route.handle(pool, req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      },
      (err: unknown) => {
        console.error('floor server:', err);
        res.writeHead(500).end();
      },
    );
  });
  const port = await freePort();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    },
  };
}

// ------------------------------------------------------------------------------------------------------- bots floors

const bCols = (cols: string[]) => cols.map((c) => `"b"."${c}" AS "b_${c}"`).join(', ');
/** BotsService.cardQuery(): CARD_COLUMNS only (no definition, greetings, speech examples, signature phrases). */
const CARD_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'owner_id',
  'slug',
  'name',
  'name_sort',
  'picture_media_id',
  'description',
  'gender',
  'age',
  'tags',
  'classifications',
  'venue',
  'backrooms_classifications',
  'visibility',
  'moderation_status',
  'share_expires_at',
  'allow_collaboration',
  'published_at',
  'is_featured',
  'likes_count',
  'favorites_count',
  'conversation_count',
  'copy_count',
  'view_count',
];
/** BotsService.baseQuery(): every bots column, in the entity's order. */
const ALL_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'owner_id',
  'slug',
  'name',
  'name_sort',
  'picture_media_id',
  'gender',
  'age',
  'description',
  'system_prompt',
  'greeting',
  'alternate_greetings',
  'speech_examples',
  'signature_phrases',
  'tone',
  'formality',
  'humor',
  'communication',
  'response_length',
  'creativity',
  'knowledge_sharing',
  'tags',
  'classifications',
  'venue',
  'backrooms_classifications',
  'visibility',
  'definition_visibility',
  'allow_copying',
  'allow_remixing',
  'require_attribution',
  'share_expires_at',
  'allow_collaboration',
  'default_collaborator_level',
  'max_collaborators',
  'forked_from_bot_id',
  'fork_kind',
  'attribution_text',
  'published_at',
  'is_featured',
  'featured_reason',
  'featured_at',
  'featured_by_id',
  'moderation_status',
  'moderation_reason',
  'moderated_by_id',
  'moderated_at',
  'likes_count',
  'favorites_count',
  'conversation_count',
  'copy_count',
  'view_count',
  'last_viewed_at',
];
/**
 * BotsService.withOwnerCard(): the owner's card columns and their creator profile's display name, joined into the
 * same statement (TypeORM's text verbatim, double space included).
 */
const OWNER_CARD =
  '"owner"."id" AS "owner_id", "owner"."username" AS "owner_username", "owner"."avatar_media_id" AS ' +
  '"owner_avatar_media_id", "owner_cp"."id" AS "owner_cp_id", "owner_cp"."display_name" AS "owner_cp_display_name" ' +
  'FROM "bots" "b" LEFT JOIN "users" "owner" ON "owner"."id"="b"."owner_id"  LEFT JOIN "creator_profiles" "owner_cp" ' +
  'ON "owner_cp"."user_id" = "b"."owner_id"';

/** GET /bots?sort=recent&limit=20, anonymous (no parameters: TypeORM inlines the limit, sent as a simple query). */
export const SQL_EXPLORE_RECENT_20 =
  `SELECT ${bCols(CARD_COLUMNS)}, ${OWNER_CARD} WHERE "b"."visibility" = 'public' AND "b"."moderation_status" = ` +
  `'visible' AND "b"."venue" IN ('main', 'both') ORDER BY "b"."published_at" DESC, "b_id" DESC LIMIT 21`;
/** GET /bots/{id}: the bot (whole row, for the detail). */
export const SQL_GET_BOT = `SELECT ${bCols(ALL_COLUMNS)}, ${OWNER_CARD} WHERE "b"."id" = $1`;
/** GET /bots/{id}: the view count (recordView), for anyone but the owner. */
export const SQL_RECORD_VIEW = `WITH mark AS (
         INSERT INTO bot_view_marks (bot_id, viewer_key, counted_at) VALUES ($1, $2, now())
         ON CONFLICT (bot_id, viewer_key) DO UPDATE SET counted_at = now()
           WHERE bot_view_marks.counted_at < now() - interval '10 minutes'
         RETURNING bot_id)
       INSERT INTO bot_view_buffer (bot_id) SELECT bot_id FROM mark RETURNING id`;

type BotRow = Record<string, unknown>;
/** pg parses text[] itself but leaves arrays of enum types as '{a,b}' literals (TypeORM splits them for the app). */
const pgArray = (v: unknown) =>
  Array.isArray(v) ? v : typeof v === 'string' && v.length > 2 ? v.slice(1, -1).split(',') : [];
const mediaUrl = (id: unknown) => (id ? `/api/v1/media/${String(id)}/content` : null);

function botCard(r: BotRow) {
  const description = r.b_description as string | null;
  return {
    id: r.b_id,
    slug: r.b_slug,
    name: r.b_name,
    picture_url: mediaUrl(r.b_picture_media_id),
    description: description === null ? null : description.slice(0, 300),
    tags: r.b_tags,
    classifications: pgArray(r.b_classifications),
    venue: r.b_venue,
    backrooms_classifications: pgArray(r.b_backrooms_classifications),
    gender: r.b_gender,
    age: r.b_age,
    counters: {
      likes_count: r.b_likes_count,
      favorites_count: r.b_favorites_count,
      conversation_count: r.b_conversation_count,
      copy_count: r.b_copy_count,
      view_count: Number(r.b_view_count),
    },
    is_featured: r.b_is_featured,
    published_at: r.b_published_at,
    creator: {
      id: r.b_owner_id,
      username: r.owner_username,
      display_name: (r.owner_cp_display_name as string | null) || r.owner_username,
      avatar_url: mediaUrl(r.owner_avatar_media_id),
    },
    my_access: 'public',
  };
}

/** The explore floor: one query (page + 1 row, names joined); cards as the app shapes them (cursor: time + id). */
export async function floorExploreBots(db: Queryable): Promise<{ status: number; body: unknown }> {
  const { rows } = await db.query(SQL_EXPLORE_RECENT_20);
  const page = rows.slice(0, 20);
  const last = page[page.length - 1];
  const next =
    rows.length > 20 && last
      ? Buffer.from(JSON.stringify([(last.b_published_at as Date).toISOString(), last.b_id])).toString('base64url')
      : null;
  return { status: 200, body: { items: page.map((r) => botCard(r)), next_cursor: next } };
}

/** The get-bot floor: the bot (display name joined), then the view mark (as an anonymous caller: `viewerKey`). */
export async function floorGetBot(
  db: Queryable,
  id: string,
  viewerKey: string,
): Promise<{ status: number; body: unknown }> {
  const { rows } = await db.query(SQL_GET_BOT, [id]);
  const r = rows[0] as BotRow | undefined;
  if (!r || r.b_visibility !== 'public' || r.b_moderation_status !== 'visible') {
    return { status: 404, body: { code: 'BOT_NOT_FOUND' } };
  }
  await db.query(SQL_RECORD_VIEW, [id, viewerKey]);
  const detail: Record<string, unknown> = {
    ...botCard(r),
    description: r.b_description,
    greeting: r.b_greeting,
    alternate_greetings: r.b_alternate_greetings,
    signature_phrases: r.b_signature_phrases,
    traits: { tone: r.b_tone, formality: r.b_formality, humor: r.b_humor, communication: r.b_communication },
    behavior: {
      response_length: r.b_response_length,
      creativity: r.b_creativity,
      knowledge_sharing: r.b_knowledge_sharing,
    },
    allow_copying: r.b_allow_copying,
    allow_remixing: r.b_allow_remixing,
    require_attribution: r.b_require_attribution,
    attribution: r.b_fork_kind
      ? { text: r.b_attribution_text, forked_from_bot_id: r.b_forked_from_bot_id, fork_kind: r.b_fork_kind }
      : null,
    created_at: r.b_created_at,
    updated_at: r.b_updated_at,
  };
  if (r.b_definition_visibility === 'viewers') {
    detail.system_prompt = r.b_system_prompt;
    detail.speech_examples = r.b_speech_examples;
  }
  return { status: 200, body: detail };
}
