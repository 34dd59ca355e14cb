import { Rng } from './prng.js';
import type { BenchUser, FloorRoute, Queryable, Scenario } from './scenario.js';

/** Messages in the long conversation the list scenarios page through (BENCH_CHAT_MESSAGES, default 100,000). */
export const CHAT_MESSAGES = Math.max(100, Number(process.env.BENCH_CHAT_MESSAGES ?? 100_000));
/** Senders of messages.send, each posting into a conversation of their own. */
export const CHAT_SENDERS = 50;
const CHUNK = 25_000;
/** Fixed clock of the chat data (created_at of message n is EPOCH + n seconds). */
const EPOCH = '2026-01-01T00:00:00Z';

export interface BenchChat {
  /** The user owning the long conversation. */
  owner: BenchUser;
  conversationId: string;
  messages: number;
  /** messages.send: sender i posts into conversation sendConversationIds[i]. */
  senders: BenchUser[];
  sendConversationIds: string[];
}

let seeded: Promise<BenchChat> | undefined;
let result: BenchChat | undefined;

/** The chat fixture, seeded once however many chat scenarios ask for it (its own fixed stream: same ids always). */
export function seedChat(db: Queryable, users: BenchUser[]): Promise<BenchChat> {
  seeded ??= doSeed(db, users, new Rng(0xc4a7)).then((r) => (result = r));
  return seeded;
}

/** For plan(): the fixture the seed step wrote. */
export function benchChat(): BenchChat {
  if (!result) throw new Error('the chat fixture was not seeded');
  return result;
}

/**
 * One bot (owned by the last user, so no scenario's author limits move), one conversation of the first user with
 * CHAT_MESSAGES messages (alternating user text and completed bot replies of 100–200 characters, written with
 * INSERT … SELECT generate_series in chunks, counters in step), and one empty conversation per sender for
 * messages.send. Deterministic ids.
 */
async function doSeed(db: Queryable, users: BenchUser[], rng: Rng): Promise<BenchChat> {
  const owner = users[0]!;
  const botOwner = users[users.length - 1]!;
  const botId = rng.uuid();
  await db.query(
    `INSERT INTO bots (id, owner_id, slug, name, system_prompt, greeting, visibility, published_at, created_at, updated_at)
     VALUES ($1, $2, 'bench-chat-bot', 'Bench Chat Bot', 'You are a bench bot.', NULL, 'public', $3, $3, $3)`,
    [botId, botOwner.id, EPOCH],
  );
  const conversationId = rng.uuid();
  await createConversation(db, conversationId, owner.id, botId);
  for (let from = 1; from <= CHAT_MESSAGES; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, CHAT_MESSAGES);
    await db.query(
      `INSERT INTO messages (conversation_id, seq, author_kind, author_user_id, bot_id, author_name, content,
                             is_ai_generated, generation_status, delivery_status, input_tokens, output_tokens,
                             total_tokens, token_count_source, created_at, updated_at)
       SELECT $1, g,
              CASE WHEN g % 2 = 1 THEN 'user' ELSE 'bot' END::chat_author_kind,
              CASE WHEN g % 2 = 1 THEN $2::uuid END,
              CASE WHEN g % 2 = 0 THEN $3::uuid END,
              CASE WHEN g % 2 = 1 THEN 'bench_000000' ELSE 'Bench Chat Bot' END,
              'Message ' || g || ': ' || left(repeat(md5(g::text) || ' ', 6), 80 + (g * 7919) % 120),
              g % 2 = 0,
              CASE WHEN g % 2 = 0 THEN 'completed' END::chat_generation_status,
              'read',
              CASE WHEN g % 2 = 0 THEN 900 ELSE 0 END,
              CASE WHEN g % 2 = 0 THEN 60 ELSE 0 END,
              CASE WHEN g % 2 = 0 THEN 960 ELSE 0 END,
              CASE WHEN g % 2 = 0 THEN 'provider' ELSE 'estimated' END::chat_token_count_source,
              $4::timestamptz + g * interval '1 second',
              $4::timestamptz + g * interval '1 second'
         FROM generate_series($5::int, $6::int) AS g`,
      [conversationId, owner.id, botId, EPOCH, from, to],
    );
  }
  await db.query(
    `UPDATE conversations SET message_count = $2::int, last_message_seq = $2::int, last_activity_at = $3 WHERE id = $1`,
    [conversationId, CHAT_MESSAGES, EPOCH],
  );
  await db.query(`UPDATE conversation_participants SET last_read_seq = $2 WHERE conversation_id = $1`, [
    conversationId,
    CHAT_MESSAGES,
  ]);
  await db.query('ANALYZE messages');

  const senders = users.slice(1, 1 + CHAT_SENDERS);
  const sendConversationIds: string[] = [];
  for (const sender of senders) {
    const id = rng.uuid();
    await createConversation(db, id, sender.id, botId);
    sendConversationIds.push(id);
  }
  return { owner, conversationId, messages: CHAT_MESSAGES, senders, sendConversationIds };
}

