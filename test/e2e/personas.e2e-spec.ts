import request from 'supertest';
import { ModerationStatus } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { Media, MediaKind } from '../../src/modules/media/entities/media.entity.js';
import { PersonaDetailSection } from '../../src/modules/personas/entities/persona-detail-section.entity.js';
import { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import { createMedia } from '../factories/media.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('personas', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const auth = (t: TestUser) => ({ Authorization: `Bearer ${t.token}` });
  const problem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const fields = (res: request.Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

  describe('POST /personas', () => {
    it('401 without a token', async () => {
      problem(
        await request(ctx.http).post('/api/v1/personas').send({ name: 'x', description: 'y' }),
        401,
        'UNAUTHORIZED',
      );
    });

    it('creates a persona with sections, macros stored verbatim, tags lower-cased, an own avatar', async () => {
      const me = await createUser(ctx);
      const avatar = await createMedia(ctx, { ownerId: me.user.id }, { store: false });
      const res = await request(ctx.http)
        .post('/api/v1/personas')
        .set(auth(me))
        .send({
          name: '  Captain {{user}}  ',
          description: 'Sails with {{char}} across the sea.',
          pronouns: 'other',
          custom_pronouns: 'xe/xem',
          age: 34,
          gender: 'non_binary',
          tone: 'playful',
          response_length: 'long',
          tags: ['Sailor', 'sea', 'sailor'],
          avatar_media_id: avatar.id,
          custom_instructions: 'Call me {{user}}, never sir.',
          detail_sections: [
            { label: 'Ship', content: 'The Wandering {{char}}' },
            { label: 'Crew', content: 'Twelve' },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        owner: { id: me.user.id, username: me.user.username, display_name: me.user.username },
        name: 'Captain {{user}}',
        description: 'Sails with {{char}} across the sea.',
        custom_pronouns: 'xe/xem',
        tags: ['sailor', 'sea'],
        avatar_media_id: avatar.id,
        avatar_url: `/api/v1/media/${avatar.id}/content`,
        custom_instructions: 'Call me {{user}}, never sir.',
        usage_count: 0,
        is_default: false,
        is_public: false,
        moderation_status: 'visible',
        detail_sections: [
          { position: 0, label: 'Ship', content: 'The Wandering {{char}}' },
          { position: 1, label: 'Crew', content: 'Twelve' },
        ],
      });
    });

    it('check 3: pronouns=other without custom_pronouns, 21 sections, a 501-char description → 400', async () => {
      const me = await createUser(ctx);
      const post = (body: object) => request(ctx.http).post('/api/v1/personas').set(auth(me)).send(body);
      const base = { name: 'Ash', description: 'A wanderer.' };
      const noCustom = await post({ ...base, pronouns: 'other' });
      problem(noCustom, 400, 'VALIDATION_FAILED');
      expect(fields(noCustom)).toEqual(['custom_pronouns']);
      const sections = Array.from({ length: 21 }, (_, i) => ({ label: `L${i}`, content: 'c' }));
      const tooMany = await post({ ...base, detail_sections: sections });
      problem(tooMany, 400, 'VALIDATION_FAILED');
      expect(fields(tooMany)).toContain('detail_sections');
      const longDescription = await post({ ...base, description: 'd'.repeat(501) });
      problem(longDescription, 400, 'VALIDATION_FAILED');
      expect(fields(longDescription)).toEqual(['description']);
      expect(await ctx.ds.getRepository(Persona).countBy({ ownerId: me.user.id })).toBe(0);
    });

    it('400 for unknown fields, bad enums, ages, custom_pronouns without other, or bad sections', async () => {
      const me = await createUser(ctx);
      const base = { name: 'Ash', description: 'A wanderer.' };
      for (const extra of [
        { usage_count: 5 },
        { owner_id: me.user.id },
        { tone: 'grumpy' },
        { age: 151 },
        { age: 0 },
        { pronouns: 'she_her', custom_pronouns: 'fae' },
        { detail_sections: [{ label: '', content: 'x' }] },
        { detail_sections: [{ label: 'x', content: 'y'.repeat(5001) }] },
        { tags: ['x'.repeat(41)] },
        { preferred_topics: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        { name: '   ' },
      ]) {
        const res = await request(ctx.http)
          .post('/api/v1/personas')
          .set(auth(me))
          .send({ ...base, ...extra });
        expect([res.status, res.body.code, extra]).toEqual([400, 'VALIDATION_FAILED', extra]);
      }
      problem(
        await request(ctx.http).post('/api/v1/personas').set(auth(me)).send({ name: 'Ash' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it("refuses someone else's image or a document as avatar", async () => {
      const me = await createUser(ctx);
      const other = await createUser(ctx);
      const theirs = await createMedia(ctx, { ownerId: other.user.id }, { store: false });
      const doc = await createMedia(ctx, { ownerId: me.user.id, kind: MediaKind.Document }, { store: false });
      for (const id of [theirs.id, doc.id]) {
        const res = await request(ctx.http)
          .post('/api/v1/personas')
          .set(auth(me))
          .send({ name: 'Ash', description: 'x', avatar_media_id: id });
        problem(res, 400, 'MEDIA_NOT_USABLE');
        expect(fields(res)).toEqual(['avatar_media_id']);
      }
    });

    it('409 PERSONA_LIMIT_REACHED beyond 100 personas', async () => {
      const me = await createUser(ctx);
      await ctx.ds
        .getRepository(Persona)
        .insert(Array.from({ length: 100 }, (_, i) => ({ ownerId: me.user.id, name: `P${i}`, description: 'd' })));
      problem(
        await request(ctx.http).post('/api/v1/personas').set(auth(me)).send({ name: 'One more', description: 'd' }),
        409,
        'PERSONA_LIMIT_REACHED',
      );
    });
  });

  describe('GET /personas/{id}, PATCH, DELETE: visibility', () => {
    let owner: TestUser;
    let stranger: TestUser;
    let privateP: Persona;
    let publicP: Persona;
    beforeAll(async () => {
      owner = await createUser(ctx);
      stranger = await createUser(ctx);
      privateP = await createPersona(ctx, { ownerId: owner.user.id, customInstructions: 'secret notes' });
      publicP = await createPersona(
        ctx,
        { ownerId: owner.user.id, isPublic: true, customInstructions: 'secret notes', usageCount: 7 },
        [{ label: 'Job', content: 'Cartographer' }],
      );
    });

    it("check 1: another user's private persona → 404 on GET, PATCH and DELETE", async () => {
      const url = `/api/v1/personas/${privateP.id}`;
      problem(await request(ctx.http).get(url).set(auth(stranger)), 404, 'PERSONA_NOT_FOUND');
      problem(await request(ctx.http).patch(url).set(auth(stranger)).send({ name: 'Mine' }), 404, 'PERSONA_NOT_FOUND');
      problem(await request(ctx.http).delete(url).set(auth(stranger)), 404, 'PERSONA_NOT_FOUND');
    });

    it('check 1: a public one → 200 without custom_instructions or usage_count; PATCH/DELETE → 403', async () => {
      const url = `/api/v1/personas/${publicP.id}`;
      const res = await request(ctx.http).get(url).set(auth(stranger)).expect(200);
      expect(res.body).toMatchObject({
        id: publicP.id,
        is_public: true,
        owner: { id: owner.user.id, username: owner.user.username },
        detail_sections: [{ position: 0, label: 'Job', content: 'Cartographer' }],
      });
      for (const hidden of ['custom_instructions', 'usage_count', 'last_used_at', 'moderation_reason']) {
        expect(res.body).not.toHaveProperty(hidden);
      }
      expect(res.body.owner).not.toHaveProperty('email');
      problem(await request(ctx.http).patch(url).set(auth(stranger)).send({ name: 'Mine' }), 403, 'PERSONA_FORBIDDEN');
      problem(await request(ctx.http).delete(url).set(auth(stranger)), 403, 'PERSONA_FORBIDDEN');
      const own = await request(ctx.http).get(url).set(auth(owner)).expect(200);
      expect(own.body).toMatchObject({ custom_instructions: 'secret notes', usage_count: 7 });
    });

    it('401 without a token; 400 for malformed ids; 404 for unknown ids', async () => {
      problem(await request(ctx.http).get(`/api/v1/personas/${publicP.id}`), 401, 'UNAUTHORIZED');
      problem(await request(ctx.http).patch(`/api/v1/personas/${publicP.id}`).send({}), 401, 'UNAUTHORIZED');
      problem(await request(ctx.http).delete(`/api/v1/personas/${publicP.id}`), 401, 'UNAUTHORIZED');
      expect((await request(ctx.http).get('/api/v1/personas/nope').set(auth(owner))).status).toBe(400);
      const unknown = '/api/v1/personas/00000000-0000-4000-8000-000000000000';
      problem(await request(ctx.http).get(unknown).set(auth(owner)), 404, 'PERSONA_NOT_FOUND');
      problem(await request(ctx.http).patch(unknown).set(auth(owner)).send({ name: 'x' }), 404, 'PERSONA_NOT_FOUND');
    });

    it('moderators read public personas but not private ones, and cannot edit either', async () => {
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      problem(await request(ctx.http).get(`/api/v1/personas/${privateP.id}`).set(auth(mod)), 404, 'PERSONA_NOT_FOUND');
      const res = await request(ctx.http).get(`/api/v1/personas/${publicP.id}`).set(auth(mod)).expect(200);
      expect(res.body).not.toHaveProperty('custom_instructions');
      problem(
        await request(ctx.http).patch(`/api/v1/personas/${publicP.id}`).set(auth(mod)).send({ name: 'x' }),
        403,
        'PERSONA_FORBIDDEN',
      );
    });

    it('admins read, update and delete any persona', async () => {
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const victim = await createPersona(ctx, { ownerId: owner.user.id, customInstructions: 'x' });
      const res = await request(ctx.http).get(`/api/v1/personas/${victim.id}`).set(auth(admin)).expect(200);
      expect(res.body.custom_instructions).toBe('x');
      await request(ctx.http)
        .patch(`/api/v1/personas/${victim.id}`)
        .set(auth(admin))
        .send({ name: 'Renamed' })
        .expect(200);
      await request(ctx.http).delete(`/api/v1/personas/${victim.id}`).set(auth(admin)).expect(204);
    });
  });

  describe('PATCH /personas/{id}', () => {
    it('updates fields, clears optional ones with null, replaces the section list', async () => {
      const me = await createUser(ctx);
      const p = await createPersona(ctx, { ownerId: me.user.id, personality: 'Calm', age: 30 }, [
        { label: 'A', content: '1' },
        { label: 'B', content: '2' },
      ]);
      const res = await request(ctx.http)
        .patch(`/api/v1/personas/${p.id}`)
        .set(auth(me))
        .send({
          personality: null,
          age: null,
          backstory: '   ',
          formality: 'very_casual',
          detail_sections: [{ label: 'C', content: '3' }],
        })
        .expect(200);
      expect(res.body).toMatchObject({
        personality: null,
        age: null,
        backstory: null,
        formality: 'very_casual',
        detail_sections: [{ position: 0, label: 'C', content: '3' }],
      });
      expect(new Date(res.body.updated_at).getTime()).toBeGreaterThan(p.updatedAt.getTime());
      expect(await ctx.ds.getRepository(PersonaDetailSection).countBy({ personaId: p.id })).toBe(1);
      const cleared = await request(ctx.http)
        .patch(`/api/v1/personas/${p.id}`)
        .set(auth(me))
        .send({ detail_sections: [] })
        .expect(200);
      expect(cleared.body.detail_sections).toEqual([]);
    });

    it('400 for null required fields, unknown fields and the pronoun rule on the merged state', async () => {
      const me = await createUser(ctx);
      const p = await createPersona(ctx, { ownerId: me.user.id });
      const patch = (body: object) => request(ctx.http).patch(`/api/v1/personas/${p.id}`).set(auth(me)).send(body);
      for (const body of [
        { name: null },
        { tags: null },
        { is_default: null },
        { is_featured: true },
        { pronouns: 'other' },
      ]) {
        const res = await patch(body);
        expect([res.status, res.body.code, body]).toEqual([400, 'VALIDATION_FAILED', body]);
      }
      await patch({ pronouns: 'other', custom_pronouns: 'ze/zir' }).expect(200);
      problem(await patch({ custom_pronouns: null }), 400, 'VALIDATION_FAILED');
      const switched = await patch({ pronouns: 'they_them' }).expect(200);
      expect(switched.body).toMatchObject({ pronouns: 'they_them', custom_pronouns: null });
    });

    it('a collaborator-style update keeps an avatar the persona already references', async () => {
      const me = await createUser(ctx);
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const avatar = await createMedia(ctx, { ownerId: me.user.id }, { store: false });
      const p = await createPersona(ctx, { ownerId: me.user.id, avatarMediaId: avatar.id });
      // The admin does not own the image, but it is the one already referenced.
      await request(ctx.http)
        .patch(`/api/v1/personas/${p.id}`)
        .set(auth(admin))
        .send({ avatar_media_id: avatar.id, name: 'Kept' })
        .expect(200);
      const adminImage = await createMedia(ctx, { ownerId: me.user.id }, { store: false });
      problem(
        await request(ctx.http)
          .patch(`/api/v1/personas/${p.id}`)
          .set(auth(admin))
          .send({ avatar_media_id: adminImage.id }),
        400,
        'MEDIA_NOT_USABLE',
      );
    });

    it('deleting the avatar media sets avatar_media_id to null', async () => {
      const me = await createUser(ctx);
      const avatar = await createMedia(ctx, { ownerId: me.user.id });
      const p = await createPersona(ctx, { ownerId: me.user.id, avatarMediaId: avatar.id });
      await request(ctx.http).delete(`/api/v1/media/${avatar.id}`).set(auth(me)).expect(204);
      const res = await request(ctx.http).get(`/api/v1/personas/${p.id}`).set(auth(me)).expect(200);
      expect(res.body).toMatchObject({ avatar_media_id: null, avatar_url: null });
    });
  });

  describe('default persona', () => {
    it('check 2: marking B default unsets A', async () => {
      const me = await createUser(ctx);
      const a = await request(ctx.http)
        .post('/api/v1/personas')
        .set(auth(me))
        .send({ name: 'A', description: 'a', is_default: true })
        .expect(201);
      expect(a.body.is_default).toBe(true);
      const b = await createPersona(ctx, { ownerId: me.user.id });
      await request(ctx.http).patch(`/api/v1/personas/${b.id}`).set(auth(me)).send({ is_default: true }).expect(200);
      const rows = await ctx.ds.getRepository(Persona).findBy({ ownerId: me.user.id });
      expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual([b.id]);
      const c = await request(ctx.http)
        .post('/api/v1/personas')
        .set(auth(me))
        .send({ name: 'C', description: 'c', is_default: true })
        .expect(201);
      const after = await ctx.ds.getRepository(Persona).findBy({ ownerId: me.user.id, isDefault: true });
      expect(after.map((r) => r.id)).toEqual([c.body.id]);
    });

    it('check 2: two concurrent requests leave at most one default (serialised or 409)', async () => {
      const me = await createUser(ctx);
      const personas = await Promise.all(Array.from({ length: 4 }, () => createPersona(ctx, { ownerId: me.user.id })));
      const results = await Promise.all(
        personas.map((p) =>
          request(ctx.http).patch(`/api/v1/personas/${p.id}`).set(auth(me)).send({ is_default: true }),
        ),
      );
      for (const r of results) expect([200, 409]).toContain(r.status);
      expect(results.some((r) => r.status === 200)).toBe(true);
      expect(await ctx.ds.getRepository(Persona).countBy({ ownerId: me.user.id, isDefault: true })).toBe(1);
    });

    it('the database refuses a second default even without the service', async () => {
      const me = await createUser(ctx);
      await createPersona(ctx, { ownerId: me.user.id, isDefault: true });
      await expect(createPersona(ctx, { ownerId: me.user.id, isDefault: true })).rejects.toThrow(
        /ux_personas_one_default/,
      );
    });

    it('deleting the default leaves the user without one', async () => {
      const me = await createUser(ctx);
      const d = await createPersona(ctx, { ownerId: me.user.id, isDefault: true });
      await createPersona(ctx, { ownerId: me.user.id });
      await request(ctx.http).delete(`/api/v1/personas/${d.id}`).set(auth(me)).expect(204);
      expect(await ctx.ds.getRepository(Persona).countBy({ ownerId: me.user.id, isDefault: true })).toBe(0);
    });
  });

  describe('POST /personas/{id}/copies', () => {
    it('check 4: copying a public persona yields a private one owned by the caller with identical sections', async () => {
      const author = await createUser(ctx);
      const me = await createUser(ctx);
      const avatar = await createMedia(ctx, { ownerId: author.user.id }, { store: false });
      const source = await createPersona(
        ctx,
        {
          ownerId: author.user.id,
          isPublic: true,
          isDefault: true,
          usageCount: 12,
          tags: ['noir'],
          personality: 'Dry wit',
          avatarMediaId: avatar.id,
          customInstructions: 'private notes',
        },
        [
          { label: 'Past', content: 'Detective' },
          { label: 'Now', content: 'Retired' },
        ],
      );
      const res = await request(ctx.http).post(`/api/v1/personas/${source.id}/copies`).set(auth(me)).expect(201);
      expect(res.body).toMatchObject({
        owner: { id: me.user.id },
        name: source.name,
        description: source.description,
        personality: 'Dry wit',
        tags: ['noir'],
        is_public: false,
        is_default: false,
        usage_count: 0,
        copied_from_persona_id: source.id,
        custom_instructions: null,
        avatar_media_id: null,
        detail_sections: [
          { position: 0, label: 'Past', content: 'Detective' },
          { position: 1, label: 'Now', content: 'Retired' },
        ],
      });
      expect(res.body.id).not.toBe(source.id);
    });

    it("copies one's own private persona (instructions included); a private one of someone else → 404", async () => {
      const me = await createUser(ctx);
      const other = await createUser(ctx);
      const mine = await createPersona(ctx, { ownerId: me.user.id, customInstructions: 'mine' });
      const res = await request(ctx.http).post(`/api/v1/personas/${mine.id}/copies`).set(auth(me)).expect(201);
      expect(res.body).toMatchObject({ custom_instructions: 'mine', copied_from_persona_id: mine.id });
      problem(
        await request(ctx.http).post(`/api/v1/personas/${mine.id}/copies`).set(auth(other)),
        404,
        'PERSONA_NOT_FOUND',
      );
      problem(await request(ctx.http).post(`/api/v1/personas/${mine.id}/copies`), 401, 'UNAUTHORIZED');
      expect((await request(ctx.http).post('/api/v1/personas/nope/copies').set(auth(me))).status).toBe(400);
    });

    it('an admin may read but not copy a private persona of someone else (403)', async () => {
      const me = await createUser(ctx);
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const mine = await createPersona(ctx, { ownerId: me.user.id });
      problem(
        await request(ctx.http).post(`/api/v1/personas/${mine.id}/copies`).set(auth(admin)),
        403,
        'PERSONA_FORBIDDEN',
      );
    });

    it('deleting the source leaves the copy with copied_from_persona_id null', async () => {
      const author = await createUser(ctx);
      const me = await createUser(ctx);
      const source = await createPersona(ctx, { ownerId: author.user.id, isPublic: true });
      const copy = await request(ctx.http).post(`/api/v1/personas/${source.id}/copies`).set(auth(me)).expect(201);
      await request(ctx.http).delete(`/api/v1/personas/${source.id}`).set(auth(author)).expect(204);
      const res = await request(ctx.http).get(`/api/v1/personas/${copy.body.id}`).set(auth(me)).expect(200);
      expect(res.body.copied_from_persona_id).toBeNull();
    });
  });

  describe('GET /personas', () => {
    it('check 5: anonymous GET /personas?scope=public → 401', async () => {
      problem(await request(ctx.http).get('/api/v1/personas?scope=public'), 401, 'UNAUTHORIZED');
      problem(await request(ctx.http).get('/api/v1/personas'), 401, 'UNAUTHORIZED');
    });

    it('scope=mine lists only own personas, keyset-paged by recency, name or use', async () => {
      const me = await createUser(ctx);
      const other = await createUser(ctx);
      const b = await createPersona(ctx, { ownerId: me.user.id, name: 'bravo', usageCount: 5 });
      const a = await createPersona(ctx, { ownerId: me.user.id, name: 'Alpha', usageCount: 1 });
      const c = await createPersona(ctx, { ownerId: me.user.id, name: 'charlie', usageCount: 9 });
      await createPersona(ctx, { ownerId: other.user.id, name: 'Aardvark', isPublic: true });
      const ids = (res: request.Response) => res.body.items.map((p: { id: string }) => p.id);
      const recent1 = await request(ctx.http).get('/api/v1/personas?limit=2').set(auth(me)).expect(200);
      expect(ids(recent1)).toEqual([c.id, a.id]);
      const recent2 = await request(ctx.http)
        .get(`/api/v1/personas?limit=2&cursor=${recent1.body.next_cursor}`)
        .set(auth(me))
        .expect(200);
      expect(ids(recent2)).toEqual([b.id]);
      expect(recent2.body.next_cursor).toBeNull();
      const byName1 = await request(ctx.http).get('/api/v1/personas?sort=name&limit=2').set(auth(me)).expect(200);
      expect(ids(byName1)).toEqual([a.id, b.id]);
      const byName2 = await request(ctx.http)
        .get(`/api/v1/personas?sort=name&limit=2&cursor=${byName1.body.next_cursor}`)
        .set(auth(me))
        .expect(200);
      expect(ids(byName2)).toEqual([c.id]);
      const used = await request(ctx.http).get('/api/v1/personas?sort=most_used').set(auth(me)).expect(200);
      expect(ids(used)).toEqual([c.id, b.id, a.id]);
      expect(used.body.items[0].usage_count).toBe(9);
    });

    it('scope=public lists visible public personas of everyone, filtered by q and tag, without private fields', async () => {
      const author = await createUser(ctx);
      const me = await createUser(ctx);
      const tag = `t${Date.now().toString(36)}`;
      const pub = await createPersona(ctx, {
        ownerId: author.user.id,
        name: 'Lighthouse Keeper',
        description: 'Tends the lamp',
        isPublic: true,
        tags: [tag],
        customInstructions: 'x',
      });
      await createPersona(ctx, { ownerId: author.user.id, name: 'Lighthouse Ghost', tags: [tag] }); // private
      await createPersona(ctx, {
        ownerId: author.user.id,
        name: 'Lighthouse Smuggler',
        isPublic: true,
        tags: [tag],
        moderationStatus: ModerationStatus.Hidden,
      });
      const res = await request(ctx.http)
        .get(`/api/v1/personas?scope=public&tag=${tag.toUpperCase()}`)
        .set(auth(me))
        .expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([pub.id]);
      expect(res.body.items[0]).not.toHaveProperty('custom_instructions');
      expect(res.body.items[0]).not.toHaveProperty('usage_count');
      const q = await request(ctx.http).get('/api/v1/personas?scope=public&q=lightho%20kee').set(auth(me)).expect(200);
      expect(q.body.items.map((p: { id: string }) => p.id)).toContain(pub.id);
      const none = await request(ctx.http)
        .get(`/api/v1/personas?scope=public&tag=${tag}&q=submarine`)
        .set(auth(me))
        .expect(200);
      expect(none.body.items).toEqual([]);
      const syntax = await request(ctx.http)
        .get(`/api/v1/personas?scope=public&q=${encodeURIComponent("&|!:*'")}`)
        .set(auth(me))
        .expect(200);
      expect(syntax.body).toEqual({ items: [], next_cursor: null });
    });

    it('400 for bad scope, sort, limit, cursor, and most_used on the public catalogue', async () => {
      const me = await createUser(ctx);
      for (const qs of ['scope=all', 'sort=popular', 'limit=0', 'limit=101']) {
        problem(await request(ctx.http).get(`/api/v1/personas?${qs}`).set(auth(me)), 400, 'VALIDATION_FAILED');
      }
      problem(await request(ctx.http).get('/api/v1/personas?cursor=zzz').set(auth(me)), 400, 'INVALID_CURSOR');
      problem(
        await request(ctx.http).get('/api/v1/personas?scope=public&sort=most_used').set(auth(me)),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('PUT /personas/{id}/moderation', () => {
    it('moderators hide a public persona: it leaves the catalogue, the owner sees the reason', async () => {
      const author = await createUser(ctx);
      const me = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const p = await createPersona(ctx, { ownerId: author.user.id, isPublic: true, name: 'Rulebreaker' });
      const url = `/api/v1/personas/${p.id}/moderation`;
      problem(await request(ctx.http).put(url).send({ status: 'hidden' }), 401, 'UNAUTHORIZED');
      problem(await request(ctx.http).put(url).set(auth(me)).send({ status: 'hidden' }), 403, 'ROLE_REQUIRED');
      problem(await request(ctx.http).put(url).set(auth(mod)).send({ status: 'gone' }), 400, 'VALIDATION_FAILED');
      const res = await request(ctx.http)
        .put(url)
        .set(auth(mod))
        .send({ status: 'hidden', reason: 'Impersonation' })
        .expect(200);
      expect(res.body).toMatchObject({ moderation_status: 'hidden', moderation_reason: 'Impersonation' });
      problem(await request(ctx.http).get(`/api/v1/personas/${p.id}`).set(auth(me)), 404, 'PERSONA_NOT_FOUND');
      problem(await request(ctx.http).post(`/api/v1/personas/${p.id}/copies`).set(auth(me)), 404, 'PERSONA_NOT_FOUND');
      const own = await request(ctx.http).get(`/api/v1/personas/${p.id}`).set(auth(author)).expect(200);
      expect(own.body).toMatchObject({ moderation_status: 'hidden', moderation_reason: 'Impersonation' });
      await request(ctx.http).put(url).set(auth(mod)).send({ status: 'visible' }).expect(200);
      await request(ctx.http).get(`/api/v1/personas/${p.id}`).set(auth(me)).expect(200);
    });

    it("a moderator gets 404 for someone's private persona", async () => {
      const author = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const p = await createPersona(ctx, { ownerId: author.user.id });
      problem(
        await request(ctx.http).put(`/api/v1/personas/${p.id}/moderation`).set(auth(mod)).send({ status: 'hidden' }),
        404,
        'PERSONA_NOT_FOUND',
      );
    });
  });

  it('deleting the owner cascades to personas and sections', async () => {
    const me = await createUser(ctx);
    const p = await createPersona(ctx, { ownerId: me.user.id }, [{ label: 'x', content: 'y' }]);
    await ctx.ds.query('DELETE FROM users WHERE id = $1', [me.user.id]);
    expect(await ctx.ds.getRepository(Persona).countBy({ id: p.id })).toBe(0);
    expect(await ctx.ds.getRepository(PersonaDetailSection).countBy({ personaId: p.id })).toBe(0);
    expect(await ctx.ds.getRepository(Media).countBy({ ownerId: me.user.id })).toBe(0);
  });
});
