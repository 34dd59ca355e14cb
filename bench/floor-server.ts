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
 * log_statement = 'all'`, one request each, then RESET) — re-capture them when the service's queries change.
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

/** TypeORM's SELECT list for BotsService.baseQuery(): every bots column plus the owner's card columns. */
const BOT_SELECT = `SELECT "b"."id" AS "b_id", "b"."created_at" AS "b_created_at", "b"."updated_at" AS "b_updated_at", "b"."owner_id" AS "b_owner_id", "b"."slug" AS "b_slug", "b"."name" AS "b_name", "b"."name_sort" AS "b_name_sort", "b"."picture_media_id" AS "b_picture_media_id", "b"."gender" AS "b_gender", "b"."age" AS "b_age", "b"."description" AS "b_description", "b"."system_prompt" AS "b_system_prompt", "b"."greeting" AS "b_greeting", "b"."alternate_greetings" AS "b_alternate_greetings", "b"."speech_examples" AS "b_speech_examples", "b"."signature_phrases" AS "b_signature_phrases", "b"."tone" AS "b_tone", "b"."formality" AS "b_formality", "b"."humor" AS "b_humor", "b"."communication" AS "b_communication", "b"."response_length" AS "b_response_length", "b"."creativity" AS "b_creativity", "b"."knowledge_sharing" AS "b_knowledge_sharing", "b"."tags" AS "b_tags", "b"."classifications" AS "b_classifications", "b"."venue" AS "b_venue", "b"."backrooms_classifications" AS "b_backrooms_classifications", "b"."visibility" AS "b_visibility", "b"."definition_visibility" AS "b_definition_visibility", "b"."allow_copying" AS "b_allow_copying", "b"."allow_remixing" AS "b_allow_remixing", "b"."require_attribution" AS "b_require_attribution", "b"."share_expires_at" AS "b_share_expires_at", "b"."allow_collaboration" AS "b_allow_collaboration", "b"."default_collaborator_level" AS "b_default_collaborator_level", "b"."max_collaborators" AS "b_max_collaborators", "b"."forked_from_bot_id" AS "b_forked_from_bot_id", "b"."fork_kind" AS "b_fork_kind", "b"."attribution_text" AS "b_attribution_text", "b"."published_at" AS "b_published_at", "b"."is_featured" AS "b_is_featured", "b"."featured_reason" AS "b_featured_reason", "b"."featured_at" AS "b_featured_at", "b"."featured_by_id" AS "b_featured_by_id", "b"."moderation_status" AS "b_moderation_status", "b"."moderation_reason" AS "b_moderation_reason", "b"."moderated_by_id" AS "b_moderated_by_id", "b"."moderated_at" AS "b_moderated_at", "b"."likes_count" AS "b_likes_count", "b"."favorites_count" AS "b_favorites_count", "b"."conversation_count" AS "b_conversation_count", "b"."copy_count" AS "b_copy_count", "b"."view_count" AS "b_view_count", "b"."last_viewed_at" AS "b_last_viewed_at", "owner"."id" AS "owner_id", "owner"."username" AS "owner_username", "owner"."avatar_media_id" AS "owner_avatar_media_id" FROM "bots" "b" LEFT JOIN "users" "owner" ON "owner"."id"="b"."owner_id"`;

/** GET /bots?sort=recent&limit=20, anonymous (no parameters: TypeORM inlines the limit, sent as a simple query). */
export const SQL_EXPLORE_RECENT_20 = `${BOT_SELECT} WHERE "b"."visibility" = 'public' AND "b"."moderation_status" = 'visible' AND "b"."venue" IN ('main', 'both') ORDER BY "b"."published_at" DESC, "b"."id" DESC LIMIT 21`;
/** GET /bots/{id}: the bot. */
export const SQL_GET_BOT = `${BOT_SELECT} WHERE "b"."id" = $1`;
/** GET /bots/{id}: the view count (recordView), for anyone but the owner. */
export const SQL_RECORD_VIEW = `WITH mark AS (
         INSERT INTO bot_view_marks (bot_id, viewer_key, counted_at) VALUES ($1, $2, now())
         ON CONFLICT (bot_id, viewer_key) DO UPDATE SET counted_at = now()
           WHERE bot_view_marks.counted_at < now() - interval '10 minutes'
         RETURNING bot_id)
       INSERT INTO bot_view_buffer (bot_id) SELECT bot_id FROM mark RETURNING id`;
/** Both: the creators' display names (decorate()). */
export const SQL_CREATOR_NAMES = `SELECT user_id, display_name FROM creator_profiles WHERE user_id = ANY($1::uuid[])`;

type BotRow = Record<string, unknown>;
/** pg parses text[] itself but leaves arrays of enum types as '{a,b}' literals (TypeORM splits them for the app). */
const pgArray = (v: unknown) =>
  Array.isArray(v) ? v : typeof v === 'string' && v.length > 2 ? v.slice(1, -1).split(',') : [];
const mediaUrl = (id: unknown) => (id ? `/api/v1/media/${String(id)}/content` : null);

function botCard(r: BotRow, names: Map<string, string>) {
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
      display_name: names.get(r.b_owner_id as string) || r.owner_username,
      avatar_url: mediaUrl(r.owner_avatar_media_id),
    },
    my_access: 'public',
  };
}

async function creatorNames(db: Queryable, rows: BotRow[]): Promise<Map<string, string>> {
  const owners = [...new Set(rows.map((r) => r.b_owner_id as string))];
  const { rows: names } = await db.query(SQL_CREATOR_NAMES, [owners]);
  return new Map(names.map((n: { user_id: string; display_name: string }) => [n.user_id, n.display_name]));
}

/** The explore floor: the page query, then the display names; cards as the app shapes them (cursor: id + time). */
export async function floorExploreBots(db: Queryable): Promise<{ status: number; body: unknown }> {
  const { rows } = await db.query(SQL_EXPLORE_RECENT_20);
  const page = rows.slice(0, 20);
  const names = await creatorNames(db, page);
  const last = page[page.length - 1];
  const next =
    rows.length > 20 && last
      ? Buffer.from(JSON.stringify([(last.b_published_at as Date).toISOString(), last.b_id])).toString('base64url')
      : null;
  return { status: 200, body: { items: page.map((r) => botCard(r, names)), next_cursor: next } };
}

/** The get-bot floor: the bot, the view mark (as an anonymous caller: `viewerKey`), the display name; detail shape. */
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
  const names = await creatorNames(db, [r]);
  const detail: Record<string, unknown> = {
    ...botCard(r, names),
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