async function createConversation(db: Queryable, id: string, ownerId: string, botId: string): Promise<void> {
  await db.query(
    `INSERT INTO conversations (id, owner_user_id, participant_count, created_at, updated_at, last_activity_at)
     VALUES ($1, $2, 2, $3, $3, $3)`,
    [id, ownerId, EPOCH],
  );
  await db.query(
    `INSERT INTO conversation_participants (conversation_id, participant_kind, user_id, bot_id, role, joined_at)
     VALUES ($1, 'user', $2, NULL, 'owner', $4), ($1, 'bot', NULL, $3, 'primary', $4)`,
    [id, ownerId, botId, EPOCH],
  );
}

/** Every message column the API reads (search_vector never). */
const MESSAGE_COLUMNS = `id, conversation_id, seq, author_kind, author_user_id, requested_by_user_id, bot_id, persona_id,
  author_name, message_type, content, reasoning_content, is_ai_generated, provider, model, api_key_id, input_tokens,
  output_tokens, total_tokens, token_count_source, cost_estimate, processing_time_ms, first_token_ms, finish_reason,
  reply_to_message_id, thread_depth, reply_count, delivery_status, generation_status, error_code,
  active_alternative_id, alternative_count, edited_at, edit_count, sensitivity_level, created_at, updated_at`;

/**
 * Floor of the list scenarios: the caller's access (conversation row, participant row), the page by seq (newest
 * page without a cursor, else `seq > cursor` ascending), then attachments and reactions of the page, as the app
 * does, without framework, auth or ORM.
 */
export function messagesFloor(path: string, cursor: () => number | null): FloorRoute {
  return {
    path,
    async handle(db, req) {
      const userId = String(req.headers['x-user-id'] ?? '');
      const conversationId = new URL(req.url ?? '', 'http://floor').searchParams.get('c') ?? '';
      const conv = await db.query(`SELECT id, owner_user_id FROM conversations WHERE id = $1`, [conversationId]);
      const part = await db.query(
        `SELECT id, role, is_active, last_read_seq FROM conversation_participants WHERE conversation_id = $1 AND user_id = $2`,
        [conversationId, userId],
      );
      if (!conv.rows[0] || (conv.rows[0].owner_user_id !== userId && !part.rows[0]?.is_active)) {
        return { status: 404, body: { code: 'CONVERSATION_NOT_FOUND' } };
      }
      const after = cursor();
      const page =
        after === null
          ? await db.query(
              `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 51`,
              [conversationId],
            )
          : await db.query(
              `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT 51`,
              [conversationId, after],
            );
      const items = page.rows.slice(0, 50);
      if (after === null) items.reverse();
      const ids = items.map((m: { id: string }) => m.id);
      await db.query(
        `SELECT message_id, media_id, position FROM message_attachments WHERE message_id = ANY($1::uuid[])`,
        [ids],
      );
      await db.query(
        `SELECT message_id, emoji, count(*)::int AS n FROM message_reactions WHERE message_id = ANY($1::uuid[])
          GROUP BY 1, 2`,
        [ids],
      );
      return { status: 200, body: { items, has_more: page.rows.length > 50 } };
    },
    async plan() {
      const chat = benchChat();
      return {
        requests: [
          {
            method: 'GET',
            path: `${path}?c=${chat.conversationId}`,
            headers: { 'x-user-id': chat.owner.id },
          },
        ],
      };
    },
  };
}

/**
 * A page of the long conversation as its owner: `query` is the query string of the app request, `after` the seq the
 * floor pages from (null: the newest page).
 */
export function messagesListScenario(o: {
  name: string;
  description: string;
  query: string;
  after: number | null;
}): Scenario {
  return {
    name: o.name,
    description: o.description,
    requires: [
      { method: 'post', path: '/api/v1/auth/login' },
      { method: 'get', path: '/api/v1/conversations/{id}/messages' },
    ],
    seed: ({ db, users }) => seedChat(db, users).then(() => undefined),
    async plan({ login }) {
      const chat = benchChat();
      const token = await login(chat.owner);
      return {
        requests: [
          {
            method: 'GET',
            path: `/api/v1/conversations/${chat.conversationId}/messages${o.query}`,
            headers: { authorization: `Bearer ${token}` },
          },
        ],
      };
    },
    floor: messagesFloor(`/floor/${o.name.replace('.', '-')}`, () => o.after),
  };
}
