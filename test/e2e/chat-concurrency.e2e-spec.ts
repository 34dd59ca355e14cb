import type { AddressInfo } from 'node:net';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const CONVERSATIONS = 10;
const PER_CONVERSATION = 100;
/** Requests in flight at once (the client side; the server sees them all concurrently). */
const IN_FLIGHT = 50;
/** A send is a dozen statements on one connection (embedded) or a small pool: room for a slow, shared machine. */
const TIMEOUT_MS = 240_000;

/** Runs `tasks` with at most `limit` at a time; results in task order. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/**
 * chat.md §1.5 sequence allocation and counters in step, §3.7 #2, §1.7 #6: 1,000 messages posted concurrently into 10
 * conversations, then deletes mixed with posts. Run it on the embedded database and on PostgreSQL.
 */
describe('chat: concurrent posting', () => {
  let ctx: TestApp;
  let base: string;
  beforeAll(async () => {
    ctx = await createTestApp();
    // one listening server and keep-alive connections instead of supertest's listen-per-request
    const server = ctx.http as unknown as import('node:http').Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(() => ctx?.close(), 120_000);

  const call = async (u: TestUser, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${u.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  /** Stored counters next to what the rows say, per conversation. */
  const counters = (ids: string[]) =>
    ctx.ds.query(
      `SELECT c.id, c.message_count::int AS message_count, c.last_message_seq::int AS last_seq,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id) AS real_count,
              (SELECT count(DISTINCT seq)::int FROM messages m WHERE m.conversation_id = c.id) AS distinct_seqs,
              (SELECT coalesce(max(seq), 0)::int FROM messages m WHERE m.conversation_id = c.id) AS max_seq
         FROM conversations c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id`,
      [ids],
    ) as Promise<
      {
        id: string;
        message_count: number;
        last_seq: number;
        real_count: number;
        distinct_seqs: number;
        max_seq: number;
      }[]
    >;

  it(
    '1,000 messages into 10 conversations: seqs 1..100 each, no loss or duplicate, counters exact',
    async () => {
      const creator = await createUser(ctx, { role: UserRole.Creator });
      const bot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public });
      const owners = await Promise.all(Array.from({ length: 5 }, () => createUser(ctx)));
      const convs: { id: string; owner: TestUser }[] = [];
      for (let i = 0; i < CONVERSATIONS; i++) {
        const owner = owners[i % owners.length];
        convs.push({ owner, ...(await createConversation(ctx, owner.token, { bot_ids: [bot.id] })) });
      }
      const ids = convs.map((c) => c.id);

      const started = Date.now();
      // interleaved: consecutive requests go to different conversations, so every conversation sees contention
      const results = await pooled(
        Array.from({ length: CONVERSATIONS * PER_CONVERSATION }, (_, i) => () => {
          const c = convs[i % CONVERSATIONS];
          return call(c.owner, 'POST', `/conversations/${c.id}/messages`, { content: `m${i}`, respond: 'none' });
        }),
        IN_FLIGHT,
      );
      const elapsed = Date.now() - started;
      expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body?.code])).toEqual([]);

      for (const [k, c] of convs.entries()) {
        const seqs = results
          .filter((_, i) => i % CONVERSATIONS === k)
          .map((r) => {
            expect(r.body.message.conversation_id).toBe(c.id);
            return Number(r.body.message.seq);
          })
          .sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: PER_CONVERSATION }, (_, i) => i + 1));
      }
      const rows = await counters(ids);
      for (const r of rows) {
        expect(r).toMatchObject({
          message_count: PER_CONVERSATION,
          last_seq: PER_CONVERSATION,
          real_count: PER_CONVERSATION,
          distinct_seqs: PER_CONVERSATION,
          max_seq: PER_CONVERSATION,
        });
      }
      const [sums] = await ctx.ds.query(
        `SELECT sum(message_count)::int AS counted, sum(last_message_seq)::int AS seqs,
              (SELECT count(*)::int FROM messages WHERE conversation_id = ANY($1::uuid[])) AS real
         FROM conversations WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(sums).toEqual({ counted: 1000, seqs: 1000, real: 1000 });
      // the caller's own read marker followed its posts
      const unread = await ctx.ds.query(
        `SELECT count(*)::int AS n FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE c.id = ANY($1::uuid[]) AND p.role = 'owner' AND p.last_read_seq <> c.last_message_seq`,
        [ids],
      );
      expect(unread[0].n).toBe(0);
      process.stdout.write(`chat-concurrency: 1000 posts in ${elapsed} ms\n`);

      // deletes mixed with posts and a rewind: counts stay exact, seqs are never handed out twice
      // (the rewound conversation gives no victims: the rewind may remove them first)
      const victims = results
        .filter((r, i) => i % 7 === 0 && r.body.message.conversation_id !== convs[0].id)
        .slice(0, 60);
      const mixed = await pooled(
        [
          ...victims.map((r) => () => {
            const c = convs.find((x) => x.id === r.body.message.conversation_id)!;
            return call(c.owner, 'DELETE', `/messages/${r.body.message.id}`);
          }),
          ...Array.from({ length: 60 }, (_, i) => () => {
            const c = convs[i % CONVERSATIONS];
            return call(c.owner, 'POST', `/conversations/${c.id}/messages`, { content: `more ${i}`, respond: 'none' });
          }),
          () => call(convs[0].owner, 'DELETE', `/conversations/${convs[0].id}/messages?from_seq=95`),
        ],
        IN_FLIGHT,
      );
      expect(mixed.filter((r) => r.status >= 300).map((r) => [r.status, r.body?.code])).toEqual([]);
      for (const r of await counters(ids)) {
        expect(r.message_count).toBe(r.real_count);
        expect(r.distinct_seqs).toBe(r.real_count);
        expect(r.last_seq).toBe(PER_CONVERSATION + 6);
        expect(r.max_seq).toBeLessThanOrEqual(r.last_seq);
      }
    },
    TIMEOUT_MS,
  );
});
