import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { ApiKeyUsageService } from '../../src/modules/api-keys/api-key-usage.service.js';
import { ApiKeyLimitName } from '../../src/modules/api-keys/api-keys.enums.js';
import { buildApiKeyBody, createApiKey } from '../factories/api-key.factory.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/** api-keys.md §1–§5 with LLM_ALLOW_INSECURE_LOCAL_PROVIDERS off (the production posture). */
let ctx: TestApp;
let canary: Server;
let canaryPort = 0;
let canaryHits = 0;
const allSecrets: string[] = [];

beforeAll(async () => {
  canary = createServer((_req, res) => {
    canaryHits += 1;
    res.end('{"data":[]}');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  canaryPort = (canary.address() as AddressInfo).port;
  ctx = await createTestApp({ env: { LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'false' } });
});
afterAll(async () => {
  await ctx?.close();
  await new Promise((r) => canary.close(r));
});

const api = (path: string) => `/api/v1${path}`;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function newKey(token: string, overrides: Record<string, unknown> = {}) {
  const created = await createApiKey(ctx, token, overrides);
  allSecrets.push(created.secret);
  return created;
}

describe('GET /llm/providers', () => {
  it('lists the registry; 401 without a token', async () => {
    const { token } = await createUser(ctx);
    await request(ctx.http).get(api('/llm/providers')).expect(401);
    const res = await request(ctx.http).get(api('/llm/providers')).set(auth(token)).expect(200);
    expect(res.body.items).toHaveLength(10);
    expect(res.body.items.find((p: { provider: string }) => p.provider === 'custom')).toMatchObject({
      requires_base_url: true,
      default_model: null,
    });
    expect(res.body.items.find((p: { provider: string }) => p.provider === 'openai')).toMatchObject({
      default_model: 'gpt-4.1-mini',
      secret_prefix: 'sk-',
    });
  });
});

describe('create and read', () => {
  it('stores ciphertext only and returns a masked hint (acceptance 1)', async () => {
    const { user, token } = await createUser(ctx);
    const secret = 'sk-test-PLAINTEXT-secret-wxyz';
    allSecrets.push(secret);
    const res = await request(ctx.http)
      .post(api('/api-keys'))
      .set(auth(token))
      .send({ nickname: 'Main', provider: 'openai', secret: `  ${secret}  ` })
      .expect(201);
    expect(res.body).toMatchObject({
      nickname: 'Main',
      provider: 'openai',
      secret_hint: 'wxyz',
      secret_masked: '••••wxyz',
      status: 'active',
      is_default: true,
      user_id: user.id,
      encryption_key_id: 'k1',
    });
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(JSON.stringify(res.body)).not.toContain('PLAINTEXT');
    for (const forbidden of ['secret', 'secret_ciphertext', 'secret_iv', 'secret_auth_tag', 'secret_fingerprint']) {
      expect(res.body).not.toHaveProperty(forbidden);
    }

    const [row] = (await ctx.ds.query(
      `SELECT secret_ciphertext, secret_iv, secret_auth_tag, encryption_key_id, secret_hint, secret_fingerprint
         FROM api_keys WHERE id = $1`,
      [res.body.id],
    )) as Array<Record<string, Buffer | string>>;
    const ciphertext = row.secret_ciphertext as Buffer;
    expect(ciphertext.includes(Buffer.from(secret))).toBe(false);
    expect(ciphertext.toString('latin1')).not.toContain('PLAINTEXT');
    expect(ciphertext.toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
    expect((row.secret_iv as Buffer).length).toBe(12);
    expect((row.secret_auth_tag as Buffer).length).toBe(16);
    expect(row.encryption_key_id).toBe('k1');
    expect(row.secret_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);

    const list = await request(ctx.http).get(api('/api-keys')).set(auth(token)).expect(200);
    const detail = await request(ctx.http)
      .get(api(`/api-keys/${res.body.id}`))
      .set(auth(token))
      .expect(200);
    const events = await request(ctx.http)
      .get(api(`/api-keys/${res.body.id}/events`))
      .set(auth(token))
      .expect(200);
    for (const body of [list.body, detail.body, events.body]) expect(JSON.stringify(body)).not.toContain(secret);
    expect(list.body.items).toHaveLength(1);
    expect(events.body.items.map((e: { event_type: string }) => e.event_type)).toEqual(['created']);
    expect(events.body.items[0]).toMatchObject({ key_hint: 'wxyz', provider: 'openai' });
  });

  it('validates the secret format, the body and unknown fields (400/422, never 500)', async () => {
    const { token } = await createUser(ctx);
    const post = (body: unknown) =>
      request(ctx.http)
        .post(api('/api-keys'))
        .set(auth(token))
        .send(body as object);
    await request(ctx.http).post(api('/api-keys')).send(buildApiKeyBody()).expect(401);
    await post({}).expect(400);
    await post(buildApiKeyBody({ provider: 'nope' })).expect(400);
    await post(buildApiKeyBody({ hacker: true })).expect(400);
    await post(buildApiKeyBody({ total_requests: 5 })).expect(400);
    await post(buildApiKeyBody({ requests_per_hour: 0 })).expect(400);
    await post(buildApiKeyBody({ model_preferences: ['a', 'a'] })).expect(400);
    await post(buildApiKeyBody({ expires_at: 'yesterday' })).expect(400);
    await post(buildApiKeyBody({ expires_at: '2001-01-01T00:00:00Z' })).expect(400);
    await post(buildApiKeyBody({ extra_headers: { Authorization: 'x' } })).expect(400);
    await post(buildApiKeyBody({ extra_headers: { 'X-Ok': 5 } })).expect(400);
    await post(buildApiKeyBody({ nickname: '' })).expect(400);
    await post('not json').expect(400);
    const bad = await post(buildApiKeyBody({ secret: 'pk-not-openai-format-123456' })).expect(422);
    expect(bad.body.code).toBe('INVALID_SECRET_FORMAT');
    await post(buildApiKeyBody({ secret: 'sk-has whitespace inside 1234' })).expect(422);
    await post(buildApiKeyBody({ provider: 'anthropic', secret: 'sk-ant-' })).expect(422); // shorter than 8
    await post(buildApiKeyBody({ provider: 'anthropic', secret: 'sk-or-abcdefgh' })).expect(422); // wrong prefix
    await post(buildApiKeyBody({ openai_project: 'p', provider: 'deepseek', secret: 'sk-deepseek-123456' })).expect(
      400,
    );
  });

  it('rejects duplicates by fingerprint and nickname (409), caps at 20 keys (422)', async () => {
    const { token } = await createUser(ctx);
    const first = await newKey(token, { nickname: 'Dup' });
    const dup = await request(ctx.http)
      .post(api('/api-keys'))
      .set(auth(token))
      .send(buildApiKeyBody({ secret: first.secret }))
      .expect(409);
    expect(dup.body.code).toBe('DUPLICATE_API_KEY');
    const nick = await request(ctx.http)
      .post(api('/api-keys'))
      .set(auth(token))
      .send(buildApiKeyBody({ nickname: 'dUP' }))
      .expect(409);
    expect(nick.body.code).toBe('API_KEY_NICKNAME_TAKEN');
    for (let i = 1; i < 20; i += 1) await newKey(token);
    const over = await request(ctx.http).post(api('/api-keys')).set(auth(token)).send(buildApiKeyBody()).expect(422);
    expect(over.body.code).toBe('API_KEY_LIMIT');
  });
});

describe('base URL rules and SSRF (switch off)', () => {
  it('refuses unsafe custom base URLs with 422 INVALID_BASE_URL and the canary sees 0 hits', async () => {
    const { token } = await createUser(ctx);
    const urls = [
      `http://127.0.0.1:${canaryPort}/v1`,
      `https://127.0.0.1:${canaryPort}/v1`,
      `https://localhost:${canaryPort}/v1`,
      `https://[::1]:${canaryPort}/v1`,
      `https://[::ffff:127.0.0.1]:${canaryPort}/v1`,
      `https://2130706433:${canaryPort}/v1`,
      `https://0x7f000001:${canaryPort}/v1`,
      `https://0177.0.0.1:${canaryPort}/v1`,
      'http://10.0.0.5/v1',
      'https://10.0.0.5/v1',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00:ec2::254]/v1',
      'https://0.0.0.0/v1',
      'https://u:p@example.com/v1',
      'https://example.com/v1?x=1',
      'ftp://example.com/v1',
      'not a url',
    ];
    for (const base_url of urls) {
      const res = await request(ctx.http)
        .post(api('/api-keys'))
        .set(auth(token))
        .send(
          buildApiKeyBody({ provider: 'custom', secret: 'test-secret-abcd1234', base_url, model_preferences: ['m'] }),
        );
      expect([base_url, res.status, res.body.code]).toEqual([base_url, 422, 'INVALID_BASE_URL']);
    }
    expect(canaryHits).toBe(0);
  });

  it('refuses base_url on a named provider and a custom key without base_url/model', async () => {
    const { token } = await createUser(ctx);
    const named = await request(ctx.http)
      .post(api('/api-keys'))
      .set(auth(token))
      .send(buildApiKeyBody({ base_url: 'https://example.com/v1' }))
      .expect(422);
    expect(named.body.code).toBe('INVALID_BASE_URL');
    await request(ctx.http)
      .post(api('/api-keys'))
      .set(auth(token))
      .send(buildApiKeyBody({ provider: 'custom', secret: 'custom-secret-1234', model_preferences: ['m'] }))
      .expect(422);
    // A PATCH to an unsafe URL is refused too.
    const openai = await newKey(token);
    await request(ctx.http)
      .patch(api(`/api-keys/${openai.body.id}`))
      .set(auth(token))
      .send({ base_url: 'https://example.com/v1' })
      .expect(422);
    expect(canaryHits).toBe(0);
  });
});

describe('access (api-keys.md §2.3)', () => {
  it('401 without a token, 404 for strangers and admins on owner routes, 400 for bad ids', async () => {
    const owner = await createUser(ctx);
    const stranger = await createUser(ctx);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const { body: key } = await newKey(owner.token);
    const routes: Array<[string, string, object?]> = [
      ['get', `/api-keys/${key.id}`],
      ['patch', `/api-keys/${key.id}`, { nickname: 'x' }],
      ['put', `/api-keys/${key.id}/secret`, { secret: 'sk-another-secret-123456789' }],
      ['post', `/api-keys/${key.id}/verify`],
      ['get', `/api-keys/${key.id}/fallbacks`],
      ['put', `/api-keys/${key.id}/fallbacks`, { fallback_ids: [] }],
      ['get', `/api-keys/${key.id}/usage`],
      ['get', `/api-keys/${key.id}/events`],
      ['delete', `/api-keys/${key.id}`],
    ];
    for (const [method, path, body] of routes) {
      const call = (t?: string) => {
        const r = (request(ctx.http) as unknown as Record<string, (p: string) => request.Test>)[method](api(path));
        if (t) r.set(auth(t));
        return body ? r.send(body) : r;
      };
      await call().expect(401);
      for (const t of [stranger.token, admin.token]) {
        const res = await call(t);
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 404, 'API_KEY_NOT_FOUND']);
        expect(JSON.stringify(res.body)).not.toContain(key.secret_hint as string);
      }
    }
    await request(ctx.http).get(api('/api-keys/not-a-uuid')).set(auth(owner.token)).expect(400);
    await request(ctx.http)
      .get(api('/api-keys/00000000-0000-4000-8000-000000000000'))
      .set(auth(owner.token))
      .expect(404);
    // still there and unchanged
    const still = await request(ctx.http)
      .get(api(`/api-keys/${key.id}`))
      .set(auth(owner.token))
      .expect(200);
    expect(still.body.nickname).toBe(key.nickname);
    const strangerList = await request(ctx.http).get(api('/api-keys')).set(auth(stranger.token)).expect(200);
    expect(strangerList.body.items).toHaveLength(0);
  });

  it('admin routes: metadata only, filters, suspend → owner 403 on status, unsuspend; non-admin 403', async () => {
    const owner = await createUser(ctx);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const moderator = await createUser(ctx, { role: UserRole.Moderator });
    const { body: key, secret } = await newKey(owner.token);
    await request(ctx.http).get(api('/admin/api-keys')).expect(401);
    await request(ctx.http).get(api('/admin/api-keys')).set(auth(owner.token)).expect(403);
    await request(ctx.http).get(api('/admin/api-keys')).set(auth(moderator.token)).expect(403);
    await request(ctx.http).get(api('/admin/api-keys?status=bogus')).set(auth(admin.token)).expect(400);
    const list = await request(ctx.http)
      .get(api(`/admin/api-keys?user_id=${owner.user.id}&provider=openai&status=active`))
      .set(auth(admin.token))
      .expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    await request(ctx.http)
      .post(api(`/admin/api-keys/${key.id}/suspend`))
      .set(auth(owner.token))
      .send({ reason: 'x' })
      .expect(403);
    await request(ctx.http)
      .post(api(`/admin/api-keys/${key.id}/suspend`))
      .set(auth(admin.token))
      .send({})
      .expect(400);
    await request(ctx.http)
      .post(api('/admin/api-keys/00000000-0000-4000-8000-000000000000/suspend'))
      .set(auth(admin.token))
      .send({ reason: 'abuse' })
      .expect(404);
    const suspended = await request(ctx.http)
      .post(api(`/admin/api-keys/${key.id}/suspend`))
      .set(auth(admin.token))
      .send({ reason: 'abuse reported' })
      .expect(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspended_reason: 'abuse reported' });
    const seen = await request(ctx.http)
      .get(api(`/api-keys/${key.id}`))
      .set(auth(owner.token))
      .expect(200);
    expect(seen.body.suspended_reason).toBe('abuse reported');
    const denied = await request(ctx.http)
      .patch(api(`/api-keys/${key.id}`))
      .set(auth(owner.token))
      .send({ status: 'active' })
      .expect(403);
    expect(denied.body.code).toBe('API_KEY_SUSPENDED');
    await request(ctx.http)
      .post(api(`/admin/api-keys/${key.id}/unsuspend`))
      .set(auth(admin.token))
      .send({})
      .expect(200);
    await request(ctx.http)
      .post(api(`/admin/api-keys/${key.id}/unsuspend`))
      .set(auth(admin.token))
      .send({})
      .expect(409);
    const events = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?event_type=suspended`))
      .set(auth(owner.token))
      .expect(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0].actor_user_id).toBe(admin.user.id);
    await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?event_type=nope`))
      .set(auth(owner.token))
      .expect(400);
    await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?cursor=%%%`))
      .set(auth(owner.token))
      .expect(400);

    const status = await request(ctx.http)
      .get(api('/admin/api-keys/encryption-status'))
      .set(auth(admin.token))
      .expect(200);
    expect(status.body.active_key_id).toBe('k1');
    expect(status.body.pending_rows).toBe(0);
    await request(ctx.http).get(api('/admin/api-keys/encryption-status')).set(auth(owner.token)).expect(403);
    await request(ctx.http).post(api('/admin/api-keys/re-encrypt')).set(auth(owner.token)).expect(403);
    const job = await request(ctx.http).post(api('/admin/api-keys/re-encrypt')).set(auth(admin.token)).expect(202);
    expect(job.body.job_id).toMatch(/^api-keys-re-encrypt-/);
    await ctx.jobs.drain();
  });
});

describe('update, secret replacement, default, fallbacks, delete', () => {
  it('patches config, toggles status, moves the default, and never writes counters', async () => {
    const { token } = await createUser(ctx);
    const a = await newKey(token, { nickname: 'A' });
    const b = await newKey(token, { nickname: 'B', is_default: true });
    expect(b.body.is_default).toBe(true);
    const aNow = await request(ctx.http)
      .get(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .expect(200);
    expect(aNow.body.is_default).toBe(false);

    const patched = await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({
        nickname: 'A2',
        requests_per_hour: 5,
        monthly_cost_limit_usd: 12.5,
        input_price_per_mtok_usd: 1,
        output_price_per_mtok_usd: 2,
        is_default: true,
        status: 'disabled',
        extra_headers: { 'X-Team': 'blue' },
        model_preferences: ['gpt-4.1', 'gpt-4.1-mini'],
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      nickname: 'A2',
      requests_per_hour: 5,
      monthly_cost_limit_usd: 12.5,
      is_default: true,
      status: 'disabled',
      extra_headers: { 'X-Team': 'blue' },
      model_preferences: ['gpt-4.1', 'gpt-4.1-mini'],
    });
    const bNow = await request(ctx.http)
      .get(api(`/api-keys/${b.body.id}`))
      .set(auth(token))
      .expect(200);
    expect(bNow.body.is_default).toBe(false);
    await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ status: 'suspended' })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ total_requests: 9 })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ provider: 'google' })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ nickname: null })
      .expect(400);
    await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ nickname: 'b' })
      .expect(409);
    const cleared = await request(ctx.http)
      .patch(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .send({ requests_per_hour: null, status: 'active' })
      .expect(200);
    expect(cleared.body).toMatchObject({ requests_per_hour: null, status: 'active' });

    // replace the secret
    const newSecret = 'sk-replaced-secret-9876';
    allSecrets.push(newSecret);
    const replaced = await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/secret`))
      .set(auth(token))
      .send({ secret: newSecret })
      .expect(200);
    expect(replaced.body.secret_hint).toBe('9876');
    expect(replaced.body.secret_rotated_at).not.toBeNull();
    expect(JSON.stringify(replaced.body)).not.toContain(newSecret);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/secret`))
      .set(auth(token))
      .send({})
      .expect(400);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/secret`))
      .set(auth(token))
      .send({ secret: 'short' })
      .expect(422);
    const dupe = await request(ctx.http)
      .put(api(`/api-keys/${b.body.id}/secret`))
      .set(auth(token))
      .send({ secret: newSecret })
      .expect(409);
    expect(dupe.body.code).toBe('DUPLICATE_API_KEY');

    // fallbacks
    const c = await newKey(token, { nickname: 'C' });
    const other = await createUser(ctx);
    const foreign = await newKey(other.token);
    const fb = await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .send({ fallback_ids: [c.body.id, b.body.id] })
      .expect(200);
    expect(fb.body.fallback_ids).toEqual([c.body.id, b.body.id]);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .send({ fallback_ids: [a.body.id] })
      .expect(400);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .send({ fallback_ids: [foreign.body.id] })
      .expect(404);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .send({ fallback_ids: ['x'] })
      .expect(400);
    await request(ctx.http)
      .put(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .send({ fallback_ids: [c.body.id, c.body.id] })
      .expect(400);
    const read = await request(ctx.http)
      .get(api(`/api-keys/${a.body.id}/fallbacks`))
      .set(auth(token))
      .expect(200);
    expect(read.body.items.map((i: { position: number }) => i.position)).toEqual([0, 1]);

    // delete the default → the fallback rows cascade, another active key becomes default
    await request(ctx.http)
      .delete(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .expect(204);
    await request(ctx.http)
      .get(api(`/api-keys/${a.body.id}`))
      .set(auth(token))
      .expect(404);
    const [{ n }] = (await ctx.ds.query(`SELECT count(*)::int AS n FROM api_key_fallbacks WHERE api_key_id = $1`, [
      a.body.id,
    ])) as Array<{ n: number }>;
    expect(n).toBe(0);
    const list = await request(ctx.http).get(api('/api-keys')).set(auth(token)).expect(200);
    expect(list.body.items.filter((k: { is_default: boolean }) => k.is_default)).toHaveLength(1);
    const [trail] = (await ctx.ds.query(
      `SELECT api_key_id, key_hint FROM api_key_events WHERE event_type = 'deleted' AND key_hint = '9876'`,
    )) as Array<{ api_key_id: string | null; key_hint: string }>;
    expect(trail).toEqual({ api_key_id: null, key_hint: '9876' });
  });
});

