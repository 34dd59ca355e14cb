import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

type Obj = Record<string, any>;

describe('chat interop: SillyTavern JSONL export / import (interop.md §3, §4, §5 #6)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const problem = (res: request.Response, status: number, code?: string) => {
    const body: unknown = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    expect({ status: res.status, body }).toMatchObject({ status, body: code ? { code } : {} });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };
  /** GET the export as text (the JSONL content type is not parsed by supertest). */
  const exportText = (u: TestUser | null, id: string, query = '?format=jsonl') => {
    const req = request(ctx.http).get(api(`/conversations/${id}/export${query}`));
    if (u) req.set(as(u));
    return req.buffer(true).parse((res, cb) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => cb(null, data));
    });
  };
  const jsonl = (text: string): Obj[] =>
    text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Obj);
  const importText = (u: TestUser | null, botId: string | null, body: string) => {
    const req = request(ctx.http)
      .post(api(`/conversations/import${botId ? `?bot_id=${botId}` : ''}`))
      .set('content-type', 'text/plain');
    if (u) req.set(as(u));
    return req.send(body);
  };
  const counts = async (userId: string) => {
    const [row] = await ctx.ds.query(
      `SELECT (SELECT count(*) FROM conversations WHERE owner_user_id = $1) AS convs,
              (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE c.owner_user_id = $1) AS msgs`,
      [userId],
    );
    return { convs: Number(row.convs), msgs: Number(row.msgs) };
  };

  let creator: TestUser;
  let owner: TestUser;
  let botId: string;
  let convId: string;
  beforeAll(async () => {
    creator = await createUser(ctx, { role: UserRole.Creator });
    owner = await createUser(ctx);
    const bot = await createBot(ctx, {
      ownerId: creator.user.id,
      visibility: ResourceVisibility.Public,
      name: 'Aria',
      greeting: 'Hello, {{user}}!',
      alternateGreetings: ['Welcome back, traveller.'],
    });
    botId = bot.id;
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    convId = conv.id;
    await postMessage(ctx, owner.token, convId, { content: 'Tell me a story.' });
    await postMessage(ctx, owner.token, convId, { content: 'With a dragon, please 🐉' });
    // the user swiped the greeting to its second alternative
    const [greeting] = await ctx.ds.query(`SELECT id FROM messages WHERE conversation_id = $1 AND seq = 1`, [convId]);
    const [alt] = await ctx.ds.query(
      `SELECT id, content FROM message_alternatives WHERE message_id = $1 AND position = 1`,
      [greeting.id],
    );
    await ctx.ds.query(`UPDATE messages SET active_alternative_id = $2, content = $3 WHERE id = $1`, [
      greeting.id,
      alt.id,
      alt.content,
    ]);
  });

  describe('GET /conversations/:id/export', () => {
    it('exports a header line and one line per message with name, is_user, send_date, mes, swipes', async () => {
      const res = await exportText(owner, convId).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['content-disposition']).toContain('.jsonl');
      const [header, ...lines] = jsonl(res.body as string);
      expect(header).toMatchObject({ character_name: 'Aria', user_name: expect.any(String) });
      expect(header).not.toHaveProperty('mes');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({
        name: 'Aria',
        is_user: false,
        mes: 'Welcome back, traveller.',
        swipes: [expect.stringMatching(/^Hello, .+!$/), 'Welcome back, traveller.'],
        swipe_id: 1,
      });
      expect(lines[0].swipes[0]).not.toContain('{{user}}');
      expect(lines[1]).toMatchObject({ is_user: true, mes: 'Tell me a story.', swipes: ['Tell me a story.'] });
      expect(lines[2]).toMatchObject({ is_user: true, mes: 'With a dragon, please 🐉' });
      for (const l of lines) expect(Date.parse(l.send_date)).not.toBeNaN();
    });

    it('401 without a token; 404 for a stranger and for an admin (owner only); 400 for a bad format or id', async () => {
      problem(await exportText(null, convId), 401);
      const stranger = await createUser(ctx);
      problem(await exportText(stranger, convId), 404, 'CONVERSATION_NOT_FOUND');
      const admin = await createUser(ctx, { role: UserRole.Admin });
      problem(await exportText(admin, convId), 404, 'CONVERSATION_NOT_FOUND');
      problem(await exportText(owner, convId, '?format=csv'), 400, 'VALIDATION_FAILED');
      problem(await exportText(owner, 'not-a-uuid'), 400);
      problem(await exportText(owner, '00000000-0000-4000-8000-000000000000'), 404, 'CONVERSATION_NOT_FOUND');
    });
  });

  describe('POST /conversations/import', () => {
    it('§5 #6: export a 3-message conversation with a swipe and import it: same texts, order and swipes', async () => {
      const exported = (await exportText(owner, convId).expect(200)).body as string;
      const importer = await createUser(ctx);
      const res = await importText(importer, botId, exported).expect(201);
      expect(res.body).toMatchObject({
        owner_user_id: importer.user.id,
        conversation_type: 'single_bot',
        message_count: 3,
        last_message_seq: 3,
        participant_count: 2,
      });
      expect(res.body.id).not.toBe(convId);
      expect(res.body.participants.map((p: Obj) => [p.role, p.bot_id ?? p.user_id])).toEqual([
        ['owner', importer.user.id],
        ['primary', botId],
      ]);

      const page = await request(ctx.http)
        .get(api(`/conversations/${res.body.id}/messages`))
        .set(as(importer))
        .expect(200);
      expect(page.body.items.map((m: Obj) => [m.seq, m.author_kind, m.content])).toEqual([
        [1, 'bot', 'Welcome back, traveller.'],
        [2, 'user', 'Tell me a story.'],
        [3, 'user', 'With a dragon, please 🐉'],
      ]);
      expect(page.body.items[0]).toMatchObject({ bot_id: botId, alternative_count: 2, author_name: 'Aria' });
      expect(page.body.items[1]).toMatchObject({ author_user_id: importer.user.id });
      const alts = await ctx.ds.query(
        `SELECT a.id, a.content, a.generation_status FROM message_alternatives a WHERE a.message_id = $1 ORDER BY position`,
        [page.body.items[0].id],
      );
      expect(alts.map((a: Obj) => a.generation_status)).toEqual(['completed', 'completed']);
      expect(page.body.items[0].active_alternative_id).toBe(alts[1].id);

      // re-export: the same lines (texts, order, swipes, active swipe, dates)
      const again = jsonl((await exportText(importer, res.body.id).expect(200)).body as string);
      expect(again.slice(1)).toEqual(jsonl(exported).slice(1));

      // counters exact
      const [row] = await ctx.ds.query(
        `SELECT c.message_count, c.last_message_seq, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS real
           FROM conversations c WHERE c.id = $1`,
        [res.body.id],
      );
      expect([Number(row.message_count), Number(row.last_message_seq), Number(row.real)]).toEqual([3, 3, 3]);
      const [bot] = await ctx.ds.query(`SELECT conversation_count FROM bots WHERE id = $1`, [botId]);
      expect(Number(bot.conversation_count)).toBe(2);
    });

    it('accepts the log as a multipart `file` (as card import does) and a log without a header line', async () => {
      const me = await createUser(ctx);
      const log = [
        { name: 'Me', is_user: true, send_date: 'not a date', mes: 'hi' },
        { name: 'Aria', is_user: false, send_date: 1700000000000, mes: 'B', swipes: ['A', 'B', 'C'], swipe_id: 1 },
        { is_system: true, mes: 'Scene change' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\r\n');
      const res = await request(ctx.http)
        .post(api(`/conversations/import?bot_id=${botId}`))
        .set(as(me))
        .attach('file', Buffer.from(log, 'utf8'), { filename: 'chat.jsonl', contentType: 'application/x-ndjson' })
        .expect(201);
      expect(res.body.message_count).toBe(3);
      const lines = jsonl((await exportText(me, res.body.id).expect(200)).body as string).slice(1);
      expect(lines.map((l) => [l.name, l.is_user, l.is_system, l.mes, l.swipes, l.swipe_id])).toEqual([
        ['Me', true, false, 'hi', ['hi'], 0],
        ['Aria', false, false, 'B', ['A', 'B', 'C'], 1],
        ['System', false, true, 'Scene change', ['Scene change'], 0],
      ]);
      expect(lines[1].send_date).toBe(new Date(1700000000000).toISOString());
    });

    it('401 without a token; 400 without bot_id; 404 for a bot the caller cannot chat with; 415 for JSON', async () => {
      const me = await createUser(ctx);
      const line = JSON.stringify({ name: 'Me', is_user: true, mes: 'hi' });
      problem(await importText(null, botId, line), 401);
      problem(await importText(me, null, line), 400, 'VALIDATION_FAILED');
      problem(await importText(me, 'nope', line), 400, 'VALIDATION_FAILED');
      const privateBot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Private });
      problem(await importText(me, privateBot.id, line), 404, 'BOT_NOT_FOUND');
      problem(
        await request(ctx.http)
          .post(api(`/conversations/import?bot_id=${botId}`))
          .set(as(me))
          .send({ mes: 'hi' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      problem(
        await request(ctx.http)
          .post(api(`/conversations/import?bot_id=${botId}`))
          .set(as(me))
          .attach('log', Buffer.from(line), 'chat.jsonl'),
        400,
        'VALIDATION_FAILED',
      );
      expect(await counts(me.user.id)).toEqual({ convs: 0, msgs: 0 });
    });

    it('422 naming the bad line, and nothing is created', async () => {
      const me = await createUser(ctx);
      const botCount = async () =>
        Number(
          (await ctx.ds.query(`SELECT conversation_count FROM bots WHERE id = $1`, [botId]))[0].conversation_count,
        );
      const before = await botCount();
      const header = JSON.stringify({ user_name: 'Me', character_name: 'Aria', chat_metadata: {} });
      const good = JSON.stringify({ name: 'Me', is_user: true, mes: 'hi' });
      const cases: [string, string][] = [
        [[header, good, '{"name": "Aria", "mes": '].join('\n'), 'line 3'],
        [[header, good, '[1, 2]'].join('\n'), 'line 3'],
        [[header, '', good, JSON.stringify({ name: 'Aria', mes: 42 })].join('\n'), 'line 4.mes'],
        [[good, JSON.stringify({ mes: 'x', swipes: 'x' })].join('\n'), 'line 2.swipes'],
        [[good, JSON.stringify({ mes: 'x', swipes: ['a', 7] })].join('\n'), 'line 2.swipes[1]'],
        [
          [good, JSON.stringify({ mes: 'x', swipes: Array.from({ length: 21 }, (_, i) => `s${i}`) })].join('\n'),
          'line 2.swipes',
        ],
        [[good, JSON.stringify({ is_user: true, mes: '   ' })].join('\n'), 'line 2.mes'],
        [[good, JSON.stringify({ is_user: 'yes', mes: 'x' })].join('\n'), 'line 2.is_user'],
        [[good, JSON.stringify({ mes: 'x'.repeat(32001) })].join('\n'), 'line 2.mes'],
        [header, 'file'],
        ['', 'file'],
      ];
      for (const [body, field] of cases) {
        const res = await importText(me, botId, body);
        problem(res, 422, 'INVALID_CHAT_LOG');
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      // an error after many good lines still creates nothing
      const many = [header, ...Array.from({ length: 50 }, () => good), '{broken'].join('\n');
      const res = await importText(me, botId, many);
      problem(res, 422, 'INVALID_CHAT_LOG');
      expect(res.body.errors[0].field).toBe('line 52');
      expect(await counts(me.user.id)).toEqual({ convs: 0, msgs: 0 });
      expect(await botCount()).toBe(before);
    });
  });
});
