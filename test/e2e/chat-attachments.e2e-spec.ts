import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { MediaKind } from '../../src/modules/media/entities/media.entity.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createMedia } from '../factories/media.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('chat: message attachments and reactions (chat.md §3.1, README decision 12)', () => {
  let ctx: TestApp;
  let creator: TestUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    creator = await createUser(ctx);
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const problem = (res: request.Response, status: number, code?: string) => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: code ? { code } : {} });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };
  const send = (u: TestUser, conversationId: string, body: object) =>
    request(ctx.http)
      .post(api(`/conversations/${conversationId}/messages`))
      .set(as(u))
      .send(body);
  /** A conversation of a fresh owner with one public bot, plus an active member and a stranger. */
  const setup = async () => {
    const owner = await createUser(ctx);
    const member = await createUser(ctx);
    const stranger = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    const added = await request(ctx.http)
      .post(api(`/conversations/${conv.id}/participants`))
      .set(as(owner))
      .send({ user_id: member.user.id });
    expect(added.status).toBe(201);
    return { owner, member, stranger, conv, memberParticipantId: added.body.id as string };
  };

  describe('attachments', () => {
    it('image and file messages carry the sender’s media in order; GET and the page return them', async () => {
      const { owner, conv } = await setup();
      const img1 = await createMedia(ctx, { ownerId: owner.user.id });
      const img2 = await createMedia(ctx, { ownerId: owner.user.id });
      const doc = await createMedia(ctx, { ownerId: owner.user.id, kind: MediaKind.Document });

      const res = await send(owner, conv.id, { content: '', message_type: 'image', media_ids: [img2.id, img1.id] });
      expect(res.status).toBe(201);
      expect(res.body.message).toMatchObject({ message_type: 'image', reactions: {}, my_reactions: [] });
      expect(res.body.message.attachments.map((a: any) => [a.media_id, a.position])).toEqual([
        [img2.id, 0],
        [img1.id, 1],
      ]);
      expect(res.body.message.attachments[0]).toMatchObject({
        kind: 'image',
        mime_type: 'image/png',
        url: `/api/v1/media/${img2.id}/content`,
      });
      expect(res.body.message.attachments[0]).not.toHaveProperty('storage_key');

      const file = await postMessage(ctx, owner.token, conv.id, {
        content: 'my notes',
        message_type: 'file',
        media_ids: [doc.id],
      });
      expect(file.attachments).toMatchObject([{ media_id: doc.id, kind: 'document', position: 0 }]);

      const one = await request(ctx.http)
        .get(api(`/messages/${res.body.message.id}`))
        .set(as(owner));
      expect(one.status).toBe(200);
      expect(one.body.attachments).toHaveLength(2);
      const page = await request(ctx.http)
        .get(api(`/conversations/${conv.id}/messages`))
        .set(as(owner));
      expect(page.status).toBe(200);
      const byId = new Map(page.body.items.map((m: any) => [m.id, m]));
      expect((byId.get(res.body.message.id) as any).attachments).toHaveLength(2);
      expect((byId.get(file.id) as any).attachments).toHaveLength(1);
      // a text message may carry attachments too
      const text = await postMessage(ctx, owner.token, conv.id, { content: 'see this', media_ids: [img1.id] });
      expect(text.attachments).toHaveLength(1);
    });

    it('422 image/file without attachments; 400 someone else’s / missing media, documents in an image message, bad bodies', async () => {
      const { owner, member, conv } = await setup();
      const theirs = await createMedia(ctx, { ownerId: member.user.id });
      const doc = await createMedia(ctx, { ownerId: owner.user.id, kind: MediaKind.Document });
      const mine = await createMedia(ctx, { ownerId: owner.user.id });
      problem(await send(owner, conv.id, { content: 'x', message_type: 'image' }), 422, 'ATTACHMENTS_REQUIRED');
      problem(await send(owner, conv.id, { content: 'x', message_type: 'file', media_ids: [] }), 422);
      problem(
        await send(owner, conv.id, { content: 'x', message_type: 'image', media_ids: [theirs.id] }),
        400,
        'MEDIA_NOT_USABLE',
      );
      problem(
        await send(owner, conv.id, {
          content: 'x',
          message_type: 'image',
          media_ids: ['00000000-0000-4000-8000-000000000000'],
        }),
        400,
        'MEDIA_NOT_USABLE',
      );
      problem(
        await send(owner, conv.id, { content: 'x', message_type: 'image', media_ids: [doc.id] }),
        400,
        'MEDIA_NOT_USABLE',
      );
      problem(await send(owner, conv.id, { content: 'x', media_ids: ['nope'] }), 400, 'VALIDATION_FAILED');
      problem(await send(owner, conv.id, { content: 'x', media_ids: [mine.id, mine.id] }), 400, 'VALIDATION_FAILED');
      problem(await send(owner, conv.id, { content: 'x', media_ids: 'abc' }), 400, 'VALIDATION_FAILED');
      const eleven = await Promise.all(
        Array.from({ length: 11 }, () => createMedia(ctx, { ownerId: owner.user.id }, { store: false })),
      );
      problem(
        await send(owner, conv.id, { content: 'x', media_ids: eleven.map((m) => m.id) }),
        400,
        'VALIDATION_FAILED',
      );
      // ten is fine
      const ten = await postMessage(ctx, owner.token, conv.id, {
        content: '',
        message_type: 'image',
        media_ids: eleven.slice(0, 10).map((m) => m.id),
      });
      expect(ten.attachments.map((a: any) => a.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // nothing left behind by the failed sends
      const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [
        conv.id,
      ]);
      expect(n).toBe(ten.seq);
      const [{ c }] = await ctx.ds.query(`SELECT message_count AS c FROM conversations WHERE id = $1`, [conv.id]);
      expect(Number(c)).toBe(n);
    });

    it('allow_file_sharing=false → 403 FILE_SHARING_DISABLED and nothing is inserted (§3.7 #12)', async () => {
      const { owner, member, conv } = await setup();
      const img = await createMedia(ctx, { ownerId: owner.user.id });
      const patched = await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ allow_file_sharing: false });
      expect(patched.status).toBe(200);
      problem(
        await send(owner, conv.id, { content: '', message_type: 'image', media_ids: [img.id] }),
        403,
        'FILE_SHARING_DISABLED',
      );
      const theirImg = await createMedia(ctx, { ownerId: member.user.id });
      problem(await send(member, conv.id, { content: 'hi', media_ids: [theirImg.id] }), 403, 'FILE_SHARING_DISABLED');
      const rows = await ctx.ds.query(
        `SELECT count(*)::int AS n FROM message_attachments a JOIN messages m ON m.id = a.message_id
          WHERE m.conversation_id = $1`,
        [conv.id],
      );
      expect(rows[0].n).toBe(0);
      // plain text still works
      await postMessage(ctx, owner.token, conv.id, { content: 'no files here' });
    });

    it('an attached file is private: participants and admins read it, a stranger and anonymous get 404 (decision 12)', async () => {
      const { owner, member, stranger, conv, memberParticipantId } = await setup();
      const moderator = await createUser(ctx, { role: UserRole.Moderator });
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const img = await createMedia(ctx, { ownerId: owner.user.id });
      const doc = await createMedia(ctx, { ownerId: owner.user.id, kind: MediaKind.Document });
      // before attaching, the image is public by id
      expect((await request(ctx.http).get(api(`/media/${img.id}/content`))).status).toBe(200);
      await postMessage(ctx, owner.token, conv.id, { content: 'pics', media_ids: [img.id, doc.id] });

      for (const id of [img.id, doc.id]) {
        for (const u of [owner, member, admin]) {
          expect(
            (
              await request(ctx.http)
                .get(api(`/media/${id}`))
                .set(as(u))
            ).status,
          ).toBe(200);
          expect(
            (
              await request(ctx.http)
                .get(api(`/media/${id}/content`))
                .set(as(u))
            ).status,
          ).toBe(200);
        }
        for (const u of [stranger, moderator]) {
          problem(
            await request(ctx.http)
              .get(api(`/media/${id}`))
              .set(as(u)),
            404,
            'MEDIA_NOT_FOUND',
          );
          problem(
            await request(ctx.http)
              .get(api(`/media/${id}/content`))
              .set(as(u)),
            404,
            'MEDIA_NOT_FOUND',
          );
        }
        problem(await request(ctx.http).get(api(`/media/${id}/content`)), 404, 'MEDIA_NOT_FOUND');
      }
      // PATCH/DELETE check the same facts inside their transaction: stranger 404, participant 403
      problem(
        await request(ctx.http)
          .patch(api(`/media/${img.id}`))
          .set(as(stranger))
          .send({ alt_text: 'x' }),
        404,
        'MEDIA_NOT_FOUND',
      );
      problem(
        await request(ctx.http)
          .delete(api(`/media/${img.id}`))
          .set(as(stranger)),
        404,
        'MEDIA_NOT_FOUND',
      );
      problem(
        await request(ctx.http)
          .patch(api(`/media/${img.id}`))
          .set(as(member))
          .send({ alt_text: 'x' }),
        403,
        'MEDIA_FORBIDDEN',
      );
      problem(
        await request(ctx.http)
          .delete(api(`/media/${img.id}`))
          .set(as(member)),
        403,
        'MEDIA_FORBIDDEN',
      );
      // the member's attachments also come back to the owner
      const memberImg = await createMedia(ctx, { ownerId: member.user.id });
      await postMessage(ctx, member.token, conv.id, { content: 'mine', media_ids: [memberImg.id] });
      expect(
        (
          await request(ctx.http)
            .get(api(`/media/${memberImg.id}/content`))
            .set(as(owner))
        ).status,
      ).toBe(200);
      problem(
        await request(ctx.http)
          .get(api(`/media/${memberImg.id}/content`))
          .set(as(stranger)),
        404,
      );

      // after leaving, the former member is a stranger to the file
      const left = await request(ctx.http)
        .delete(api(`/conversations/${conv.id}/participants/${memberParticipantId}`))
        .set(as(member));
      expect(left.status).toBe(204);
      problem(
        await request(ctx.http)
          .get(api(`/media/${img.id}/content`))
          .set(as(member)),
        404,
      );
      // the uploader still reads their own file
      expect(
        (
          await request(ctx.http)
            .get(api(`/media/${memberImg.id}/content`))
            .set(as(member))
        ).status,
      ).toBe(200);

      // a moderator's list of the owner's files leaves attachments out
      const other = await createMedia(ctx, { ownerId: owner.user.id });
      const list = await request(ctx.http)
        .get(api(`/media?owner_id=${owner.user.id}`))
        .set(as(moderator));
      expect(list.status).toBe(200);
      const ids = list.body.items.map((m: any) => m.id);
      expect(ids).toContain(other.id);
      expect(ids).not.toContain(img.id);
      expect(ids).not.toContain(doc.id);
    });

    it('deleting the message or the file removes the attachment link', async () => {
      const { owner, stranger, conv } = await setup();
      const img = await createMedia(ctx, { ownerId: owner.user.id });
      const img2 = await createMedia(ctx, { ownerId: owner.user.id });
      const m = await postMessage(ctx, owner.token, conv.id, {
        content: '',
        message_type: 'image',
        media_ids: [img.id],
      });
      const m2 = await postMessage(ctx, owner.token, conv.id, {
        content: '',
        message_type: 'image',
        media_ids: [img2.id],
      });
      expect(
        (
          await request(ctx.http)
            .delete(api(`/messages/${m.id}`))
            .set(as(owner))
        ).status,
      ).toBe(204);
      const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM message_attachments WHERE message_id = $1`, [
        m.id,
      ]);
      expect(n).toBe(0);
      // no longer attached anywhere: an image is public by id again
      expect(
        (
          await request(ctx.http)
            .get(api(`/media/${img.id}/content`))
            .set(as(stranger))
        ).status,
      ).toBe(200);
      expect(
        (
          await request(ctx.http)
            .delete(api(`/media/${img2.id}`))
            .set(as(owner))
        ).status,
      ).toBe(204);
      const again = await request(ctx.http)
        .get(api(`/messages/${m2.id}`))
        .set(as(owner));
      expect(again.status).toBe(200);
      expect(again.body.attachments).toEqual([]);
    });
  });

  describe('reactions', () => {
    const react = (u: TestUser | null, id: string, emoji: string, method: 'put' | 'delete' = 'put') => {
      const req = request(ctx.http)[method](api(`/messages/${id}/reactions/${encodeURIComponent(emoji)}`));
      return u ? req.set(as(u)) : req;
    };

    it('PUT is idempotent, counts are exact per emoji, mine[] is per caller; DELETE is idempotent', async () => {
      const { owner, member, conv } = await setup();
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'hello' });
      let res = await react(owner, m.id, '👍');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message_id: m.id, reactions: { '👍': 1 }, mine: ['👍'] });
      res = await react(owner, m.id, '👍');
      expect(res.body).toEqual({ message_id: m.id, reactions: { '👍': 1 }, mine: ['👍'] });
      res = await react(member, m.id, '👍');
      expect(res.body.reactions).toEqual({ '👍': 2 });
      res = await react(member, m.id, '❤️');
      expect(res.body).toEqual({ message_id: m.id, reactions: { '👍': 2, '❤️': 1 }, mine: ['👍', '❤️'] });
      res = await react(member, m.id, '👨‍👩‍👧');
      expect(res.body.reactions['👨‍👩‍👧']).toBe(1);

      const seen = await request(ctx.http)
        .get(api(`/messages/${m.id}`))
        .set(as(owner));
      expect(seen.body).toMatchObject({ reactions: { '👍': 2, '❤️': 1, '👨‍👩‍👧': 1 }, my_reactions: ['👍'] });
      const page = await request(ctx.http)
        .get(api(`/conversations/${conv.id}/messages`))
        .set(as(member));
      const item = page.body.items.find((i: any) => i.id === m.id);
      expect(item.reactions).toEqual({ '👍': 2, '❤️': 1, '👨‍👩‍👧': 1 });
      expect(item.my_reactions.sort()).toEqual(['❤️', '👍', '👨‍👩‍👧'].sort());

      res = await react(member, m.id, '👍', 'delete');
      expect(res.status).toBe(200);
      expect(res.body.reactions).toEqual({ '👍': 1, '❤️': 1, '👨‍👩‍👧': 1 });
      res = await react(member, m.id, '👍', 'delete');
      expect(res.status).toBe(200);
      expect(res.body.reactions).toEqual({ '👍': 1, '❤️': 1, '👨‍👩‍👧': 1 });
      res = await react(owner, m.id, '👍', 'delete');
      expect(res.body).toEqual({ message_id: m.id, reactions: { '❤️': 1, '👨‍👩‍👧': 1 }, mine: [] });
      const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM message_reactions WHERE message_id = $1`, [
        m.id,
      ]);
      expect(n).toBe(2);
    });

    it('concurrent PUTs of the same reaction leave exactly one row', async () => {
      const { owner, conv } = await setup();
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'race' });
      const all = await Promise.all(Array.from({ length: 8 }, () => react(owner, m.id, '🔥')));
      expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
      const final = await request(ctx.http)
        .get(api(`/messages/${m.id}`))
        .set(as(owner));
      expect(final.body.reactions).toEqual({ '🔥': 1 });
    });

    it('401 anonymous, 400 bad emoji / id, 404 stranger and unknown message, 403 admin (read-only), 404 after leaving', async () => {
      const { owner, member, stranger, conv, memberParticipantId } = await setup();
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'hello' });
      problem(await react(null, m.id, '👍'), 401);
      problem(await react(null, m.id, '👍', 'delete'), 401);
      problem(await react(owner, m.id, 'abc'), 400, 'VALIDATION_FAILED');
      problem(await react(owner, m.id, ' 👍'), 400, 'VALIDATION_FAILED');
      problem(await react(owner, m.id, '👍'.repeat(33)), 400, 'VALIDATION_FAILED');
      problem(await react(owner, m.id, '👍\u0000'), 400, 'VALIDATION_FAILED');
      problem(await react(owner, 'not-a-uuid', '👍'), 400);
      problem(await react(owner, '00000000-0000-4000-8000-000000000000', '👍'), 404, 'MESSAGE_NOT_FOUND');
      problem(await react(stranger, m.id, '👍'), 404, 'MESSAGE_NOT_FOUND');
      problem(await react(stranger, m.id, '👍', 'delete'), 404, 'MESSAGE_NOT_FOUND');
      problem(await react(admin, m.id, '👍'), 403, 'MESSAGE_FORBIDDEN');
      expect((await react(member, m.id, '👍')).status).toBe(200);
      // the member leaves: their reaction stays counted, but they can no longer react
      expect(
        (
          await request(ctx.http)
            .delete(api(`/conversations/${conv.id}/participants/${memberParticipantId}`))
            .set(as(member))
        ).status,
      ).toBe(204);
      problem(await react(member, m.id, '🎉'), 404, 'MESSAGE_NOT_FOUND');
      const seen = await request(ctx.http)
        .get(api(`/messages/${m.id}`))
        .set(as(admin));
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ reactions: { '👍': 1 }, my_reactions: [] });
      // deleting the message cascades its reactions
      expect(
        (
          await request(ctx.http)
            .delete(api(`/messages/${m.id}`))
            .set(as(owner))
        ).status,
      ).toBe(204);
      const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM message_reactions WHERE message_id = $1`, [
        m.id,
      ]);
      expect(n).toBe(0);
    });
  });
});
