import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GrantLevel, ModerationStatus, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { BotInteraction } from '../../src/modules/bots/entities/bot-interaction.entity.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { BotDefinitionVisibility, BotVenue } from '../../src/modules/bots/entities/bot.enums.js';
import { BotsProcessor } from '../../src/modules/bots/jobs/bots.processor.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createCreator } from '../factories/creator.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';


describe('bots (bots.md §1–§2)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = () => request(ctx.http);
  const bearer = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const newBot = async (u: TestUser, body: Record<string, unknown> = {}) => {
    const res = await api()
      .post('/api/v1/bots')
      .set(bearer(u))
      .send({ name: 'Aria', system_prompt: 'You are Aria.', ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const ids = (body: { items: { id: string }[] }) => body.items.map((b) => b.id);
  const flushViews = () => ctx.app.get(BotsProcessor).handle({ name: 'bots.flush-views', payload: {} });

  describe('§1.7 acceptance', () => {
    it('1. explore lists only public visible bots; a private bot is 404 to strangers, 200 to owner and viewer, 404 after revoke/expiry', async () => {
      const owner = await createUser(ctx);
      const [stranger, viewer] = [await createUser(ctx), await createUser(ctx)];
      const pub = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      const priv = await createBot(ctx, { ownerId: owner.user.id });
      const shared = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const hidden = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Public,
        moderationStatus: ModerationStatus.Hidden,
        moderationReason: 'spam',
      });
      const list = await api().get(`/api/v1/bots?creator=${owner.user.username}`).expect(200);
      expect(ids(list.body)).toEqual([pub.id]);
      expect(ids(list.body)).not.toEqual(expect.arrayContaining([priv.id, shared.id, hidden.id]));

      await api()
        .get(`/api/v1/bots/${priv.id}`)
        .set(bearer(stranger))
        .expect(404)
        .expect(({ body }) => expect(body.code).toBe('BOT_NOT_FOUND'));
      await api().get(`/api/v1/bots/${priv.id}`).expect(404);
      await api().get(`/api/v1/bots/${priv.id}`).set(bearer(owner)).expect(200);

      const grant = await createGrant(ctx, { bot: shared, granteeId: viewer.user.id, level: GrantLevel.View });
      const seen = await api().get(`/api/v1/bots/${shared.id}`).set(bearer(viewer)).expect(200);
      expect(seen.body.my_access).toBe('view');
      await ctx.ds.getRepository(AccessGrant).update({ id: grant.id }, { revokedAt: new Date() });
      await api().get(`/api/v1/bots/${shared.id}`).set(bearer(viewer)).expect(404);

      const expiring = await createGrant(ctx, {
        bot: shared,
        granteeId: stranger.user.id,
        expiresAt: new Date(Date.now() + 1500),
      });
      await api().get(`/api/v1/bots/${shared.id}`).set(bearer(stranger)).expect(200);
      await new Promise((r) => setTimeout(r, 1600));
      await api().get(`/api/v1/bots/${shared.id}`).set(bearer(stranger)).expect(404);
      expect(expiring.id).toBeDefined();
    });

    it('2. slugs are unique per creator, -2 on a clash, 409 when explicit, and resolve by path', async () => {
      const [a, b] = [await createUser(ctx), await createUser(ctx)];
      const a1 = await newBot(a, { name: 'Aria' });
      const b1 = await newBot(b, { name: 'Aria' });
      expect([a1.slug, b1.slug]).toEqual(['aria', 'aria']);
      const a2 = await newBot(a, { name: 'Aria' });
      expect(a2.slug).toBe('aria-2');
      await api()
        .post('/api/v1/bots')
        .set(bearer(a))
        .send({ name: 'Other', system_prompt: 'x', slug: 'aria' })
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('SLUG_TAKEN'));
      const byPath = await api().get(`/api/v1/creators/${b.user.username}/bots/aria`).set(bearer(b)).expect(200);
      expect(byPath.body.id).toBe(b1.id);
      await api().get(`/api/v1/creators/${b.user.username}/bots/aria`).set(bearer(a)).expect(404); // private
      await api().get(`/api/v1/creators/${a.user.username}/bots/nope`).set(bearer(a)).expect(404);
      await api().get(`/api/v1/creators/no_such_user_x/bots/aria`).expect(404);
      // renaming never changes the slug; the owner can change it
      const renamed = await api().patch(`/api/v1/bots/${a2.id}`).set(bearer(a)).send({ name: 'Zed' }).expect(200);
      expect(renamed.body.slug).toBe('aria-2');
      await api().patch(`/api/v1/bots/${a2.id}`).set(bearer(a)).send({ slug: 'aria' }).expect(409);
      const reslugged = await api().patch(`/api/v1/bots/${a2.id}`).set(bearer(a)).send({ slug: 'zed' }).expect(200);
      expect(reslugged.body.slug).toBe('zed');
    });

    it('3. definition_visibility=editors hides the definition from viewers, not from editors', async () => {
      const owner = await createUser(ctx);
      const [viewer, editor] = [await createUser(ctx), await createUser(ctx)];
      const bot = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Shared,
        allowCollaboration: true,
        speechExamples: ['Hi!'],
      });
      await createGrant(ctx, { bot, granteeId: viewer.user.id, level: GrantLevel.View });
      await createGrant(ctx, { bot, granteeId: editor.user.id, level: GrantLevel.Edit });
      const v = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(viewer)).expect(200);
      expect(v.body).not.toHaveProperty('system_prompt');
      expect(v.body).not.toHaveProperty('speech_examples');
      expect(v.body).not.toHaveProperty('sharing');
      const e = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(editor)).expect(200);
      expect(e.body.system_prompt).toBe(bot.systemPrompt);
      expect(e.body.speech_examples).toEqual(['Hi!']);
      // viewers: definition visible once the owner opens it
      await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(owner))
        .send({ definition_visibility: 'viewers' })
        .expect(200);
      const v2 = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(viewer)).expect(200);
      expect(v2.body.system_prompt).toBe(bot.systemPrompt);
    });

    it('4. field-level PATCH rules: editor vs viewer vs stranger', async () => {
      const owner = await createUser(ctx);
      const [viewer, editor, stranger] = [await createUser(ctx), await createUser(ctx), await createUser(ctx)];
      const bot = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Shared,
        allowCollaboration: true,
      });
      await createGrant(ctx, { bot, granteeId: viewer.user.id, level: GrantLevel.View });
      await createGrant(ctx, { bot, granteeId: editor.user.id, level: GrantLevel.Edit });
      const forbidden = await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(editor))
        .send({ visibility: 'public' })
        .expect(403);
      expect(forbidden.body.code).toBe('FIELD_FORBIDDEN');
      expect(forbidden.body.field).toBe('visibility');
      const ok = await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(editor))
        .send({ system_prompt: 'New prompt' })
        .expect(200);
      expect(ok.body.system_prompt).toBe('New prompt');
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(viewer)).send({ name: 'X' }).expect(403);
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(stranger)).send({ name: 'X' }).expect(404);
      // a moderator reads everything but edits nothing
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(mod)).send({ name: 'X' }).expect(403);
    });

    it('5. likes are idempotent and exact under concurrency (50 users)', async () => {
      const owner = await createUser(ctx);
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      const liker = await createUser(ctx);
      const first = await api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(liker)).expect(200);
      expect(first.body).toEqual({ liked: true, likes_count: 1 });
      const again = await api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(liker)).expect(200);
      expect(again.body).toEqual({ liked: true, likes_count: 1 });
      const un = await api().delete(`/api/v1/bots/${bot.id}/like`).set(bearer(liker)).expect(200);
      expect(un.body).toEqual({ liked: false, likes_count: 0 });
      await api()
        .delete(`/api/v1/bots/${bot.id}/like`)
        .set(bearer(liker))
        .expect(200, { liked: false, likes_count: 0 });

      const users = await Promise.all(Array.from({ length: 50 }, () => createUser(ctx)));
      const results = await Promise.all(users.map((u) => api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(u))));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      const row = await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id });
      expect(row.likesCount).toBe(50);
      await Promise.all(users.map((u) => api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(u)).expect(200)));
      expect((await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id })).likesCount).toBe(50);
      expect(await ctx.ds.getRepository(BotInteraction).countBy({ botId: bot.id, liked: true })).toBe(50);
    });

    it('6. leaving public clears is_featured; featuring a private bot → 409', async () => {
      const owner = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const bot = await newBot(owner, { visibility: 'public' });
      const featured = await api()
        .put(`/api/v1/bots/${bot.id}/feature`)
        .set(bearer(mod))
        .send({ reason: 'great' })
        .expect(200);
      expect(featured.body.is_featured).toBe(true);
      expect(featured.body.featured_reason).toBe('great');
      const ownerView = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(200);
      expect(ownerView.body).not.toHaveProperty('featured_reason');
      const priv = await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(owner))
        .send({ visibility: 'private' })
        .expect(200);
      expect(priv.body.is_featured).toBe(false);
      await api()
        .put(`/api/v1/bots/${bot.id}/feature`)
        .set(bearer(mod))
        .send({})
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('BOT_NOT_PUBLIC'));
      await api().put(`/api/v1/bots/${bot.id}/feature`).set(bearer(owner)).send({}).expect(403);
      await api().put(`/api/v1/bots/${randomUUID()}/feature`).set(bearer(mod)).send({}).expect(404);
    });

    it('7. copies: 403 without allow_copying, 404 if unreadable; private, owned, attributed; never publishable', async () => {
      const owner = await createUser(ctx);
      const caller = await createUser(ctx);
      const closed = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      await api()
        .post(`/api/v1/bots/${closed.id}/copies`)
        .set(bearer(caller))
        .send({ kind: 'copy' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('COPY_NOT_ALLOWED'));
      const hiddenBot = await createBot(ctx, { ownerId: owner.user.id });
      await api().post(`/api/v1/bots/${hiddenBot.id}/copies`).set(bearer(caller)).send({ kind: 'copy' }).expect(404);

      const open = await createBot(ctx, {
        ownerId: owner.user.id,
        name: 'Open Book',
        visibility: ResourceVisibility.Public,
        allowCopying: true,
        definitionVisibility: BotDefinitionVisibility.Viewers,
        tags: ['fantasy'],
      });
      await api().post(`/api/v1/bots/${open.id}/copies`).set(bearer(caller)).send({ kind: 'remix' }).expect(403);
      const copy = await api()
        .post(`/api/v1/bots/${open.id}/copies`)
        .set(bearer(caller))
        .send({ kind: 'copy' })
        .expect(201);
      expect(copy.body.my_access).toBe('owner');
      expect(copy.body.creator.id).toBe(caller.user.id);
      expect(copy.body.sharing.visibility).toBe('private');
      expect(copy.body.tags).toEqual(['fantasy']);
      expect(copy.body.system_prompt).toBe(open.systemPrompt);
      expect(copy.body.attribution).toEqual({
        text: `based on Open Book by @${owner.user.username}`,
        forked_from_bot_id: open.id,
        fork_kind: 'copy',
      });
      expect((await ctx.ds.getRepository(Bot).findOneByOrFail({ id: open.id })).copyCount).toBe(1);
      await api()
        .patch(`/api/v1/bots/${copy.body.id}`)
        .set(bearer(caller))
        .send({ visibility: 'public' })
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('COPY_NOT_PUBLISHABLE'));

      // remix is publishable; the owner may copy their own bot without allow_copying
      await ctx.ds.getRepository(Bot).update({ id: open.id }, { allowRemixing: true });
      const remix = await api()
        .post(`/api/v1/bots/${open.id}/copies`)
        .set(bearer(caller))
        .send({ kind: 'remix', name: 'My Remix' })
        .expect(201);
      expect(remix.body.slug).toBe('my-remix');
      await api().patch(`/api/v1/bots/${remix.body.id}`).set(bearer(caller)).send({ visibility: 'public' }).expect(200);
      await api().post(`/api/v1/bots/${closed.id}/copies`).set(bearer(owner)).send({ kind: 'copy' }).expect(201);
      // a viewer whose definition is hidden cannot copy
      const sharedBot = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Shared,
        allowCopying: true,
        definitionVisibility: BotDefinitionVisibility.Viewers,
      });
      await api().post(`/api/v1/bots/${sharedBot.id}/copies`).set(bearer(caller)).send({ kind: 'copy' }).expect(404);
      await createGrant(ctx, { bot: sharedBot, granteeId: caller.user.id });
      await api().post(`/api/v1/bots/${sharedBot.id}/copies`).set(bearer(caller)).send({ kind: 'copy' }).expect(201);
      // moderators' reading is not a grant (README decision 16)
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      await api().post(`/api/v1/bots/${sharedBot.id}/copies`).set(bearer(mod)).send({ kind: 'copy' }).expect(403);
    });

    it('8. private suspends grants; shared again restores them without re-granting', async () => {
      const owner = await createUser(ctx);
      const grantee = await createUser(ctx);
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      await createGrant(ctx, { bot, granteeId: grantee.user.id });
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(grantee)).expect(200);
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(owner)).send({ visibility: 'private' }).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(grantee)).expect(404);
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(owner)).send({ visibility: 'shared' }).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(grantee)).expect(200);
    });

    it('9. deleting a bot removes interactions and grants; copies survive with their attribution', async () => {
      const owner = await createUser(ctx);
      const other = await createUser(ctx);
      const bot = await createBot(ctx, {
        ownerId: owner.user.id,
        name: 'Doomed',
        visibility: ResourceVisibility.Public,
        allowCopying: true,
        definitionVisibility: BotDefinitionVisibility.Viewers,
      });
      await api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(other)).expect(200);
      await createGrant(ctx, { bot, granteeId: other.user.id, level: GrantLevel.View });
      const copy = await api()
        .post(`/api/v1/bots/${bot.id}/copies`)
        .set(bearer(other))
        .send({ kind: 'copy' })
        .expect(201);
      await api().delete(`/api/v1/bots/${bot.id}`).set(bearer(other)).expect(403);
      await api().delete(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(204);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(404);
      expect(await ctx.ds.getRepository(BotInteraction).countBy({ botId: bot.id })).toBe(0);
      expect(await ctx.ds.getRepository(AccessGrant).countBy({ botId: bot.id })).toBe(0);
      const survivor = await api().get(`/api/v1/bots/${copy.body.id}`).set(bearer(other)).expect(200);
      expect(survivor.body.attribution).toEqual({
        text: `based on Doomed by @${owner.user.username}`,
        forked_from_bot_id: null,
        fork_kind: 'copy',
      });
      await api().delete(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(404);
    });

    it('10. backrooms needs the mature opt-in; opted-in users get backrooms + both only', async () => {
      const owner = await createUser(ctx);
      const mainBot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      const both = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Public,
        venue: BotVenue.Both,
      });
      const back = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Public,
        venue: BotVenue.Backrooms,
      });
      await api()
        .get('/api/v1/bots?venue=backrooms')
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('MATURE_CONTENT_NOT_ENABLED'));
      const plain = await createUser(ctx);
      await api().get('/api/v1/bots?venue=backrooms').set(bearer(plain)).expect(403);
      const adult = await createUser(ctx, { matureContentOptInAt: new Date() });
      const res = await api()
        .get(`/api/v1/bots?venue=backrooms&creator=${owner.user.username}`)
        .set(bearer(adult))
        .expect(200);
      expect(ids(res.body).sort()).toEqual([both.id, back.id].sort());
      const main = await api().get(`/api/v1/bots?creator=${owner.user.username}`).expect(200);
      expect(ids(main.body).sort()).toEqual([mainBot.id, both.id].sort());
      // anonymous creator pages only show main/both too
      const page = await api().get(`/api/v1/creators/${owner.user.username}/bots`).expect(200);
      expect(ids(page.body).sort()).toEqual([mainBot.id, both.id].sort());
    });
  });

  describe('§2 interactions', () => {
    it('favourites are idempotent, the row disappears when both flags are false, unreadable bots are 404', async () => {
      const owner = await createUser(ctx);
      const u = await createUser(ctx);
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      await api()
        .put(`/api/v1/bots/${bot.id}/favorite`)
        .set(bearer(u))
        .expect(200, { favorited: true, favorites_count: 1 });
      await api()
        .put(`/api/v1/bots/${bot.id}/favorite`)
        .set(bearer(u))
        .expect(200, { favorited: true, favorites_count: 1 });
      await api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(u)).expect(200);
      const state = await api().get(`/api/v1/bots/${bot.id}/interaction`).set(bearer(u)).expect(200);
      expect(state.body).toMatchObject({ liked: true, favorited: true });
      expect(state.body.liked_at).toBeTruthy();
      const card = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(u)).expect(200);
      expect(card.body.my_interaction).toEqual({ liked: true, favorited: true });
      await api()
        .delete(`/api/v1/bots/${bot.id}/favorite`)
        .set(bearer(u))
        .expect(200, { favorited: false, favorites_count: 0 });
      expect(await ctx.ds.getRepository(BotInteraction).countBy({ botId: bot.id, userId: u.user.id })).toBe(1);
      await api().delete(`/api/v1/bots/${bot.id}/like`).set(bearer(u)).expect(200);
      expect(await ctx.ds.getRepository(BotInteraction).countBy({ botId: bot.id, userId: u.user.id })).toBe(0);

      const priv = await createBot(ctx, { ownerId: owner.user.id });
      await api().put(`/api/v1/bots/${priv.id}/like`).set(bearer(u)).expect(404);
      await api().put(`/api/v1/bots/${priv.id}/favorite`).set(bearer(u)).expect(404);
      await api().get(`/api/v1/bots/${priv.id}/interaction`).set(bearer(u)).expect(404);
      await api().put(`/api/v1/bots/${randomUUID()}/like`).set(bearer(u)).expect(404);
      await api().put(`/api/v1/bots/${bot.id}/like`).expect(401);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      await api().put(`/api/v1/bots/${priv.id}/like`).set(bearer(mod)).expect(403);
    });

    it('liked / favorited filters list my interactions', async () => {
      const owner = await createUser(ctx);
      const u = await createUser(ctx);
      const [a, b] = [
        await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public }),
        await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public }),
      ];
      await api().put(`/api/v1/bots/${a.id}/like`).set(bearer(u)).expect(200);
      await api().put(`/api/v1/bots/${b.id}/favorite`).set(bearer(u)).expect(200);
      const liked = await api()
        .get(`/api/v1/bots?liked=true&creator=${owner.user.username}`)
        .set(bearer(u))
        .expect(200);
      expect(ids(liked.body)).toEqual([a.id]);
      const fav = await api()
        .get(`/api/v1/bots?favorited=true&creator=${owner.user.username}`)
        .set(bearer(u))
        .expect(200);
      expect(ids(fav.body)).toEqual([b.id]);
      await api().get('/api/v1/bots?liked=true').expect(401);
    });
  });

  describe('create / update rules', () => {
    it('publishing needs a verified email; first publication sets published_at once', async () => {
      const unverified = await createUser(ctx, { emailVerifiedAt: null });
      await api()
        .post('/api/v1/bots')
        .set(bearer(unverified))
        .send({ name: 'X', system_prompt: 'x', visibility: 'public' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('EMAIL_NOT_VERIFIED'));
      const draft = await newBot(unverified);
      await api().patch(`/api/v1/bots/${draft.id}`).set(bearer(unverified)).send({ visibility: 'public' }).expect(403);
      await api().patch(`/api/v1/bots/${draft.id}`).set(bearer(unverified)).send({ visibility: 'shared' }).expect(200);

      const owner = await createUser(ctx);
      const bot = await newBot(owner, { visibility: 'public' });
      expect(bot.published_at).toBeTruthy();
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(owner)).send({ visibility: 'private' }).expect(200);
      const again = await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(owner))
        .send({ visibility: 'public' })
        .expect(200);
      expect(again.body.published_at).toBe(bot.published_at);
    });

    it('stores every content field and normalises tags', async () => {
      const owner = await createUser(ctx);
      const bot = await newBot(owner, {
        name: '  Captain Mira  ',
        gender: 'female',
        age: 9000,
        description: 'A sky pirate.',
        greeting: 'Ahoy!',
        alternate_greetings: ['Hello', 'Hi'],
        speech_examples: ['Arr'],
        signature_phrases: ['Full sail!'],
        tone: 'playful',
        formality: 'very_casual',
        humor: 'dark',
        communication: 'storytelling',
        response_length: 'long',
        creativity: 'highly_creative',
        knowledge_sharing: 'generous',
        tags: ['Pirates', ' Sky '],
        classifications: ['fantasy_rpg', 'oc'],
        venue: 'both',
        backrooms_classifications: ['deep_lore'],
      });
      expect(bot).toMatchObject({
        name: 'Captain Mira',
        slug: 'captain-mira',
        gender: 'female',
        age: 9000,
        greeting: 'Ahoy!',
        alternate_greetings: ['Hello', 'Hi'],
        speech_examples: ['Arr'],
        signature_phrases: ['Full sail!'],
        traits: { tone: 'playful', formality: 'very_casual', humor: 'dark', communication: 'storytelling' },
        behavior: { response_length: 'long', creativity: 'highly_creative', knowledge_sharing: 'generous' },
        tags: ['pirates', 'sky'],
        classifications: ['fantasy_rpg', 'oc'],
        venue: 'both',
        backrooms_classifications: ['deep_lore'],
      });
      expect(bot).not.toHaveProperty('import_metadata');
      const cleared = await api()
        .patch(`/api/v1/bots/${bot.id}`)
        .set(bearer(owner))
        .send({ description: null, gender: null, tags: [] })
        .expect(200);
      expect(cleared.body).toMatchObject({ description: null, gender: null, tags: [] });
    });

    it('uses only images the caller uploaded as picture', async () => {
      const owner = await createUser(ctx);
      await api()
        .post('/api/v1/bots')
        .set(bearer(owner))
        .send({ name: 'X', system_prompt: 'x', picture_media_id: randomUUID() })
        .expect(400)
        .expect(({ body }) => expect(body.code).toBe('MEDIA_NOT_USABLE'));
    });

    it('rejects bad input with 400 (never 500)', async () => {
      const owner = await createUser(ctx);
      const bot = await newBot(owner);
      const long = (n: number) => 'x'.repeat(n);
      const badCreates: Record<string, unknown>[] = [
        {},
        { system_prompt: 'x' },
        { name: 'X' },
        { name: 123, system_prompt: 'x' },
        { name: '   ', system_prompt: 'x' },
        { name: long(101), system_prompt: 'x' },
        { name: 'X', system_prompt: '' },
        { name: 'X', system_prompt: long(32001) },
        { name: 'X', system_prompt: 'x', description: long(5001) },
        { name: 'X', system_prompt: 'x', greeting: long(10001) },
        { name: 'X', system_prompt: 'x', alternate_greetings: Array(20).fill('hi') },
        { name: 'X', system_prompt: 'x', alternate_greetings: 'hi' },
        { name: 'X', system_prompt: 'x', speech_examples: [long(2001)] },
        { name: 'X', system_prompt: 'x', signature_phrases: Array(21).fill('a') },
        { name: 'X', system_prompt: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        { name: 'X', system_prompt: 'x', tags: ['a', 'A'] },
        { name: 'X', system_prompt: 'x', tags: [long(41)] },
        { name: 'X', system_prompt: 'x', tags: [''] },
        { name: 'X', system_prompt: 'x', classifications: ['nope'] },
        { name: 'X', system_prompt: 'x', classifications: ['oc', 'oc'] },
        { name: 'X', system_prompt: 'x', gender: 'robot' },
        { name: 'X', system_prompt: 'x', age: 0 },
        { name: 'X', system_prompt: 'x', age: 10000 },
        { name: 'X', system_prompt: 'x', age: 'old' },
        { name: 'X', system_prompt: 'x', tone: 'grumpy' },
        { name: 'X', system_prompt: 'x', venue: 'attic' },
        { name: 'X', system_prompt: 'x', backrooms_classifications: ['spicy'] },
        { name: 'X', system_prompt: 'x', allow_remixing: true },
        { name: 'X', system_prompt: 'x', allow_copying: true },
        { name: 'X', system_prompt: 'x', allow_copying: 'yes' },
        { name: 'X', system_prompt: 'x', visibility: 'secret' },
        { name: 'X', system_prompt: 'x', slug: 'Not A Slug' },
        { name: 'X', system_prompt: 'x', slug: long(81) },
        { name: 'X', system_prompt: 'x', max_collaborators: 0 },
        { name: 'X', system_prompt: 'x', max_collaborators: 51 },
        { name: 'X', system_prompt: 'x', default_collaborator_level: 'owner' },
        { name: 'X', system_prompt: 'x', share_expires_at: 'tomorrow' },
        { name: 'X', system_prompt: 'x', picture_media_id: 'not-a-uuid' },
        { name: 'X', system_prompt: 'x', owner_id: randomUUID() },
        { name: 'X', system_prompt: 'x', likes_count: 5 },
        { name: 'X', system_prompt: 'x', import_metadata: {} },
      ];
      for (const body of badCreates) {
        const res = await api().post('/api/v1/bots').set(bearer(owner)).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
      }
      const badPatches: Record<string, unknown>[] = [
        { name: null },
        { system_prompt: null },
        { name: '' },
        { visibility: null },
        { allow_copying: null },
        { is_featured: true },
        { moderation_status: 'visible' },
        { attribution_text: 'mine' },
        { age: -1 },
        { backrooms_classifications: ['spicy'] },
      ];
      for (const body of badPatches) {
        const res = await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(owner)).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      await api().patch('/api/v1/bots/not-a-uuid').set(bearer(owner)).send({ name: 'x' }).expect(400);
      await api().patch(`/api/v1/bots/${randomUUID()}`).set(bearer(owner)).send({ name: 'x' }).expect(404);
      await api().get('/api/v1/bots/not-a-uuid').expect(400);
      await api().post(`/api/v1/bots/${bot.id}/copies`).set(bearer(owner)).send({}).expect(400);
      await api().post(`/api/v1/bots/${bot.id}/copies`).set(bearer(owner)).send({ kind: 'steal' }).expect(400);
      await api().post(`/api/v1/bots/${bot.id}/copies`).set(bearer(owner)).send({ kind: 'copy', x: 1 }).expect(400);
      await api().post(`/api/v1/bots/${randomUUID()}/copies`).set(bearer(owner)).send({ kind: 'copy' }).expect(404);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      await api().put(`/api/v1/bots/${bot.id}/moderation`).set(bearer(mod)).send({ status: 'hidden' }).expect(400);
      await api()
        .put(`/api/v1/bots/${bot.id}/moderation`)
        .set(bearer(mod))
        .send({ status: 'gone', reason: 'x' })
        .expect(400);
      await api()
        .put(`/api/v1/bots/${bot.id}/feature`)
        .set(bearer(mod))
        .send({ reason: long(501) })
        .expect(400);
      for (const q of [
        'limit=51',
        'limit=0',
        'limit=x',
        'cursor=%%%',
        'cursor=abc',
        'sort=best',
        'venue=attic',
        'scope=all',
        'gender=x',
        'featured=maybe',
        'classifications=nope',
        'moderation=visible',
      ]) {
        const res = await api().get(`/api/v1/bots?${q}`);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
    });

    it('requires a token on every write and personal list (401)', async () => {
      const id = randomUUID();
      await api().post('/api/v1/bots').send({ name: 'X', system_prompt: 'x' }).expect(401);
      await api().patch(`/api/v1/bots/${id}`).send({ name: 'X' }).expect(401);
      await api().delete(`/api/v1/bots/${id}`).expect(401);
      await api().post(`/api/v1/bots/${id}/copies`).send({ kind: 'copy' }).expect(401);
      await api().put(`/api/v1/bots/${id}/favorite`).expect(401);
      await api().get(`/api/v1/bots/${id}/interaction`).expect(401);
      await api().put(`/api/v1/bots/${id}/feature`).send({}).expect(401);
      await api().put(`/api/v1/bots/${id}/moderation`).send({ status: 'hidden', reason: 'x' }).expect(401);
      await api().get('/api/v1/bots/mine').expect(401);
      await api().get('/api/v1/bots/shared-with-me').expect(401);
      await api().get('/api/v1/bots?scope=accessible').expect(401);
    });
  });

  describe('moderation', () => {
    it('hides a bot from everyone but owner and staff; the owner sees the reason and cannot undo it', async () => {
      const owner = await createUser(ctx);
      const fan = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const bot = await newBot(owner, { visibility: 'public' });
      await createGrant(ctx, {
        bot: Object.assign(new Bot(), { id: bot.id, ownerId: owner.user.id }),
        granteeId: fan.user.id,
      });
      await api()
        .put(`/api/v1/bots/${bot.id}/moderation`)
        .set(bearer(fan))
        .send({ status: 'hidden', reason: 'x' })
        .expect(403);
      const hidden = await api()
        .put(`/api/v1/bots/${bot.id}/moderation`)
        .set(bearer(mod))
        .send({ status: 'hidden', reason: 'Breaks rule 3' })
        .expect(200);
      expect(hidden.body.moderation).toMatchObject({
        status: 'hidden',
        reason: 'Breaks rule 3',
        moderated_by_id: mod.user.id,
      });
      await api().get(`/api/v1/bots/${bot.id}`).expect(404);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(fan)).expect(404);
      const ownerView = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(200);
      expect(ownerView.body.moderation).toEqual({ status: 'hidden', reason: 'Breaks rule 3' });
      const modView = await api().get(`/api/v1/bots/${bot.id}`).set(bearer(mod)).expect(200);
      expect(modView.body.my_access).toBe('moderation');
      expect(modView.body.system_prompt).toBe('You are Aria.');
      const list = await api().get(`/api/v1/bots?creator=${owner.user.username}`).expect(200);
      expect(ids(list.body)).toEqual([]);
      const modList = await api()
        .get(`/api/v1/bots?moderation=hidden&creator=${owner.user.username}`)
        .set(bearer(mod))
        .expect(200);
      expect(ids(modList.body)).toEqual([bot.id]);
      await api().get('/api/v1/bots?moderation=hidden').set(bearer(owner)).expect(403);
      await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(owner)).send({ moderation_status: 'visible' }).expect(400);
      await api().put(`/api/v1/bots/${bot.id}/moderation`).set(bearer(mod)).send({ status: 'visible' }).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).expect(200);
    });
  });

  describe('explore (§1.6)', () => {
    let creator: TestUser;
    let bots: Bot[];
    beforeAll(async () => {
      creator = await createUser(ctx);
      const base = { ownerId: creator.user.id, visibility: ResourceVisibility.Public };
      bots = [];
      const specs: Partial<Bot>[] = [
        {
          name: 'Alpha Dragon',
          description: 'fire breathing wyrm',
          tags: ['dragons', 'fire'],
          likesCount: 5,
          favoritesCount: 1,
        },
        {
          name: 'beta Knight',
          description: 'a noble knight',
          tags: ['knights'],
          likesCount: 9,
          favoritesCount: 7,
          isFeatured: true,
          featuredAt: new Date(),
        },
        {
          name: 'Gamma Witch',
          description: 'brews potions',
          tags: ['magic'],
          classifications: ['fantasy_rpg'] as never,
          likesCount: 1,
          favoritesCount: 3,
          gender: 'female' as never,
        },
        {
          name: 'Delta Robot',
          description: 'beep boop',
          tags: ['scifi'],
          classifications: ['gaming'] as never,
          likesCount: 7,
          favoritesCount: 0,
          gender: 'other' as never,
        },
        { name: 'Epsilon Dragon', description: 'ice dragon', tags: ['dragons'], likesCount: 3, favoritesCount: 9 },
      ];
      for (const [i, spec] of specs.entries()) {
        bots.push(await createBot(ctx, { ...base, ...spec, publishedAt: new Date(Date.UTC(2026, 0, 1 + i)) }));
      }
    });
    const explore = (q: string, u?: TestUser) => {
      const r = api().get(`/api/v1/bots?creator=${creator.user.username}&${q}`);
      return u ? r.set(bearer(u)) : r;
    };
    const names = (body: { items: { name: string }[] }) => body.items.map((b) => b.name);

    it('sorts: recent (default), popular, favorites, name, name_desc', async () => {
      expect(names((await explore('').expect(200)).body)).toEqual([
        'Epsilon Dragon',
        'Delta Robot',
        'Gamma Witch',
        'beta Knight',
        'Alpha Dragon',
      ]);
      expect(names((await explore('sort=popular').expect(200)).body)[0]).toBe('beta Knight');
      expect(names((await explore('sort=favorites').expect(200)).body)[0]).toBe('Epsilon Dragon');
      expect(names((await explore('sort=name').expect(200)).body)).toEqual([
        'Alpha Dragon',
        'beta Knight',
        'Delta Robot',
        'Epsilon Dragon',
        'Gamma Witch',
      ]);
      expect(names((await explore('sort=name_desc').expect(200)).body)[0]).toBe('Gamma Witch');
    });

    it('pages every sort with keyset cursors, without gaps or duplicates', async () => {
      for (const sort of ['recent', 'popular', 'favorites', 'name', 'name_desc', 'random']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let seed: string | undefined;
        do {
          const q: string =
            `sort=${sort}&limit=2` + (cursor ? `&cursor=${cursor}` : '') + (seed ? `&seed=${seed}` : '');
          const res = await explore(q).expect(200);
          seen.push(...ids(res.body));
          cursor = res.body.next_cursor;
          seed = res.body.seed;
          if (sort === 'random') expect(seed).toBeTruthy();
        } while (cursor);
        expect({ sort, ids: [...seen].sort() }).toEqual({ sort, ids: bots.map((b) => b.id).sort() });
      }
    });

    it('random sort is stable for one seed and echoes it', async () => {
      const a = await explore('sort=random&seed=42').expect(200);
      const b = await explore('sort=random&seed=42').expect(200);
      expect(a.body.seed).toBe('42');
      expect(ids(a.body)).toEqual(ids(b.body));
    });

    it('filters: q, tags, classifications, gender, featured', async () => {
      expect(names((await explore('q=dragon').expect(200)).body).sort()).toEqual(['Alpha Dragon', 'Epsilon Dragon']);
      expect(names((await explore('q=potions').expect(200)).body)).toEqual(['Gamma Witch']);
      expect(names((await explore('tags=knights,magic').expect(200)).body).sort()).toEqual([
        'Gamma Witch',
        'beta Knight',
      ]);
      expect(names((await explore('tags=DRAGONS').expect(200)).body)).toHaveLength(2);
      expect(names((await explore('classifications=gaming').expect(200)).body)).toEqual(['Delta Robot']);
      expect(names((await explore('gender=female').expect(200)).body)).toEqual(['Gamma Witch']);
      expect(names((await explore('featured=true').expect(200)).body)).toEqual(['beta Knight']);
      expect(names((await explore('featured=false').expect(200)).body)).toHaveLength(4);
      expect((await api().get('/api/v1/bots?creator=nobody_here_zz').expect(200)).body.items).toEqual([]);
    });

    it('scope=accessible adds my own and granted bots', async () => {
      const me = await createUser(ctx);
      const mine = await createBot(ctx, { ownerId: creator.user.id });
      const other = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Shared });
      await createGrant(ctx, { bot: other, granteeId: me.user.id });
      const res = await explore('scope=accessible', me).expect(200);
      expect(ids(res.body)).toContain(other.id);
      expect(ids(res.body)).not.toContain(mine.id);
      const own = await explore('scope=accessible', creator).expect(200);
      expect(ids(own.body)).toEqual(expect.arrayContaining([mine.id, other.id]));
      const card = res.body.items.find((b: { id: string }) => b.id === other.id);
      expect(card.my_access).toBe('view');
      expect(card).not.toHaveProperty('system_prompt');
    });

    it('cards carry the public card fields only', async () => {
      const res = await explore('limit=1').expect(200);
      const card = res.body.items[0];
      expect(Object.keys(card).sort()).toEqual(
        [
          'age',
          'backrooms_classifications',
          'classifications',
          'counters',
          'creator',
          'description',
          'gender',
          'id',
          'is_featured',
          'my_access',
          'name',
          'picture_url',
          'published_at',
          'slug',
          'tags',
          'venue',
        ].sort(),
      );
      expect(card.creator).toEqual({
        id: creator.user.id,
        username: creator.user.username,
        display_name: creator.user.username,
        avatar_url: null,
      });
    });

    it('an explore page of 20 costs a constant number of queries (no N+1)', async () => {
      const viewer = await createUser(ctx);
      const many = await createUser(ctx);
      const manyBots: Bot[] = [];
      for (let i = 0; i < 22; i += 1) {
        const owner = i % 2 ? many : await createUser(ctx);
        manyBots.push(
          await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public, tags: ['nplus1'] }),
        );
      }
      for (const b of manyBots.slice(0, 10)) {
        await api().put(`/api/v1/bots/${b.id}/like`).set(bearer(viewer)).expect(200);
        await createGrant(ctx, { bot: b, granteeId: viewer.user.id, level: GrantLevel.Edit });
      }
      const qr = ctx.ds.createQueryRunner();
      const proto = Object.getPrototypeOf(qr) as { query: (...args: unknown[]) => Promise<unknown> };
      await qr.release();
      const original = proto.query;
      let count = 0;
      proto.query = function (this: unknown, ...args: unknown[]) {
        count += 1;
        return original.apply(this, args);
      };
      try {
        const measure = async (q: string) => {
          count = 0;
          const res = await api().get(`/api/v1/bots?${q}`).set(bearer(viewer)).expect(200);
          return { count, n: res.body.items.length };
        };
        const full = await measure('tags=nplus1&limit=20');
        const small = await measure('tags=nplus1&limit=2');
        const empty = await measure('tags=nothing-here');
        expect(full.n).toBe(20);
        expect(small.n).toBe(2);
        expect(full.count).toBe(small.count);
        expect(full.count).toBeGreaterThanOrEqual(3);
        expect(full.count).toBeLessThanOrEqual(8);
        expect(empty.count).toBeLessThanOrEqual(full.count);
      } finally {
        proto.query = original;
      }
    });

    it('lists read card columns only, in one query with the creator profile name; the detail reads the whole bot', async () => {
      const maker = await createCreator(ctx, { profile: { displayName: 'Studio Lantern' } });
      const bot = await createBot(ctx, {
        ownerId: maker.user.id,
        visibility: ResourceVisibility.Public,
        definitionVisibility: BotDefinitionVisibility.Viewers,
        tags: ['cardquery'],
        systemPrompt: 'SECRET-PROMPT '.repeat(100),
        greeting: 'Hello there',
      });
      const qr = ctx.ds.createQueryRunner();
      const proto = Object.getPrototypeOf(qr) as { query: (...args: unknown[]) => Promise<unknown> };
      await qr.release();
      const original = proto.query;
      const sql: string[] = [];
      proto.query = function (this: unknown, ...args: unknown[]) {
        sql.push(String(args[0]));
        return original.apply(this, args);
      };
      const creatorCard = {
        id: maker.user.id,
        username: maker.user.username,
        display_name: 'Studio Lantern',
        avatar_url: null,
      };
      try {
        const lists = [
          () => api().get('/api/v1/bots?tags=cardquery'),
          () => api().get('/api/v1/bots/mine').set(bearer(maker)),
          () => api().get(`/api/v1/creators/${maker.user.username}/bots`),
        ];
        for (const list of lists) {
          sql.length = 0;
          const res = await list().expect(200);
          const card = res.body.items.find((b: { id: string }) => b.id === bot.id);
          expect(card.creator).toEqual(creatorCard);
          expect(card).not.toHaveProperty('system_prompt');
          const botQueries = sql.filter((q) => q.includes('"bots"'));
          expect(botQueries.length).toBeGreaterThan(0);
          for (const q of botQueries) expect(q).not.toMatch(/system_prompt|greeting|speech_examples|signature_phrases/);
          expect(sql.some((q) => q.includes('FROM creator_profiles WHERE user_id = ANY'))).toBe(false);
        }
        sql.length = 0;
        const detail = await api().get(`/api/v1/bots/${bot.id}`).expect(200);
        expect(detail.body.creator).toEqual(creatorCard);
        expect(detail.body.system_prompt).toBe(bot.systemPrompt);
        expect(detail.body.greeting).toBe('Hello there');
        expect(sql.some((q) => q.includes('FROM creator_profiles WHERE user_id = ANY'))).toBe(false);
      } finally {
        proto.query = original;
      }
    });
  });

  describe('mine, shared-with-me, creator pages', () => {
    it('lists my bots, my collaborations and what is shared with me', async () => {
      const owner = await createUser(ctx);
      const me = await createUser(ctx);
      const own = await newBot(me, { name: 'Mine' });
      const edit = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Shared,
        allowCollaboration: true,
      });
      const view = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const suspended = await createBot(ctx, { ownerId: owner.user.id });
      await createGrant(ctx, { bot: edit, granteeId: me.user.id, level: GrantLevel.Edit });
      await createGrant(ctx, { bot: view, granteeId: me.user.id, level: GrantLevel.View });
      await createGrant(ctx, { bot: suspended, granteeId: me.user.id, level: GrantLevel.Edit });
      expect(ids((await api().get('/api/v1/bots/mine').set(bearer(me)).expect(200)).body)).toEqual([own.id]);
      expect(ids((await api().get('/api/v1/bots/mine?role=collaborator').set(bearer(me)).expect(200)).body)).toEqual([
        edit.id,
      ]);
      expect(ids((await api().get('/api/v1/bots/shared-with-me').set(bearer(me)).expect(200)).body).sort()).toEqual(
        [edit.id, view.id].sort(),
      );
      await api().get('/api/v1/bots/mine?role=boss').set(bearer(me)).expect(400);
      const page = await api().get(`/api/v1/creators/${owner.user.username}/bots`).set(bearer(me)).expect(200);
      expect(ids(page.body).sort()).toEqual([edit.id, view.id].sort());
      const ownPage = await api().get(`/api/v1/creators/${owner.user.username}/bots`).set(bearer(owner)).expect(200);
      expect(ids(ownPage.body)).toHaveLength(3);
      await api().get(`/api/v1/creators/nobody_x_y/bots`).expect(404);
    });
  });

  describe('views (decision 17)', () => {
    it('counts one view per viewer per 10 minutes, not the owner, and flushes idempotently', async () => {
      const owner = await createUser(ctx);
      const [u1, u2] = [await createUser(ctx), await createUser(ctx)];
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(owner)).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(u1)).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).set(bearer(u1)).expect(200);
      await api().get(`/api/v1/creators/${owner.user.username}/bots/${bot.slug}`).set(bearer(u2)).expect(200);
      await api().get(`/api/v1/bots/${bot.id}`).expect(200); // anonymous, by IP
      await api().get(`/api/v1/bots/${bot.id}`).expect(200);
      await flushViews();
      const after = await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id });
      expect(after.viewCount).toBe('3');
      expect(after.lastViewedAt).toBeTruthy();
      await flushViews();
      expect((await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id })).viewCount).toBe('3');
      const res = await api().get(`/api/v1/bots/${bot.id}`).expect(200);
      expect(res.body.counters.view_count).toBe(3);
    });

    it('reconcile-counters fixes drifted like counts', async () => {
      const owner = await createUser(ctx);
      const u = await createUser(ctx);
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      await api().put(`/api/v1/bots/${bot.id}/like`).set(bearer(u)).expect(200);
      await ctx.ds.getRepository(Bot).update({ id: bot.id }, { likesCount: 40, favoritesCount: 3 });
      await ctx.app.get(BotsProcessor).handle({ name: 'bots.reconcile-counters', payload: {} });
      const row = await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id });
      expect([row.likesCount, row.favoritesCount]).toEqual([1, 0]);
    });
  });

  describe('sort=recently_chatted (bots.md §1.6)', () => {
    it('lists only the bots the caller chatted with, latest conversation first, page by page; anonymous → 401', async () => {
      const owner = await createUser(ctx);
      const chatter = await createUser(ctx);
      const [a, b, c, never] = await Promise.all(
        ['A', 'B', 'C', 'N'].map((name) =>
          createBot(ctx, { ownerId: owner.user.id, name, visibility: ResourceVisibility.Public }),
        ),
      );
      for (const bot of [a, b, c]) await createConversation(ctx, chatter.token, { bot_ids: [bot.id] });
      // someone else's conversation with `never` must not count for the chatter
      await createConversation(ctx, owner.token, { bot_ids: [never.id] });
      // activity in A's conversation moves it to the front
      const [convA] = await ctx.ds.query(
        `SELECT c.id FROM conversations c JOIN conversation_participants p ON p.conversation_id = c.id
          WHERE p.bot_id = $1 AND c.owner_user_id = $2`,
        [a.id, chatter.user.id],
      );
      await ctx.ds.query(`UPDATE conversations SET last_activity_at = now() + interval '1 minute' WHERE id = $1`, [
        convA.id,
      ]);

      const first = await api().get('/api/v1/bots?sort=recently_chatted&limit=2').set(bearer(chatter)).expect(200);
      expect(ids(first.body)).toEqual([a.id, c.id]);
      const second = await api()
        .get(`/api/v1/bots?sort=recently_chatted&limit=2&cursor=${first.body.next_cursor}`)
        .set(bearer(chatter))
        .expect(200);
      expect(ids(second.body)).toEqual([b.id]);
      expect(second.body.next_cursor).toBeNull();
      await api().get('/api/v1/bots?sort=recently_chatted').expect(401);
      const ownerView = await api().get('/api/v1/bots?sort=recently_chatted').set(bearer(owner)).expect(200);
      expect(ids(ownerView.body)).toEqual([never.id]);
    });
  });
});
