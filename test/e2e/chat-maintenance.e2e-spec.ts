import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { GenerationStatus } from '../../src/modules/chat/chat.enums.js';
import { MessageAlternative } from '../../src/modules/chat/entities/message-alternative.entity.js';
import { Message } from '../../src/modules/chat/entities/message.entity.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { createBot } from '../factories/bot.factory.js';
import { seedBotReply } from '../factories/bot-reply.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/** chat.md §3.4 stale sweeper, §1.5 counters in step (nightly repair, bot deletion), §2 acceptance 5. */
describe('chat: stale generation sweeper, counter repair, bot deletion', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const run = async (job: 'chat.sweep-stale' | 'chat.repair-counters') => {
    await ctx.jobs.enqueue(job, {});
    await ctx.jobs.drain();
  };
  /** Moves a message's and its alternatives' clocks back. */
  const age = async (messageId: string, minutes: { message: number; alternative?: number }) => {
    await ctx.ds.query(`UPDATE messages SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [
      messageId,
      minutes.message,
    ]);
    await ctx.ds.query(
      `UPDATE message_alternatives SET updated_at = now() - make_interval(mins => $2) WHERE message_id = $1`,
      [messageId, minutes.alternative ?? minutes.message],
    );
  };
  const messageRow = (id: string) => ctx.ds.getRepository(Message).findOneByOrFail({ id });
  const altRows = (messageId: string) =>
    ctx.ds.getRepository(MessageAlternative).find({ where: { messageId }, order: { position: 'ASC' } });
  /** Conversations whose stored counters differ from their rows. */
  const drift = (ids: string[]): Promise<unknown[]> =>
    ctx.ds.query(
      `SELECT c.id, c.message_count, c.participant_count, c.last_message_seq FROM conversations c
        WHERE c.id = ANY($1::uuid[])
          AND (c.message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)
            OR c.participant_count <> (SELECT count(*) FROM conversation_participants p
                                        WHERE p.conversation_id = c.id AND p.is_active)
            OR c.last_message_seq < (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.conversation_id = c.id))`,
      [ids],
    );

  let creator: TestUser;
  beforeAll(async () => {
    creator = await createUser(ctx, { role: UserRole.Creator });
  });
  const publicBot = (name = 'Bot') =>
    createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public, name });

  describe('chat.sweep-stale (§3.4)', () => {
    let owner: TestUser;
    let conv: { id: string };
    let botId: string;
    beforeAll(async () => {
      owner = await createUser(ctx);
      const bot = await publicBot();
      botId = bot.id;
      conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    });
    const reply = (alternatives: Partial<MessageAlternative>[], message: Partial<Message> = {}) =>
      seedBotReply(ctx, { conversationId: conv.id, botId, requestedByUserId: owner.user.id, alternatives, message });

    it('abandons stale queued/streaming generations, spares live ones, reverts an empty regeneration; twice = once', async () => {
      // queued 11 min: abandoned
      const queuedOld = await reply([{ generationStatus: GenerationStatus.Queued }]);
      await age(queuedOld.message.id, { message: 11 });
      // queued 9 min: still waiting
      const queuedNew = await reply([{ generationStatus: GenerationStatus.Queued }]);
      await age(queuedNew.message.id, { message: 9 });
      // streaming, no progress for 6 min, partial text: failed, text kept
      const stalled = await reply([{ generationStatus: GenerationStatus.Streaming, content: 'half an ans' }], {
        content: 'half an ans',
      });
      await age(stalled.message.id, { message: 6 });
      // streaming, message untouched for 6 min but its alternative flushed a minute ago: alive
      const alive = await reply([{ generationStatus: GenerationStatus.Streaming, content: 'going' }]);
      await age(alive.message.id, { message: 6, alternative: 1 });
      // a regeneration (#2) that never produced text: the message goes back to the newest completed (#1)
      const regen = await reply(
        [
          { content: 'first', model: 'm-1', inputTokens: 3, outputTokens: 4 },
          { content: 'second', model: 'm-2', inputTokens: 5, outputTokens: 6 },
          { content: '', generationStatus: GenerationStatus.Queued },
        ],
        { content: '' },
      );
      await age(regen.message.id, { message: 30 });
      // a completed reply last touched long ago is not a generation at all
      const done = await reply([{ content: 'old news' }]);
      await age(done.message.id, { message: 120 });

      await run('chat.sweep-stale');

      const abandoned = { generationStatus: GenerationStatus.Failed, errorCode: 'ABANDONED', finishReason: 'error' };
      expect(await messageRow(queuedOld.message.id)).toMatchObject({ ...abandoned, deliveryStatus: 'failed' });
      expect((await altRows(queuedOld.message.id))[0]).toMatchObject(abandoned);
      expect(await messageRow(queuedNew.message.id)).toMatchObject({ generationStatus: 'queued', errorCode: null });
      expect(await messageRow(stalled.message.id)).toMatchObject({ ...abandoned, content: 'half an ans' });
      expect((await altRows(stalled.message.id))[0]).toMatchObject({ ...abandoned, content: 'half an ans' });
      expect(await messageRow(alive.message.id)).toMatchObject({ generationStatus: 'streaming', errorCode: null });
      expect((await altRows(alive.message.id))[0]).toMatchObject({ generationStatus: 'streaming' });
      expect(await messageRow(regen.message.id)).toMatchObject({
        generationStatus: 'completed',
        errorCode: null,
        content: 'second',
        model: 'm-2',
        totalTokens: 11,
        activeAlternativeId: regen.alternatives[1].id,
        alternativeCount: 3,
      });
      expect((await altRows(regen.message.id)).map((a) => a.generationStatus)).toEqual([
        'completed',
        'completed',
        'failed',
      ]);
      expect(await messageRow(done.message.id)).toMatchObject({ generationStatus: 'completed', errorCode: null });

      // the API shows the outcome; the failed alternative stays listed
      const alts = await request(ctx.http)
        .get(api(`/messages/${regen.message.id}/alternatives`))
        .set(as(owner))
        .expect(200);
      expect(alts.body[2]).toMatchObject({ generation_status: 'failed', error_code: 'ABANDONED', is_active: false });
      const shown = await request(ctx.http)
        .get(api(`/messages/${stalled.message.id}`))
        .set(as(owner))
        .expect(200);
      expect(shown.body).toMatchObject({
        generation_status: 'failed',
        error_code: 'ABANDONED',
        delivery_status: 'failed',
      });

      // idempotent: a second run finds nothing and touches nothing
      const ids = [queuedOld, queuedNew, stalled, alive, regen, done].map((r) => r.message.id);
      const snapshot = async () =>
        ctx.ds.query(
          `SELECT m.id, m.generation_status, m.updated_at, m.content, m.active_alternative_id,
                  array_agg(a.generation_status::text || ':' || a.updated_at::text ORDER BY a.position) AS alts
             FROM messages m JOIN message_alternatives a ON a.message_id = m.id
            WHERE m.id = ANY($1::uuid[]) GROUP BY m.id ORDER BY m.id`,
          [ids],
        );
      const before = await snapshot();
      await run('chat.sweep-stale');
      expect(await snapshot()).toEqual(before);

      // one reply_failed analytics event per abandoned alternative, however often the sweep runs
      const failedAlts = [queuedOld.alternatives[0], stalled.alternatives[0], regen.alternatives[2]].map((a) => a.id);
      const [events] = await ctx.ds.query(
        `SELECT count(*)::int AS n FROM analytics_events WHERE idempotency_key = ANY($1::text[])`,
        [failedAlts.map((id) => `reply_fail:${id}`)],
      );
      expect(events.n).toBe(3);
    });

    it('a swept generation no longer blocks deleting its message', async () => {
      const stale = await reply([{ generationStatus: GenerationStatus.Queued }]);
      await request(ctx.http)
        .delete(api(`/messages/${stale.message.id}`))
        .set(as(owner))
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('GENERATION_IN_PROGRESS'));
      await age(stale.message.id, { message: 15 });
      await run('chat.sweep-stale');
      await request(ctx.http)
        .delete(api(`/messages/${stale.message.id}`))
        .set(as(owner))
        .expect(204);
    });
  });

  describe('chat.repair-counters (§1.5 nightly drift check)', () => {
    it('recomputes message_count and participant_count, raises last_message_seq, logs drift; idempotent', async () => {
      const owner = await createUser(ctx);
      const member = await createUser(ctx);
      const [b1, b2] = [await publicBot(), await publicBot()];
      const conv = await createConversation(ctx, owner.token, { bot_ids: [b1.id, b2.id] });
      await request(ctx.http)
        .post(api(`/conversations/${conv.id}/participants`))
        .set(as(owner))
        .send({ user_id: member.user.id })
        .expect(201);
      for (let i = 0; i < 3; i++) await postMessage(ctx, owner.token, conv.id, { content: `m${i}`, respond: 'none' });
      const clean = await createConversation(ctx, owner.token, { bot_ids: [b1.id] });
      await postMessage(ctx, owner.token, clean.id, { content: 'fine', respond: 'none' });
      expect(await drift([conv.id, clean.id])).toEqual([]);

      // drift of the kinds the counters can suffer: a member account deleted (its row cascades), stray writes
      await ctx.ds.getRepository(User).delete({ id: member.user.id });
      await ctx.ds.query(`UPDATE conversations SET message_count = 99, last_message_seq = 1 WHERE id = $1`, [conv.id]);
      expect(await drift([conv.id, clean.id])).toHaveLength(1);
      const cleanBefore = await ctx.ds.query(`SELECT updated_at FROM conversations WHERE id = $1`, [clean.id]);

      await run('chat.repair-counters');
      expect(await drift([conv.id, clean.id])).toEqual([]);
      const [row] = await ctx.ds.query(
        `SELECT message_count, participant_count, last_message_seq FROM conversations WHERE id = $1`,
        [conv.id],
      );
      expect(row).toMatchObject({ message_count: 3, participant_count: 3 });
      expect(Number(row.last_message_seq)).toBe(3);
      expect(ctx.logs().some((l) => l.includes('conversation counter drift repaired') && l.includes(conv.id))).toBe(
        true,
      );
      // a conversation without drift is not written
      expect(await ctx.ds.query(`SELECT updated_at FROM conversations WHERE id = $1`, [clean.id])).toEqual(cleanBefore);

      // seq allocation goes on from the repaired value: no duplicate seq
      const next = await postMessage(ctx, owner.token, conv.id, { content: 'after repair', respond: 'none' });
      expect(next.seq).toBe(4);

      const logsBefore = ctx.logs().filter((l) => l.includes('conversation counter drift repaired')).length;
      await run('chat.repair-counters');
      expect(ctx.logs().filter((l) => l.includes('conversation counter drift repaired')).length).toBe(logsBefore);
      expect(await drift([conv.id, clean.id])).toEqual([]);
    });

    it('never lowers last_message_seq below what was handed out (seqs are not reused after a rewind)', async () => {
      const owner = await createUser(ctx);
      const conv = await createConversation(ctx, owner.token, { bot_ids: [(await publicBot()).id] });
      for (let i = 0; i < 4; i++) await postMessage(ctx, owner.token, conv.id, { content: `m${i}`, respond: 'none' });
      await request(ctx.http)
        .delete(api(`/conversations/${conv.id}/messages?from_seq=3`))
        .set(as(owner))
        .expect(200);
      await run('chat.repair-counters');
      const [row] = await ctx.ds.query(`SELECT message_count, last_message_seq FROM conversations WHERE id = $1`, [
        conv.id,
      ]);
      expect({ count: Number(row.message_count), last: Number(row.last_message_seq) }).toEqual({ count: 2, last: 4 });
    });

    it('promotes a secondary where no active primary is left', async () => {
      const owner = await createUser(ctx);
      const [b1, b2, b3] = [await publicBot(), await publicBot(), await publicBot()];
      const conv = await createConversation(ctx, owner.token, { bot_ids: [b1.id, b2.id, b3.id] });
      // b3 joined before b2 (bots added together share joined_at; then the id decides)
      await ctx.ds.query(
        `UPDATE conversation_participants SET joined_at = joined_at - interval '1 minute'
          WHERE conversation_id = $1 AND bot_id = $2`,
        [conv.id, b3.id],
      );
      await ctx.ds.query(
        `UPDATE conversation_participants SET is_active = false WHERE conversation_id = $1 AND bot_id = $2`,
        [conv.id, b1.id],
      );
      await run('chat.repair-counters');
      const parts = await ctx.ds.query(
        `SELECT bot_id, role, is_active FROM conversation_participants WHERE conversation_id = $1 AND bot_id IS NOT NULL`,
        [conv.id],
      );
      const byBot = Object.fromEntries(parts.map((p: { bot_id: string; role: string }) => [p.bot_id, p.role]));
      expect(byBot).toEqual({ [b1.id]: 'primary', [b2.id]: 'secondary', [b3.id]: 'primary' });
      expect(await drift([conv.id])).toEqual([]);
    });
  });

  describe('deleting a bot (§2 acceptance 5, counters in step)', () => {
    it('removes its participant rows, lowers participant_count where it was active, promotes a new primary', async () => {
      const owner = await createUser(ctx);
      const doomed = await publicBot('Doomed');
      const other = await publicBot('Other');
      const third = await publicBot('Third');
      const both = await createConversation(ctx, owner.token, { bot_ids: [doomed.id, other.id, third.id] });
      const alone = await createConversation(ctx, owner.token, { bot_ids: [doomed.id] });
      const secondary = await createConversation(ctx, owner.token, { bot_ids: [other.id, doomed.id] });
      const removed = await createConversation(ctx, owner.token, { bot_ids: [other.id, doomed.id] });
      const parts = (
        await request(ctx.http)
          .get(api(`/conversations/${removed.id}/participants`))
          .set(as(owner))
          .expect(200)
      ).body as { id: string; bot_id: string | null }[];
      const doomedRow = parts.find((p) => p.bot_id === doomed.id)!;
      await request(ctx.http)
        .delete(api(`/conversations/${removed.id}/participants/${doomedRow.id}`))
        .set(as(owner))
        .expect(204);
      await seedBotReply(ctx, {
        conversationId: alone.id,
        botId: doomed.id,
        requestedByUserId: owner.user.id,
        alternatives: [{ content: 'I was here' }],
      });
      // third joined after other (bots added together share joined_at; then the id would decide)
      await ctx.ds.query(
        `UPDATE conversation_participants SET joined_at = joined_at + interval '1 minute'
          WHERE conversation_id = $1 AND bot_id = $2`,
        [both.id, third.id],
      );
      const ids = [both.id, alone.id, secondary.id, removed.id];
      const count = async (id: string) =>
        Number(
          (await ctx.ds.query(`SELECT participant_count FROM conversations WHERE id = $1`, [id]))[0].participant_count,
        );
      expect(await Promise.all(ids.map(count))).toEqual([4, 2, 3, 2]);

      await request(ctx.http)
        .delete(api(`/bots/${doomed.id}`))
        .set(as(creator))
        .expect(204);

      expect(await Promise.all(ids.map(count))).toEqual([3, 1, 2, 2]);
      expect(await drift(ids)).toEqual([]);
      const roles = await ctx.ds.query(
        `SELECT conversation_id, bot_id, role FROM conversation_participants
          WHERE conversation_id = ANY($1::uuid[]) AND bot_id IS NOT NULL ORDER BY conversation_id, bot_id`,
        [ids],
      );
      expect(roles.filter((r: { bot_id: string }) => r.bot_id === doomed.id)).toEqual([]);
      const roleIn = (conv: string, bot: string) =>
        roles.find((r: { conversation_id: string; bot_id: string }) => r.conversation_id === conv && r.bot_id === bot)
          ?.role;
      expect(roleIn(both.id, other.id)).toBe('primary');
      expect(roleIn(both.id, third.id)).toBe('secondary');
      expect(roleIn(secondary.id, other.id)).toBe('primary');
      // history stays readable with the name snapshot
      const page = await request(ctx.http)
        .get(api(`/conversations/${alone.id}/messages`))
        .set(as(owner))
        .expect(200);
      expect(page.body.items.at(-1)).toMatchObject({ bot_id: null, author_name: 'Seeded Bot' });
      // the nightly repair then finds nothing to do
      await run('chat.repair-counters');
      expect(await drift(ids)).toEqual([]);
      const repairedHere = ctx
        .logs()
        .filter((l) => l.includes('conversation counter drift repaired') && ids.some((id) => l.includes(id)));
      expect(repairedHere).toEqual([]);
    });
  });
});
