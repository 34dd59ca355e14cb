import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { NodeEnv } from '../../src/common/config/env.js';
import { SecretCipher } from '../../src/modules/api-keys/secret-cipher.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/fake-provider.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * Key verification against the fake provider (api-keys.md §6.7) with LLM_ALLOW_INSECURE_LOCAL_PROVIDERS on, plus
 * master-key rotation (k1 → k2) and AAD binding.
 */
const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
let ctx: TestApp;
let fake: FakeProvider;
let canary: Server;
let redirector: Server;
let canaryHits = 0;
let redirectPort = 0;

beforeAll(async () => {
  fake = await startFakeProvider();
  canary = createServer((_req, res) => {
    canaryHits += 1;
    res.end('{"data":[]}');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  const canaryPort = (canary.address() as AddressInfo).port;
  redirector = createServer((_req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/v1/models` }).end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectPort = (redirector.address() as AddressInfo).port;
  ctx = await createTestApp({
    env: {
      LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true',
      KEY_ENCRYPTION_MASTER_KEY: K2,
      KEY_ENCRYPTION_KEY_ID: 'k2',
      KEY_ENCRYPTION_PREVIOUS_KEYS: `k1:${K1}`,
    },
  });
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
  await new Promise((r) => canary.close(r));
  await new Promise((r) => redirector.close(r));
});
beforeEach(() => fake.reset());

const api = (path: string) => `/api/v1${path}`;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function customKey(token: string, overrides: Record<string, unknown> = {}) {
  const res = await request(ctx.http)
    .post(api('/api-keys'))
    .set(auth(token))
    .send({
      nickname: `fake ${randomBytes(3).toString('hex')}`,
      provider: 'custom',
      base_url: fake.baseUrl,
      secret: fake.apiKey,
      model_preferences: ['fake-model'],
      ...overrides,
    });
  expect(res.status).toBe(201);
  return res.body as Record<string, unknown> & { id: string };
}

describe('verify against the fake provider', () => {
  it('create with verify=true: GET /v1/models with the bearer, key verified, secret never echoed', async () => {
    const { token } = await createUser(ctx);
    const body = await customKey(token, {
      verify: true,
      extra_headers: { 'X-Team': 'blue', Authorization: undefined },
    });
    expect(body).toMatchObject({ valid: true, http_status: 200, error_code: null });
    expect((body.api_key as { last_verified_at: string | null }).last_verified_at).not.toBeNull();
    expect((body.api_key as { secret_hint: string }).secret_hint).toBe('1234');
    expect(JSON.stringify(body)).not.toContain(fake.apiKey);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(fake.requests[0].headers['x-team']).toBe('blue');
  });

  it('401 → status invalid, PATCH to active refused; PUT secret → active again (acceptance 8)', async () => {
    const { token } = await createUser(ctx);
    const key = await customKey(token);
    fake.script({ status: 401 });
    const res = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(200);
    expect(res.body).toMatchObject({ valid: false, http_status: 401, error_code: 'INVALID_KEY' });
    expect(res.body.api_key.status).toBe('invalid');
    await request(ctx.http)
      .patch(api(`/api-keys/${key.id}`))
      .set(auth(token))
      .send({ status: 'active' })
      .expect(409);
    fake.script({});
    const replaced = await request(ctx.http)
      .put(api(`/api-keys/${key.id}/secret`))
      .set(auth(token))
      .send({ secret: 'test-secret-other-5678' })
      .expect(200);
    expect(replaced.body.status).toBe('active');
    const events = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events`))
      .set(auth(token))
      .expect(200);
    expect(events.body.items.map((e: { event_type: string }) => e.event_type)).toEqual([
      'secret_replaced',
      'verification_failed',
      'created',
    ]);
  });

  it('429 and 500 leave the status alone; a wrong bearer is refused by the fake', async () => {
    const { token } = await createUser(ctx);
    const key = await customKey(token);
    fake.script({ status: 429 });
    const limited = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(200);
    expect(limited.body).toMatchObject({ valid: false, error_code: 'RATE_LIMITED' });
    expect(limited.body.api_key.status).toBe('active');
    fake.script({ status: 500 });
    const broken = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(200);
    expect(broken.body.error_code).toBe('UPSTREAM_ERROR');
  });

  it('unreachable provider → 502 PROVIDER_UNREACHABLE, status unchanged', async () => {
    const { token } = await createUser(ctx);
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const key = await customKey(token, { base_url: `http://127.0.0.1:${deadPort}/v1` });
    const res = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(502);
    expect(res.body.code).toBe('PROVIDER_UNREACHABLE');
  });

  it('never follows a redirect: the canary gets 0 hits', async () => {
    const { token } = await createUser(ctx);
    const key = await customKey(token, { base_url: `http://127.0.0.1:${redirectPort}/v1` });
    const res = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(502);
    expect(res.body.code).toBe('PROVIDER_UNREACHABLE');
    expect(canaryHits).toBe(0);
    // other loopback spellings stay refused even with the switch on
    for (const base_url of ['https://[::1]/v1', 'http://127.0.0.2/v1', 'http://localhost/v1', 'http://10.0.0.5/v1']) {
      await request(ctx.http)
        .post(api('/api-keys'))
        .set(auth(token))
        .send({ nickname: base_url, provider: 'custom', base_url, secret: 'x-secret-123456', model_preferences: ['m'] })
        .expect(422);
    }
    expect(canaryHits).toBe(0);
  });

  it("verify on someone else's key → 404 and the fake sees nothing", async () => {
    const owner = await createUser(ctx);
    const stranger = await createUser(ctx);
    const key = await customKey(owner.token);
    await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(stranger.token))
      .expect(404);
    await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .expect(401);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('encryption binding and rotation', () => {
  it('swapped ciphertexts fail with KEY_DECRYPT_FAILED and a decrypt_failed event (acceptance 2)', async () => {
    const { token } = await createUser(ctx);
    const a = await customKey(token);
    const b = await customKey(token, { secret: 'test-secret-second-9999' });
    await ctx.ds.query(
      `UPDATE api_keys k SET secret_ciphertext = o.secret_ciphertext, secret_iv = o.secret_iv, secret_auth_tag = o.secret_auth_tag
         FROM api_keys o WHERE (k.id, o.id) IN (($1::uuid, $2::uuid), ($2::uuid, $1::uuid))`,
      [a.id, b.id],
    );
    for (const id of [a.id, b.id]) {
      const res = await request(ctx.http)
        .post(api(`/api-keys/${id}/verify`))
        .set(auth(token))
        .expect(409);
      expect(res.body.code).toBe('KEY_DECRYPT_FAILED');
      const events = await request(ctx.http)
        .get(api(`/api-keys/${id}/events?event_type=decrypt_failed`))
        .set(auth(token))
        .expect(200);
      expect(events.body.items).toHaveLength(1);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('re-encrypts k1 rows under the active k2; the key still works (acceptance 9)', async () => {
    const { token } = await createUser(ctx);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const key = await customKey(token);
    expect(key.encryption_key_id).toBe('k2');
    // Turn the row into an old k1 row (as written before the rotation).
    const old = new SecretCipher({
      NODE_ENV: NodeEnv.Test,
      KEY_ENCRYPTION_MASTER_KEY: K1,
      KEY_ENCRYPTION_KEY_ID: 'k1',
      KEY_ENCRYPTION_PREVIOUS_KEYS: [],
      API_KEY_FINGERPRINT_SECRET: undefined,
    });
    const sealed = old.encrypt(fake.apiKey, { apiKeyId: key.id, userId: key.user_id as string });
    await ctx.ds.query(
      `UPDATE api_keys SET secret_ciphertext = $2, secret_iv = $3, secret_auth_tag = $4, encryption_key_id = 'k1' WHERE id = $1`,
      [key.id, sealed.ciphertext, sealed.iv, sealed.authTag],
    );
    const before = await request(ctx.http)
      .get(api('/admin/api-keys/encryption-status'))
      .set(auth(admin.token))
      .expect(200);
    expect(before.body.pending_rows).toBeGreaterThanOrEqual(1);
    expect(before.body.keys.find((k: { encryption_key_id: string }) => k.encryption_key_id === 'k1')).toMatchObject({
      configured: true,
    });
    await request(ctx.http).post(api('/admin/api-keys/re-encrypt')).set(auth(admin.token)).expect(202);
    await ctx.jobs.drain();
    const after = await request(ctx.http)
      .get(api('/admin/api-keys/encryption-status'))
      .set(auth(admin.token))
      .expect(200);
    const [row] = (await ctx.ds.query(`SELECT encryption_key_id FROM api_keys WHERE id = $1`, [key.id])) as Array<{
      encryption_key_id: string;
    }>;
    expect(row.encryption_key_id).toBe('k2');
    expect(after.body.keys.find((k: { encryption_key_id: string }) => k.encryption_key_id === 'k1')).toBeUndefined();
    const verified = await request(ctx.http)
      .post(api(`/api-keys/${key.id}/verify`))
      .set(auth(token))
      .expect(200);
    expect(verified.body.valid).toBe(true);
    const events = await request(ctx.http)
      .get(api(`/api-keys/${key.id}/events?event_type=re_encrypted`))
      .set(auth(token))
      .expect(200);
    expect(events.body.items).toHaveLength(1);
  });

  it('no log line contains the secret', () => {
    expect(ctx.logs().join('\n')).not.toContain(fake.apiKey);
  });
});

describe('fake provider contract (api-keys.md §6.7)', () => {
  const post = (body: unknown, key = fake.apiKey) =>
    fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('streams Hel, lo, finish, usage, [DONE] and records the request', async () => {
    const res = await post({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const data = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.map((c) => c.choices[0]?.delta?.content).filter(Boolean)).toEqual(['Hel', 'lo']);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 });
    expect(fake.requests[0].body).toMatchObject({ model: 'fake-model', stream: true });
  });

  it('answers without stream, and scripts 401/429, cut streams, malformed chunks and <think>', async () => {
    fake.script({ text: '{"memories":[]}' });
    const plain = (await (await post({ model: 'fake-model', messages: [] })).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(plain.choices[0].message.content).toBe('{"memories":[]}');
    fake.script({});
    expect((await post({ stream: true }, 'wrong')).status).toBe(401);
    fake.script({ status: 429, retryAfterSeconds: 3 });
    const limited = await post({ stream: true });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    fake.script({ cutBeforeDone: true, malformedChunk: true, thinkPrefix: 'plan' });
    const cut = await (await post({ stream: true })).text();
    expect(cut).not.toContain('[DONE]');
    expect(cut).toContain('data: {"choices":[{"index":0,"delta":{"content":\n');
    expect(cut).toContain('<thi');
    fake.script({ delayMs: 50 });
    const started = Date.now();
    await (await post({ stream: true })).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
