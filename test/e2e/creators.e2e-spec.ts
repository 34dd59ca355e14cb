import request from 'supertest';
import {
  AccessResourceType,
  GrantLevel,
  GrantMethod,
  ResourceVisibility,
} from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { CreatorFollow } from '../../src/modules/creators/entities/creator-follow.entity.js';
import { CreatorProfile } from '../../src/modules/creators/entities/creator-profile.entity.js';
import { CreatorProfileVisibility, CreatorVerification } from '../../src/modules/creators/entities/creator.enums.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { createBot } from '../factories/bot.factory.js';
import { createCreator, createPublicBot } from '../factories/creator.factory.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx?.close());

const api = (path: string) => `/api/v1${path}`;
const profileBody = { display_name: 'Mira Studio', bio: 'Bots with heart.' };

describe('POST /creators', () => {
  it('creates once, promotes user → creator, second POST → 409 PROFILE_EXISTS (check 1.1)', async () => {
    const { user, token } = await createUser(ctx);
    const res = await request(ctx.http)
      .post(api('/creators'))
      .auth(token, { type: 'bearer' })
      .send(profileBody)
      .expect(201);
    expect(res.body).toMatchObject({
      username: user.username,
      display_name: 'Mira Studio',
      verification_status: 'unverified',
    });
    const after = await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id });
    expect(after.role).toBe(UserRole.Creator);
    await request(ctx.http)
      .post(api('/creators'))
      .auth(token, { type: 'bearer' })
      .send(profileBody)
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('PROFILE_EXISTS'));
  });

  it('never demotes a moderator, and counts existing public bots', async () => {
    const { user, token } = await createUser(ctx, { role: UserRole.Moderator });
    await createBot(ctx, { ownerId: user.id, visibility: ResourceVisibility.Public });
    const res = await request(ctx.http)
      .post(api('/creators'))
      .auth(token, { type: 'bearer' })
      .send(profileBody)
      .expect(201);
    expect(res.body.public_bot_count).toBe(1);
    expect((await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id })).role).toBe(UserRole.Moderator);
  });

  it('refuses unverified emails (403), anonymous (401) and bad bodies (400)', async () => {
    const unverified = await createUser(ctx, { emailVerifiedAt: null });
    await request(ctx.http)
      .post(api('/creators'))
      .auth(unverified.token, { type: 'bearer' })
      .send(profileBody)
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('EMAIL_NOT_VERIFIED'));
    await request(ctx.http).post(api('/creators')).send(profileBody).expect(401);
    const { token } = await createUser(ctx);
    for (const body of [
      {},
      { ...profileBody, display_name: '   ' },
      { ...profileBody, specialties: ['cooking'] },
      { ...profileBody, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { ...profileBody, languages: ['not a tag!'] },
      { ...profileBody, unknown_field: 1 },
      { ...profileBody, follower_count: 5 },
      { ...profileBody, avatar_media_id: 'nope' },
    ]) {
      await request(ctx.http).post(api('/creators')).auth(token, { type: 'bearer' }).send(body).expect(400);
    }
    await request(ctx.http)
      .post(api('/creators'))
      .auth(token, { type: 'bearer' })
      .send({ ...profileBody, avatar_media_id: '00000000-0000-4000-8000-000000000000' })
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('MEDIA_NOT_USABLE'));
  });
});

