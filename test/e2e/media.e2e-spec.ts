import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { Media, MediaKind } from '../../src/modules/media/entities/media.entity.js';
import { MediaService } from '../../src/modules/media/media.service.js';
import { LocalDiskStorage } from '../../src/modules/media/storage/local-disk.storage.js';
import { StorageDriver } from '../../src/modules/media/storage/storage-driver.js';
import { createMedia, paddedJpegBytes, pdfBytes, pngBytes } from '../factories/media.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const QUOTA = 100_000;
const UPLOADS_PER_HOUR = 5;
const MiB = 1024 * 1024;

describe('media', () => {
  let ctx: TestApp;
  let storage: LocalDiskStorage;
  beforeAll(async () => {
    ctx = await createTestApp({
      env: {
        MEDIA_QUOTA_BYTES: String(QUOTA),
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_PER_MINUTE: '100000',
        MEDIA_UPLOADS_PER_HOUR: String(UPLOADS_PER_HOUR),
      },
    });
    storage = ctx.app.get(StorageDriver) as LocalDiskStorage;
  });
  afterAll(() => ctx?.close());

  const upload = (token: string | null, bytes: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const req = request(ctx.http).post('/api/v1/media');
    if (token) req.auth(token, { type: 'bearer' });
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', bytes, { filename, contentType: 'application/octet-stream' });
  };
  const problem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const storedObjectsOf = async (userId: string) =>
    readdir(join(storage.root, userId)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });

  describe('POST /media', () => {
    it('401 without a token', async () => {
      problem(await upload(null, pngBytes(), 'a.png', { alt_text: 'x' }), 401, 'UNAUTHORIZED');
    });

    it('check 1: a PNG renamed to .pdf and sent as application/pdf is stored as image/png', async () => {
      const { user, token } = await createUser(ctx);
      const bytes = pngBytes(120, 80);
      const res = await request(ctx.http)
        .post('/api/v1/media')
        .auth(token, { type: 'bearer' })
        .field('alt_text', '  a grey rectangle  ')
        .attach('file', bytes, { filename: 'report.pdf', contentType: 'application/pdf' })
        .expect(201);
      expect(res.body).toMatchObject({
        owner_id: user.id,
        kind: 'image',
        mime_type: 'image/png',
        size_bytes: bytes.length,
        width: 120,
        height: 80,
        original_filename: 'report.pdf',
        alt_text: 'a grey rectangle',
        url: `/api/v1/media/${res.body.id}/content`,
      });
      expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.storage_key).toEqual(expect.any(String));
      expect(res.body).not.toHaveProperty('storageKey');
      expect(await storage.exists(res.body.storage_key)).toBe(true);
      const content = await request(ctx.http).get(res.body.url).buffer(true).expect(200);
      expect(content.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);
    });

    it('check 1: an SVG is refused with 415 and a clear problem body', async () => {
      const { user, token } = await createUser(ctx);
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script/></svg>');
      const res = await upload(token, svg, 'logo.png', { alt_text: 'logo' });
      problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.detail).toMatch(/SVG/);
      const xmlSvg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>');
      problem(await upload(token, xmlSvg, 'notes.txt'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await ctx.ds.getRepository(Media).countBy({ ownerId: user.id })).toBe(0);
    });

    it('415 for types outside the allow-list (HTML, binaries)', async () => {
      const { token } = await createUser(ctx);
      problem(await upload(token, Buffer.from('<!DOCTYPE html><html></html>'), 'a.txt'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      problem(
        await upload(token, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'a.png'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('check 1: a 6 MiB JPEG → 413 FILE_TOO_LARGE', async () => {
      const { token } = await createUser(ctx);
      const res = await upload(token, paddedJpegBytes(6 * MiB), 'big.jpg', { alt_text: 'big' });
      problem(res, 413, 'FILE_TOO_LARGE');
      expect(res.body.detail).toMatch(/5 MiB/);
    });

    it('a file over the 10 MiB upload cap → 413 problem+json, not 500', async () => {
      const { user, token } = await createUser(ctx);
      const res = await upload(token, pdfBytes(' '.repeat(11 * MiB)), 'huge.pdf');
      problem(res, 413, 'FILE_TOO_LARGE');
      expect(await ctx.ds.getRepository(Media).countBy({ ownerId: user.id })).toBe(0);
    });

    it('check 2: an image without alt_text → 400; a 40×40 image → 400', async () => {
      const { token } = await createUser(ctx);
      const noAlt = await upload(token, pngBytes(), 'a.png');
      problem(noAlt, 400, 'VALIDATION_FAILED');
      expect(noAlt.body.errors).toEqual([expect.objectContaining({ field: 'alt_text' })]);
      problem(await upload(token, pngBytes(), 'a.png', { alt_text: '   ' }), 400, 'VALIDATION_FAILED');
      const tiny = await upload(token, pngBytes(40, 40), 'tiny.png', { alt_text: 'tiny' });
      problem(tiny, 400, 'IMAGE_DIMENSIONS_OUT_OF_RANGE');
      expect(tiny.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
      problem(
        await upload(token, pngBytes(6001, 50), 'wide.png', { alt_text: 'wide' }),
        400,
        'IMAGE_DIMENSIONS_OUT_OF_RANGE',
      );
    });

    it('400 for a missing file, an empty file, an unknown field or a second file; 415 for a JSON body', async () => {
      const { token } = await createUser(ctx);
      const missing = await request(ctx.http)
        .post('/api/v1/media')
        .auth(token, { type: 'bearer' })
        .field('alt_text', 'x')
        .expect(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
      problem(await upload(token, Buffer.alloc(0), 'empty.txt'), 400, 'VALIDATION_FAILED');
      const unknown = await upload(token, pngBytes(), 'a.png', { alt_text: 'x', owner_id: 'someone' });
      problem(unknown, 400, 'VALIDATION_FAILED');
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'owner_id' })]);
      const twoFiles = await request(ctx.http)
        .post('/api/v1/media')
        .auth(token, { type: 'bearer' })
        .field('alt_text', 'x')
        .attach('file', pngBytes(), 'a.png')
        .attach('file', pngBytes(), 'b.png');
      expect(twoFiles.status).toBe(400);
      const json = await request(ctx.http)
        .post('/api/v1/media')
        .auth(token, { type: 'bearer' })
        .send({ alt_text: 'x' });
      problem(json, 415, 'MULTIPART_REQUIRED');
    });

    it('accepts documents without alt_text, tells Markdown from text, and strips path parts from names', async () => {
      const { token } = await createUser(ctx);
      const pdf = await upload(token, pdfBytes(), 'paper.pdf').expect(201);
      expect(pdf.body).toMatchObject({ kind: 'document', mime_type: 'application/pdf', width: null, alt_text: null });
      const md = await upload(token, Buffer.from('# Lore\n\nThe harbour town.'), '../../etc/lore.md').expect(201);
      expect(md.body).toMatchObject({ mime_type: 'text/markdown', original_filename: 'lore.md' });
      const txt = await upload(token, Buffer.from('plain words'), 'words.png').expect(201);
      expect(txt.body).toMatchObject({ kind: 'document', mime_type: 'text/plain' });
    });

    it('check 6: exceeding the quota → 413 QUOTA_EXCEEDED and no row or stored object remains', async () => {
      const { user, token } = await createUser(ctx);
      const chunk = Buffer.from('a'.repeat(60_000));
      const first = await upload(token, chunk, 'one.txt').expect(201);
      const res = await upload(token, chunk, 'two.txt');
      problem(res, 413, 'QUOTA_EXCEEDED');
      expect(await ctx.ds.getRepository(Media).countBy({ ownerId: user.id })).toBe(1);
      expect(await storedObjectsOf(user.id)).toEqual([first.body.storage_key.split('/')[1]]);
    });

    it(`429 after ${UPLOADS_PER_HOUR} uploads within an hour`, async () => {
      const { user, token } = await createUser(ctx);
      for (let i = 0; i < UPLOADS_PER_HOUR; i++) await createMedia(ctx, { ownerId: user.id }, { store: false });
      const res = await upload(token, pngBytes(), 'a.png', { alt_text: 'x' });
      problem(res, 429, 'UPLOAD_RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('GET /media', () => {
    it('401 without a token', async () => {
      problem(await request(ctx.http).get('/api/v1/media'), 401, 'UNAUTHORIZED');
    });

    it('lists own files newest first with keyset pages and a kind filter', async () => {
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const m1 = await createMedia(ctx, { ownerId: a.user.id });
      const m2 = await createMedia(ctx, { ownerId: a.user.id, kind: MediaKind.Document });
      const m3 = await createMedia(ctx, { ownerId: a.user.id });
      await createMedia(ctx, { ownerId: b.user.id });
      const page1 = await request(ctx.http).get('/api/v1/media?limit=2').auth(a.token, { type: 'bearer' }).expect(200);
      expect(page1.body.items.map((m: Media) => m.id)).toEqual([m3.id, m2.id]);
      expect(page1.body.items[0].storage_key).toBe(m3.storageKey);
      const page2 = await request(ctx.http)
        .get(`/api/v1/media?limit=2&cursor=${page1.body.next_cursor}`)
        .auth(a.token, { type: 'bearer' })
        .expect(200);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ id: m1.id })], next_cursor: null });
      const docs = await request(ctx.http)
        .get('/api/v1/media?kind=document')
        .auth(a.token, { type: 'bearer' })
        .expect(200);
      expect(docs.body.items.map((m: Media) => m.id)).toEqual([m2.id]);
    });

    it("moderators list another user's files (no private fields); plain users get 403", async () => {
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const m = await createMedia(ctx, { ownerId: a.user.id });
      problem(
        await request(ctx.http).get(`/api/v1/media?owner_id=${a.user.id}`).auth(b.token, { type: 'bearer' }),
        403,
        'MEDIA_LIST_FORBIDDEN',
      );
      const res = await request(ctx.http)
        .get(`/api/v1/media?owner_id=${a.user.id}`)
        .auth(mod.token, { type: 'bearer' })
        .expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({ id: m.id, owner_id: a.user.id })]);
      expect(res.body.items[0]).not.toHaveProperty('sha256');
      expect(res.body.items[0]).not.toHaveProperty('storage_key');
    });

    it('400 for a bad cursor, kind, limit or owner_id', async () => {
      const { token } = await createUser(ctx);
      const auth = { type: 'bearer' } as const;
      problem(await request(ctx.http).get('/api/v1/media?cursor=nope').auth(token, auth), 400, 'INVALID_CURSOR');
      problem(await request(ctx.http).get('/api/v1/media?kind=video').auth(token, auth), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).get('/api/v1/media?limit=101').auth(token, auth), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).get('/api/v1/media?owner_id=x').auth(token, auth), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /media/{id} and /media/{id}/content', () => {
    let owner: TestUser;
    let stranger: TestUser;
    let image: Media;
    let doc: Media;
    beforeAll(async () => {
      owner = await createUser(ctx);
      stranger = await createUser(ctx);
      image = await createMedia(ctx, { ownerId: owner.user.id });
      doc = await createMedia(ctx, {
        ownerId: owner.user.id,
        kind: MediaKind.Document,
        originalFilename: 'plan "ä".pdf',
      });
    });

    it('images are readable by id without a token; private fields only for the owner', async () => {
      const anon = await request(ctx.http).get(`/api/v1/media/${image.id}`).expect(200);
      expect(anon.body).toMatchObject({ id: image.id, kind: 'image', alt_text: 'a grey square' });
      expect(anon.body).not.toHaveProperty('sha256');
      expect(anon.body).not.toHaveProperty('storage_key');
      const other = await request(ctx.http)
        .get(`/api/v1/media/${image.id}`)
        .auth(stranger.token, { type: 'bearer' })
        .expect(200);
      expect(other.body).not.toHaveProperty('sha256');
      const own = await request(ctx.http)
        .get(`/api/v1/media/${image.id}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(own.body).toMatchObject({ sha256: image.sha256, storage_key: image.storageKey });
    });

    it('documents are 404 for anonymous callers and strangers, readable by owner, moderator and admin', async () => {
      problem(await request(ctx.http).get(`/api/v1/media/${doc.id}`), 404, 'MEDIA_NOT_FOUND');
      problem(
        await request(ctx.http).get(`/api/v1/media/${doc.id}`).auth(stranger.token, { type: 'bearer' }),
        404,
        'MEDIA_NOT_FOUND',
      );
      for (const role of [UserRole.Moderator, UserRole.Admin]) {
        const staff = await createUser(ctx, { role });
        const res = await request(ctx.http)
          .get(`/api/v1/media/${doc.id}`)
          .auth(staff.token, { type: 'bearer' })
          .expect(200);
        expect(res.body).not.toHaveProperty('sha256');
      }
    });

    it('400 for a malformed id, 404 for an unknown one', async () => {
      expect((await request(ctx.http).get('/api/v1/media/not-a-uuid')).status).toBe(400);
      problem(
        await request(ctx.http).get('/api/v1/media/00000000-0000-4000-8000-000000000000'),
        404,
        'MEDIA_NOT_FOUND',
      );
      problem(
        await request(ctx.http).get('/api/v1/media/00000000-0000-4000-8000-000000000000/content'),
        404,
        'MEDIA_NOT_FOUND',
      );
    });

    it('check 4: anonymous content works for an image (nosniff, long cache) and is 404 for a document', async () => {
      const res = await request(ctx.http).get(`/api/v1/media/${image.id}/content`).buffer(true).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toMatch(/public, max-age=31536000/);
      expect(res.headers['content-disposition']).toMatch(/^inline/);
      expect(Number(res.headers['content-length'])).toBe(image.sizeBytes);
      problem(await request(ctx.http).get(`/api/v1/media/${doc.id}/content`), 404, 'MEDIA_NOT_FOUND');
      problem(
        await request(ctx.http).get(`/api/v1/media/${doc.id}/content`).auth(stranger.token, { type: 'bearer' }),
        404,
        'MEDIA_NOT_FOUND',
      );
    });

    it('serves documents to the owner as attachments with the stored type', async () => {
      const res = await request(ctx.http)
        .get(`/api/v1/media/${doc.id}/content`)
        .auth(owner.token, { type: 'bearer' })
        .buffer(true)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="plan ___.pdf"; filename*=UTF-8''plan%20%22%C3%A4%22.pdf`,
      );
      expect(res.headers['cache-control']).toMatch(/private/);
    });
  });

  describe('PATCH /media/{id}', () => {
    it('401 without a token; 400 for bad bodies and ids', async () => {
      const { user, token } = await createUser(ctx);
      const m = await createMedia(ctx, { ownerId: user.id });
      problem(await request(ctx.http).patch(`/api/v1/media/${m.id}`).send({ alt_text: 'x' }), 401, 'UNAUTHORIZED');
      const auth = { type: 'bearer' } as const;
      for (const body of [{}, { alt_text: '' }, { alt_text: 'x'.repeat(501) }, { alt_text: 'x', kind: 'document' }]) {
        problem(
          await request(ctx.http).patch(`/api/v1/media/${m.id}`).auth(token, auth).send(body),
          400,
          'VALIDATION_FAILED',
        );
      }
      expect(
        (await request(ctx.http).patch('/api/v1/media/nope').auth(token, auth).send({ alt_text: 'x' })).status,
      ).toBe(400);
    });

    it('the owner and admins change alt_text', async () => {
      const { user, token } = await createUser(ctx);
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const m = await createMedia(ctx, { ownerId: user.id });
      const res = await request(ctx.http)
        .patch(`/api/v1/media/${m.id}`)
        .auth(token, { type: 'bearer' })
        .send({ alt_text: ' a lighthouse at dusk ' })
        .expect(200);
      expect(res.body).toMatchObject({ alt_text: 'a lighthouse at dusk', sha256: m.sha256 });
      await request(ctx.http)
        .patch(`/api/v1/media/${m.id}`)
        .auth(admin.token, { type: 'bearer' })
        .send({ alt_text: 'moderated' })
        .expect(200);
    });

    it("check 3: user B's PATCH on A's media → 404 (document) / 403 (image); moderators → 403", async () => {
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const image = await createMedia(ctx, { ownerId: a.user.id });
      const doc = await createMedia(ctx, { ownerId: a.user.id, kind: MediaKind.Document });
      const patch = (id: string, token: string) =>
        request(ctx.http).patch(`/api/v1/media/${id}`).auth(token, { type: 'bearer' }).send({ alt_text: 'mine now' });
      problem(await patch(doc.id, b.token), 404, 'MEDIA_NOT_FOUND');
      problem(await patch(image.id, b.token), 403, 'MEDIA_FORBIDDEN');
      problem(await patch(image.id, mod.token), 403, 'MEDIA_FORBIDDEN');
      problem(await patch(doc.id, mod.token), 403, 'MEDIA_FORBIDDEN');
      expect((await ctx.ds.getRepository(Media).findOneByOrFail({ id: image.id })).altText).toBe('a grey square');
    });
  });

  describe('DELETE /media/{id}', () => {
    it('401 without a token, 400 for a malformed id, 404 for an unknown one', async () => {
      const { token } = await createUser(ctx);
      problem(
        await request(ctx.http).delete('/api/v1/media/00000000-0000-4000-8000-000000000000'),
        401,
        'UNAUTHORIZED',
      );
      expect((await request(ctx.http).delete('/api/v1/media/nope').auth(token, { type: 'bearer' })).status).toBe(400);
      problem(
        await request(ctx.http)
          .delete('/api/v1/media/00000000-0000-4000-8000-000000000000')
          .auth(token, { type: 'bearer' }),
        404,
        'MEDIA_NOT_FOUND',
      );
    });

    it("check 3: user B's DELETE on A's media → 404 (document) / 403 (image)", async () => {
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const image = await createMedia(ctx, { ownerId: a.user.id });
      const doc = await createMedia(ctx, { ownerId: a.user.id, kind: MediaKind.Document });
      const del = (id: string) => request(ctx.http).delete(`/api/v1/media/${id}`).auth(b.token, { type: 'bearer' });
      problem(await del(doc.id), 404, 'MEDIA_NOT_FOUND');
      problem(await del(image.id), 403, 'MEDIA_FORBIDDEN');
      expect(await ctx.ds.getRepository(Media).countBy({ ownerId: a.user.id })).toBe(2);
    });

    it('the owner deletes; the stored object is purged after commit by the media.purge job', async () => {
      const { token } = await createUser(ctx);
      const created = await upload(token, pngBytes(), 'gone.png', { alt_text: 'soon gone' }).expect(201);
      await request(ctx.http).delete(`/api/v1/media/${created.body.id}`).auth(token, { type: 'bearer' }).expect(204);
      await ctx.jobs.drain();
      expect(await storage.exists(created.body.storage_key)).toBe(false);
      problem(await request(ctx.http).get(`/api/v1/media/${created.body.id}`), 404, 'MEDIA_NOT_FOUND');
      problem(
        await request(ctx.http).delete(`/api/v1/media/${created.body.id}`).auth(token, { type: 'bearer' }),
        404,
        'MEDIA_NOT_FOUND',
      );
    });

    it('moderators and admins may delete any file (moderation)', async () => {
      const a = await createUser(ctx);
      for (const role of [UserRole.Moderator, UserRole.Admin]) {
        const staff = await createUser(ctx, { role });
        const doc = await createMedia(ctx, { ownerId: a.user.id, kind: MediaKind.Document });
        await request(ctx.http).delete(`/api/v1/media/${doc.id}`).auth(staff.token, { type: 'bearer' }).expect(204);
        await ctx.jobs.drain();
        expect(await storage.exists(doc.storageKey)).toBe(false);
      }
    });

    it('check 5: deleting a media used as a picture → 204, the reference becomes null, the owner row stays', async () => {
      // Bots do not exist yet: users.avatar_media_id has the same ON DELETE SET NULL rule as bots.picture_media_id.
      const { user, token } = await createUser(ctx);
      const m = await createMedia(ctx, { ownerId: user.id });
      await ctx.ds.getRepository(User).update({ id: user.id }, { avatarMediaId: m.id });
      await request(ctx.http).delete(`/api/v1/media/${m.id}`).auth(token, { type: 'bearer' }).expect(204);
      const reloaded = await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id });
      expect(reloaded.avatarMediaId).toBeNull();
    });
  });

  describe('MediaService.assertUsableImage', () => {
    it('accepts own images, null and the id already referenced; refuses others', async () => {
      const service = ctx.app.get(MediaService);
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const own = await createMedia(ctx, { ownerId: a.user.id }, { store: false });
      const ownDoc = await createMedia(ctx, { ownerId: a.user.id, kind: MediaKind.Document }, { store: false });
      const theirs = await createMedia(ctx, { ownerId: b.user.id }, { store: false });
      await expect(service.assertUsableImage(a.user.id, own.id)).resolves.toBeUndefined();
      await expect(service.assertUsableImage(a.user.id, null)).resolves.toBeUndefined();
      await expect(service.assertUsableImage(a.user.id, theirs.id, theirs.id)).resolves.toBeUndefined();
      await expect(service.assertUsableImage(a.user.id, theirs.id)).rejects.toMatchObject({
        status: 400,
        code: 'MEDIA_NOT_USABLE',
      });
      await expect(
        service.assertUsableImage(a.user.id, ownDoc.id, undefined, { field: 'picture_media_id' }),
      ).rejects.toMatchObject({ code: 'MEDIA_NOT_USABLE', extra: { errors: [{ field: 'picture_media_id' }] } });
      await expect(service.assertUsableImage(a.user.id, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'MEDIA_NOT_USABLE',
      });
    });
  });
});
