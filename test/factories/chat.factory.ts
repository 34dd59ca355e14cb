import request from 'supertest';
import type { TestApp } from '../setup/test-app.js';

/** Creates a conversation through the API (so participants, greeting and counters are set as in production). */
export async function createConversation(
  ctx: TestApp,
  token: string,
  body: Record<string, unknown> & { bot_ids: string[] },
): Promise<Record<string, any> & { id: string }> {
  const res = await request(ctx.http).post('/api/v1/conversations').auth(token, { type: 'bearer' }).send(body);
  if (res.status !== 201) throw new Error(`createConversation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Posts a user message through the API; returns the message. Without `respond`/`bot_ids` no bot replies
 * (`respond: 'none'`), so tests that do not exercise generation need no API key.
 */
export async function postMessage(
  ctx: TestApp,
  token: string,
  conversationId: string,
  body: Record<string, unknown> & { content: string },
): Promise<Record<string, any> & { id: string; seq: number }> {
  const res = await request(ctx.http)
    .post(`/api/v1/conversations/${conversationId}/messages`)
    .auth(token, { type: 'bearer' })
    .send(body.respond || body.bot_ids ? body : { respond: 'none', ...body });
  if (res.status !== 201) {
    const errors = ctx.logs().filter((l) => l.includes('"error"') || l.includes('"level":50'));
    throw new Error(`postMessage: ${res.status} ${JSON.stringify(res.body)} ${errors.slice(-1).join('')}`);
  }
  return res.body.message;
}
