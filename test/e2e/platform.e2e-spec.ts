import request from 'supertest';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('platform', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  it('answers liveness and readiness without a token', async () => {
    await request(ctx.http).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(ctx.http).get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('answers unknown routes with a problem document and echoes the correlation id', async () => {
    const res = await request(ctx.http).get('/api/v1/does-not-exist').set('x-correlation-id', 'abc-123').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', correlation_id: 'abc-123' });
  });

  it('serves a valid OpenAPI 3 document', async () => {
    const res = await request(ctx.http).get('/docs/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