describe('limits enforced exactly (api-keys.md §4)', () => {
  it('20 concurrent reservations against requests_per_hour=10 → exactly 10 succeed', async () => {
    const { token } = await createUser(ctx);
    const { body: key } = await newKey(token, { requests_per_hour: 10 });
    const usage = ctx.app.get(ApiKeyUsageService);
    const results = await Promise.all(Array.from({ length: 20 }, () => usage.reserve(key.id, { estimatedTokens: 10 })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const blocked = results.filter((r) => !r.ok);
    expect(blocked).toHaveLength(10);
    expect(blocked[0]).toMatchObject({ ok: false, limit: ApiKeyLimitName.RequestsPerHour });
    const [{ used }] = (await ctx.ds.query(
      `SELECT used FROM api_key_usage_windows WHERE api_key_id = $1 AND limit_name = 'requests_per_hour'`,
      [key.id],
    )) as Array<{ used: string }>;
    expect(Number(used)).toBe(10);
    const events = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?event_type=limit_blocked&limit=100`))
      .set(auth(token))
      .expect(200);
    expect(events.body.items).toHaveLength(10);
    expect(events.body.items[0].error_code).toBe('requests_per_hour');
  });

  it('monthly token quota: concurrent token reservations never exceed the quota; release and record settle it', async () => {
    const { token } = await createUser(ctx);
    const { body: key } = await newKey(token, {
      monthly_token_quota: 1000,
      input_price_per_mtok_usd: 1,
      output_price_per_mtok_usd: 2,
    });
    const usage = ctx.app.get(ApiKeyUsageService);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => usage.reserve(key.id, { estimatedTokens: 100 })),
    );
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(10);
    expect(results.find((r) => !r.ok)).toMatchObject({ limit: 'monthly_token_quota' });

    // give one back, then record one real use with fewer tokens than estimated
    const [first, second] = ok as Array<Extract<(typeof results)[number], { ok: true }>>;
    await usage.release(first.reservation);
    await ctx.ds.transaction((em) =>
      usage.recordUse(em, {
        apiKeyId: key.id,
        reservation: second.reservation,
        ok: true,
        purpose: 'chat' as never,
        model: 'gpt-4.1-mini',
        inputTokens: 42,
        outputTokens: 7,
        latencyMs: 120,
        costUsd: 0.000056,
        httpStatus: 200,
      }),
    );
    const res = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/usage?months=2`))
      .set(auth(token))
      .expect(200);
    expect(res.body).toMatchObject({
      total_requests: 1,
      total_errors: 0,
      total_input_tokens: 42,
      total_output_tokens: 7,
      total_latency_ms: 120,
      average_latency_ms: 120,
      error_rate: 0,
    });
    expect(res.body.total_cost_usd).toBeCloseTo(0.000056, 6);
    expect(res.body.monthly).toHaveLength(1);
    expect(res.body.monthly[0]).toMatchObject({ requests: 1, input_tokens: 42, output_tokens: 7 });
    const quota = res.body.limits.find((l: { limit: string }) => l.limit === 'monthly_token_quota');
    // 10 × 100 reserved − 100 released − (100 − 49) settled
    expect(quota).toMatchObject({ limit_value: 1000, used: 849 });
    await request(ctx.http)
      .get(api(`/api-keys/${key.id}/usage?months=0`))
      .set(auth(token))
      .expect(400);
    await request(ctx.http)
      .get(api(`/api-keys/${key.id}/usage?months=25`))
      .set(auth(token))
      .expect(400);
    const used = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?event_type=used`))
      .set(auth(token))
      .expect(200);
    expect(used.body.items[0]).toMatchObject({ input_tokens: 42, output_tokens: 7, latency_ms: 120, purpose: 'chat' });
  });
});

describe('secrets never leak', () => {
  it('no log line contains any secret created in this file', () => {
    const logs = ctx.logs().join('\n');
    expect(allSecrets.length).toBeGreaterThan(5);
    for (const secret of allSecrets) expect(logs).not.toContain(secret);
  });
});