describe('GET /creators/me and /creators/{username}', () => {
  it('me → 404 without a profile, 200 with one; 401 anonymous', async () => {
    const { token } = await createUser(ctx);
    await request(ctx.http).get(api('/creators/me')).auth(token, { type: 'bearer' }).expect(404);
    await request(ctx.http).get(api('/creators/me')).expect(401);
    const c = await createCreator(ctx);
    await request(ctx.http)
      .get(api('/creators/me'))
      .auth(c.token, { type: 'bearer' })
      .expect(200)
      .expect(({ body }) => expect(body.id).toBe(c.profile.id));
  });

  it('private profile: stranger 404, owner 200, absent from the directory (check 1.3)', async () => {
    const c = await createCreator(ctx, { profile: { profileVisibility: CreatorProfileVisibility.Private } });
    const stranger = await createUser(ctx);
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(404);
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(stranger.token, { type: 'bearer' })
      .expect(404);
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .expect(200);
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(mod.token, { type: 'bearer' })
      .expect(200);
    const list = await request(ctx.http).get(api('/creators?sort=recent&limit=100')).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(c.profile.id);
  });

  it('unlisted is readable by link but not listed; hidden is 404 to all but owner and staff', async () => {
    const unlisted = await createCreator(ctx, { profile: { profileVisibility: CreatorProfileVisibility.Unlisted } });
    await request(ctx.http)
      .get(api(`/creators/${unlisted.user.username}`))
      .expect(200);
    const list = await request(ctx.http).get(api('/creators?sort=recent&limit=100')).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(unlisted.profile.id);

    const c = await createCreator(ctx);
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/moderation`))
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'hidden' })
      .expect(400);
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/moderation`))
      .auth(c.token, { type: 'bearer' })
      .send({ status: 'hidden', reason: 'x' })
      .expect(403);
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/moderation`))
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'hidden', reason: 'spam' })
      .expect(200);
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(404);
    const own = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .expect(200);
    expect(own.body.moderation_reason).toBe('spam');
  });

  it('answers 400 for a malformed handle and 404 for a reserved or unknown one', async () => {
    await request(ctx.http).get(api('/creators/Not%20A%20Handle')).expect(400);
    await request(ctx.http).get(api('/creators/explore')).expect(404);
    await request(ctx.http).get(api('/creators/nobody_here_123')).expect(404);
  });

  it('hides verification_note and moderation_reason from the public', async () => {
    const c = await createCreator(ctx, { profile: { verificationNote: 'internal' } });
    const pub = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(200);
    expect(pub.body.verification_note).toBeNull();
    expect(pub.body.following).toBeNull();
    const own = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .expect(200);
    expect(own.body.verification_note).toBe('internal');
  });
});

describe('PATCH /creators/{username}', () => {
  it.each([
    ['verification_status', 'verified'],
    ['follower_count', 999],
    ['is_featured', true],
    ['public_bot_count', 5],
    ['moderation_status', 'visible'],
  ])('owner writing %s → 403 naming the field, nothing changes (check 1.2)', async (field, value) => {
    const c = await createCreator(ctx);
    const res = await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .send({ bio: 'changed', [field]: value })
      .expect(403);
    expect(res.body.code).toBe('FIELD_NOT_WRITABLE');
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    const row = await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id });
    expect(row.bio).toBe(c.profile.bio);
    expect(row.verificationStatus).toBe(CreatorVerification.Unverified);
  });

  it('owner updates content; 400 on bad input; 401 anonymous; 403 stranger; 404 private to stranger', async () => {
    const c = await createCreator(ctx);
    const res = await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .send({ bio: 'New bio', tags: ['Fantasy', 'rpg'], specialties: ['gaming'], experience_level: 'expert' })
      .expect(200);
    expect(res.body).toMatchObject({ bio: 'New bio', tags: ['fantasy', 'rpg'], specialties: ['gaming'] });
    expect(res.body.last_active_at).not.toBeNull();
    await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .send({ bio: '' })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .send({ specialties: Array(11).fill('gaming') })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .send({ bio: 'x' })
      .expect(401);
    const stranger = await createUser(ctx);
    await request(ctx.http)
      .patch(api(`/creators/${c.user.username}`))
      .auth(stranger.token, { type: 'bearer' })
      .send({ bio: 'x' })
      .expect(403);
    const priv = await createCreator(ctx, { profile: { profileVisibility: CreatorProfileVisibility.Private } });
    await request(ctx.http)
      .patch(api(`/creators/${priv.user.username}`))
      .auth(stranger.token, { type: 'bearer' })
      .send({ bio: 'x' })
      .expect(404);
  });

  it('an edit grant changes the bio (200) but not profile_visibility (403) (check 1.7)', async () => {
    const studio = await createCreator(ctx, { profile: { creatorType: 'studio' as never } });
    const member = await createUser(ctx);
    await ctx.ds.getRepository(AccessGrant).save({
      resourceType: AccessResourceType.CreatorProfile,
      creatorProfileId: studio.profile.id,
      granteeId: member.user.id,
      level: GrantLevel.Edit,
      grantMethod: GrantMethod.DirectShare,
      grantedById: studio.user.id,
    });
    await request(ctx.http)
      .patch(api(`/creators/${studio.user.username}`))
      .auth(member.token, { type: 'bearer' })
      .send({ bio: 'Team bio' })
      .expect(200)
      .expect(({ body }) => expect(body.my_access).toBe('edit'));
    await request(ctx.http)
      .patch(api(`/creators/${studio.user.username}`))
      .auth(member.token, { type: 'bearer' })
      .send({ profile_visibility: 'private' })
      .expect(403)
      .expect(({ body }) => expect(body.errors[0].field).toBe('profile_visibility'));
    await request(ctx.http)
      .delete(api(`/creators/${studio.user.username}`))
      .auth(member.token, { type: 'bearer' })
      .expect(403);
  });
});

describe('DELETE /creators/{username}', () => {
  it('owner deletes → 204, demoted to user, bots stay; stranger 403; anonymous 401', async () => {
    const c = await createCreator(ctx);
    const bot = await createPublicBot(ctx, c.user.id);
    const stranger = await createUser(ctx);
    await request(ctx.http)
      .delete(api(`/creators/${c.user.username}`))
      .expect(401);
    await request(ctx.http)
      .delete(api(`/creators/${c.user.username}`))
      .auth(stranger.token, { type: 'bearer' })
      .expect(403);
    await request(ctx.http)
      .delete(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .expect(204);
    expect((await ctx.ds.getRepository(User).findOneByOrFail({ id: c.user.id })).role).toBe(UserRole.User);
    expect(await ctx.ds.getRepository(Bot).existsBy({ id: bot.id })).toBe(true);
    await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(404);
  });
});

describe('PUT /creators/{username}/social-links', () => {
  it('rejects javascript:, duplicate platforms and other without label (check 1.4)', async () => {
    const c = await createCreator(ctx);
    const put = (links: unknown) =>
      request(ctx.http)
        .put(api(`/creators/${c.user.username}/social-links`))
        .auth(c.token, { type: 'bearer' })
        .send({ links });
    await put([{ platform: 'website', value: 'javascript:alert(1)' }]).expect(400);
    await put([{ platform: 'website', value: 'data:text/html,hi' }]).expect(400);
    await put([
      { platform: 'twitter', value: 'https://twitter.com/a' },
      { platform: 'twitter', value: 'https://twitter.com/b' },
    ]).expect(400);
    await put([{ platform: 'other', value: 'https://example.com' }]).expect(400);
    await put([{ platform: 'ftp' as never, value: 'https://example.com' }]).expect(400);
    await put(
      Array.from({ length: 21 }, (_, i) => ({ platform: 'other', label: `l${i}`, value: 'https://e.com' })),
    ).expect(400);
    const ok = await put([
      { platform: 'github', value: 'https://github.com/mira' },
      { platform: 'discord', value: 'mira_bots' },
      { platform: 'other', label: 'Blog', value: 'https://mira.blog' },
      { platform: 'other', label: 'Shop', value: 'http://shop.example' },
    ]).expect(200);
    expect(ok.body.social_links.map((l: { platform: string }) => l.platform)).toEqual([
      'github',
      'discord',
      'other',
      'other',
    ]);
    const stranger = await createUser(ctx);
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/social-links`))
      .auth(stranger.token, { type: 'bearer' })
      .send({ links: [] })
      .expect(403);
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/social-links`))
      .send({ links: [] })
      .expect(401);
  });
});

describe('PUT /creators/{username}/featured-bots', () => {
  it('only own public bots, at most 6; deleting a bot removes it; a bot leaving public is hidden from others (check 1.5)', async () => {
    const c = await createCreator(ctx);
    const other = await createCreator(ctx);
    const theirs = await createPublicBot(ctx, other.user.id);
    const privateBot = await createBot(ctx, { ownerId: c.user.id, visibility: ResourceVisibility.Private });
    const mine = await Promise.all(Array.from({ length: 7 }, () => createPublicBot(ctx, c.user.id)));
    const put = (bot_ids: string[]) =>
      request(ctx.http)
        .put(api(`/creators/${c.user.username}/featured-bots`))
        .auth(c.token, { type: 'bearer' })
        .send({ bot_ids });
    await put([theirs.id])
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('FEATURED_BOT_NOT_ALLOWED'));
    await put([privateBot.id]).expect(400);
    await put(mine.map((b) => b.id)).expect(400);
    await put(['not-a-uuid']).expect(400);
    const ok = await put([mine[1].id, mine[0].id, mine[2].id]).expect(200);
    expect(ok.body.featured_bots.map((b: { id: string }) => b.id)).toEqual([mine[1].id, mine[0].id, mine[2].id]);

    await ctx.ds.getRepository(Bot).delete({ id: mine[0].id });
    await ctx.ds.getRepository(Bot).update({ id: mine[2].id }, { visibility: ResourceVisibility.Private });
    const pub = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(200);
    expect(pub.body.featured_bots.map((b: { id: string }) => b.id)).toEqual([mine[1].id]);
    const own = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(c.token, { type: 'bearer' })
      .expect(200);
    expect(own.body.featured_bots.map((b: { id: string; is_public: boolean }) => [b.id, b.is_public])).toEqual([
      [mine[1].id, true],
      [mine[2].id, false],
    ]);
  });
});

describe('verification, feature', () => {
  it('owner requests (needs a public bot), moderator verifies pending → 200 (check 1.2)', async () => {
    const c = await createCreator(ctx);
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    const url = api(`/creators/${c.user.username}`);
    await request(ctx.http).post(`${url}/verification-request`).auth(c.token, { type: 'bearer' }).expect(409);
    await createPublicBot(ctx, c.user.id);
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'verified' })
      .expect(409);
    await request(ctx.http)
      .post(`${url}/verification-request`)
      .auth(c.token, { type: 'bearer' })
      .expect(202)
      .expect(({ body }) => expect(body.verification_status).toBe('pending'));
    await request(ctx.http).post(`${url}/verification-request`).auth(c.token, { type: 'bearer' }).expect(409);
    const stranger = await createUser(ctx);
    await request(ctx.http).post(`${url}/verification-request`).auth(stranger.token, { type: 'bearer' }).expect(403);
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(c.token, { type: 'bearer' })
      .send({ status: 'verified' })
      .expect(403);
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'premium' })
      .expect(403);
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'bogus' })
      .expect(400);
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'verified', note: 'looks good' })
      .expect(200)
      .expect(({ body }) =>
        expect(body).toMatchObject({ verification_status: 'verified', verification_note: 'looks good' }),
      );
    const admin = await createUser(ctx, { role: UserRole.Admin });
    await request(ctx.http)
      .put(`${url}/verification`)
      .auth(admin.token, { type: 'bearer' })
      .send({ status: 'premium' })
      .expect(200)
      .expect(({ body }) => expect(body.verification_status).toBe('premium'));
    await request(ctx.http).put(`${url}/verification`).send({ status: 'verified' }).expect(401);
  });

  it('moderators feature and unfeature; others 403', async () => {
    const c = await createCreator(ctx);
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    const url = api(`/creators/${c.user.username}/feature`);
    await request(ctx.http).put(url).auth(c.token, { type: 'bearer' }).expect(403);
    await request(ctx.http).put(url).expect(401);
    const on = await request(ctx.http).put(url).auth(mod.token, { type: 'bearer' }).expect(200);
    expect(on.body.is_featured).toBe(true);
    const filtered = await request(ctx.http).get(api('/creators?featured=true&limit=100')).expect(200);
    expect(filtered.body.items.map((i: { id: string }) => i.id)).toContain(c.profile.id);
    const off = await request(ctx.http).delete(url).auth(mod.token, { type: 'bearer' }).expect(200);
    expect(off.body).toMatchObject({ is_featured: false, featured_at: null });
  });
});

describe('follows (§2)', () => {
  it('PUT twice → 1, DELETE twice → 0, all 200 (check 2.1); GET state; self 400 (check 2.3)', async () => {
    const c = await createCreator(ctx);
    const fan = await createUser(ctx);
    const url = api(`/creators/${c.user.username}/follow`);
    for (let i = 0; i < 2; i++) {
      await request(ctx.http)
        .put(url)
        .auth(fan.token, { type: 'bearer' })
        .expect(200)
        .expect(({ body }) => expect(body).toEqual({ following: true, follower_count: 1 }));
    }
    await request(ctx.http)
      .get(url)
      .auth(fan.token, { type: 'bearer' })
      .expect(200)
      .expect(({ body }) => expect(body).toEqual({ following: true, follower_count: 1 }));
    const profile = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    expect(profile.body.following).toBe(true);
    for (let i = 0; i < 2; i++) {
      await request(ctx.http)
        .delete(url)
        .auth(fan.token, { type: 'bearer' })
        .expect(200)
        .expect(({ body }) => expect(body).toEqual({ following: false, follower_count: 0 }));
    }
    await request(ctx.http)
      .put(url)
      .auth(c.token, { type: 'bearer' })
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('CANNOT_FOLLOW_SELF'));
    await request(ctx.http).put(url).expect(401);
    await request(ctx.http).get(url).expect(401);
  });

  it('50 users following concurrently → exactly 50; repeating changes nothing (check 2.2)', async () => {
    const c = await createCreator(ctx);
    const fans = await Promise.all(Array.from({ length: 50 }, () => createUser(ctx)));
    const url = api(`/creators/${c.user.username}/follow`);
    const run = () => Promise.all(fans.map((f) => request(ctx.http).put(url).auth(f.token, { type: 'bearer' })));
    expect((await run()).map((r) => r.status)).toEqual(Array(50).fill(200));
    let row = await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id });
    expect(row.followerCount).toBe(50);
    expect(await ctx.ds.getRepository(CreatorFollow).countBy({ creatorProfileId: c.profile.id })).toBe(50);
    expect((await run()).map((r) => r.status)).toEqual(Array(50).fill(200));
    row = await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id });
    expect(row.followerCount).toBe(50);
  });

  it('private or hidden profiles cannot be followed (404)', async () => {
    const priv = await createCreator(ctx, { profile: { profileVisibility: CreatorProfileVisibility.Private } });
    const fan = await createUser(ctx);
    await request(ctx.http)
      .put(api(`/creators/${priv.user.username}/follow`))
      .auth(fan.token, { type: 'bearer' })
      .expect(404);
    await request(ctx.http).put(api('/creators/no_such_user_1/follow')).auth(fan.token, { type: 'bearer' }).expect(404);
  });

  it('followers list: owner and admin only, stranger 403, count stays public (check 2.4)', async () => {
    const c = await createCreator(ctx);
    const fans = await Promise.all(Array.from({ length: 3 }, () => createUser(ctx)));
    for (const f of fans)
      await request(ctx.http)
        .put(api(`/creators/${c.user.username}/follow`))
        .auth(f.token, { type: 'bearer' })
        .expect(200);
    const url = api(`/creators/${c.user.username}/followers`);
    await request(ctx.http).get(url).auth(fans[0].token, { type: 'bearer' }).expect(403);
    await request(ctx.http).get(url).expect(401);
    const first = await request(ctx.http).get(`${url}?limit=2`).auth(c.token, { type: 'bearer' }).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await request(ctx.http)
      .get(`${url}?limit=2&cursor=${first.body.next_cursor}`)
      .auth(c.token, { type: 'bearer' })
      .expect(200);
    expect([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id).sort()).toEqual(
      fans.map((f) => f.user.id).sort(),
    );
    await request(ctx.http).get(`${url}?cursor=garbage!!`).auth(c.token, { type: 'bearer' }).expect(400);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    await request(ctx.http).get(url).auth(admin.token, { type: 'bearer' }).expect(200);
    const pub = await request(ctx.http)
      .get(api(`/creators/${c.user.username}`))
      .expect(200);
    expect(pub.body.follower_count).toBe(3);
  });

  it('/users/me/following lists the creators I follow; ?followed=true filters the directory', async () => {
    const a = await createCreator(ctx);
    const b = await createCreator(ctx);
    const fan = await createUser(ctx);
    await request(ctx.http)
      .put(api(`/creators/${a.user.username}/follow`))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    await request(ctx.http)
      .put(api(`/creators/${b.user.username}/follow`))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    const mine = await request(ctx.http)
      .get(api('/users/me/following'))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([b.profile.id, a.profile.id]);
    await request(ctx.http).get(api('/users/me/following')).expect(401);
    const dir = await request(ctx.http)
      .get(api('/creators?followed=true'))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    expect(dir.body.items.map((i: { id: string }) => i.id).sort()).toEqual([a.profile.id, b.profile.id].sort());
    await request(ctx.http).get(api('/creators?followed=true')).expect(400);
  });

  it('deleting the follower account removes the row and reconcile fixes the count (check 2.5)', async () => {
    const c = await createCreator(ctx);
    const fan = await createUser(ctx);
    await request(ctx.http)
      .put(api(`/creators/${c.user.username}/follow`))
      .auth(fan.token, { type: 'bearer' })
      .expect(200);
    await ctx.ds.getRepository(User).delete({ id: fan.user.id });
    expect(await ctx.ds.getRepository(CreatorFollow).countBy({ creatorProfileId: c.profile.id })).toBe(0);
    await ctx.jobs.enqueue('creators.refresh-stats', { creator_profile_ids: [c.profile.id] });
    await ctx.jobs.drain();
    expect((await ctx.ds.getRepository(CreatorProfile).findOneByOrFail({ id: c.profile.id })).followerCount).toBe(0);
  });
});

describe('GET /creators (directory)', () => {
  it('sorted by followers pages with a working cursor while follows are added between pages (check 1.6)', async () => {
    const marker = `dir${Date.now().toString(36)}`;
    const creators = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createCreator(ctx, {
          profile: { displayName: `${marker} ${i}`, followerCount: 100 + i * 10, languages: [marker.slice(0, 3)] },
        }),
      ),
    );
    const q = `q=${marker}&sort=followers&limit=2`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res: request.Response = await request(ctx.http)
        .get(api(`/creators?${q}${cursor ? `&cursor=${cursor}` : ''}`))
        .expect(200);
      const counts = res.body.items.map((i: { follower_count: number }) => i.follower_count);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.next_cursor;
      // A follow lands on a creator already listed: the keyset must neither repeat nor skip anyone.
      const fan = await createUser(ctx);
      await request(ctx.http)
        .put(api(`/creators/${creators[5 - round].user.username}/follow`))
        .auth(fan.token, { type: 'bearer' })
        .expect(200);
      round++;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual([...creators].reverse().map((c) => c.profile.id));
  });

  it('filters and sorts; staff filters are 403 for others; bad query → 400', async () => {
    const c = await createCreator(ctx, {
      profile: {
        specialties: ['gaming'] as never,
        acceptsCommissions: true,
        languages: ['pt-BR'],
        displayName: 'Aardvark Zed',
      },
    });
    const has = async (qs: string) =>
      (
        await request(ctx.http)
          .get(api(`/creators?${qs}&limit=100`))
          .expect(200)
      ).body.items.some((i: { id: string }) => i.id === c.profile.id);
    expect(await has('specialty=gaming')).toBe(true);
    expect(await has('specialty=fanfic')).toBe(false);
    expect(await has('accepts_commissions=true')).toBe(true);
    expect(await has('language=pt-BR')).toBe(true);
    expect(await has('q=aardvark')).toBe(true);
    expect(await has('sort=name')).toBe(true);
    expect(await has('sort=bots')).toBe(true);
    expect(await has('sort=conversations')).toBe(true);
    expect(await has('verification=unverified&creator_type=individual')).toBe(true);
    for (const qs of ['sort=bogus', 'limit=0', 'limit=101', 'specialty=cooking', 'cursor=@@@', 'featured=maybe']) {
      await request(ctx.http)
        .get(api(`/creators?${qs}`))
        .expect(400);
    }
    const user = await createUser(ctx);
    await request(ctx.http).get(api('/creators?visibility=private')).auth(user.token, { type: 'bearer' }).expect(403);
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    const priv = await createCreator(ctx, { profile: { profileVisibility: CreatorProfileVisibility.Private } });
    const modList = await request(ctx.http)
      .get(api('/creators?visibility=private&limit=100&sort=recent'))
      .auth(mod.token, { type: 'bearer' })
      .expect(200);
    expect(modList.body.items.map((i: { id: string }) => i.id)).toContain(priv.profile.id);
  });

  it('issues a constant number of SQL queries whatever the page holds', async () => {
    const marker = `qc${Date.now().toString(36)}`;
    const count = async (qs: string) => {
      let n = 0;
      const logger = ctx.ds.logger;
      const original = logger.logQuery.bind(logger);
      logger.logQuery = (...args: Parameters<typeof original>) => {
        n++;
        return original(...args);
      };
      try {
        await request(ctx.http)
          .get(api(`/creators?${qs}`))
          .expect(200);
      } finally {
        logger.logQuery = original;
      }
      return n;
    };
    const empty = await count(`q=${marker}`);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => createCreator(ctx, { profile: { displayName: `${marker} ${i}` } })),
    );
    const full = await count(`q=${marker}`);
    const large = await count('limit=100&sort=recent');
    expect(empty).toBeGreaterThan(0);
    expect(full).toBe(empty);
    expect(large).toBe(empty);
  });
});
