import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { LlmProvider } from '../../src/modules/api-keys/api-keys.enums.js';
import { GenerationStatus, TokenCountSource } from '../../src/modules/chat/chat.enums.js';
import { Message } from '../../src/modules/chat/entities/message.entity.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { seedBotReply } from '../factories/bot-reply.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createAdmin, createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/** chat.md §3.4 "Select alternative", §3.5, §3.6: GET /messages/:id/alternatives, PUT /messages/:id/active-alternative. */
describe('chat: message alternatives ("swipes")', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const problem = (res: request.Response, status: number, code?: string) => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: code ? { code } : {} });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };
  const list = (u: TestUser, id: string) =>
    request(ctx.http)
      .get(api(`/messages/${id}/alternatives`))
      .set(as(u));
  const select = (u: TestUser, id: string, body: unknown) =>
    request(ctx.http)
      .put(api(`/messages/${id}/active-alternative`))
      .set(as(u))
      .send(body as object);

  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let conv: { id: string };
  let botId: string;
  let keyId: string;
  /** Alternatives #0 (completed), #1 (completed, shown), #2 failed, #3 cancelled, #4 queued. */
  let seeded: Awaited<ReturnType<typeof seedBotReply>>;
  const altA = () => seeded.alternatives[0];
  /** Alternative #0 as the API shows it (as an alternative, and in the message once selected). */
  const FIRST_ANSWER = {
    content: 'First answer',
    reasoning_content: 'thinking A',
    provider: 'openai',
    model: 'model-a',
    input_tokens: 11,
    output_tokens: 22,
    total_tokens: 33,
    token_count_source: 'provider',
    processing_time_ms: 1500,
    first_token_ms: 300,
    finish_reason: 'stop',
  };

  beforeAll(async () => {
    const creator = await createUser(ctx, { role: UserRole.Creator });
    [owner, member, stranger] = [await createUser(ctx), await createUser(ctx), await createUser(ctx)];
    admin = await createAdmin(ctx);
    const bot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public });
    botId = bot.id;
    conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await request(ctx.http)
      .post(api(`/conversations/${conv.id}/participants`))
      .set(as(owner))
      .send({ user_id: member.user.id })
      .expect(201);
    keyId = (await createApiKey(ctx, owner.token)).body.id;
    seeded = await seedBotReply(ctx, {
      conversationId: conv.id,
      botId,
      requestedByUserId: owner.user.id,
      active: 1,
      alternatives: [
        {
          content: 'First answer',
          reasoningContent: 'thinking A',
          provider: LlmProvider.OpenAi,
          model: 'model-a',
          apiKeyId: keyId,
          inputTokens: 11,
          outputTokens: 22,
          tokenCountSource: TokenCountSource.Provider,
          costEstimate: '0.001250',
          processingTimeMs: 1500,
          firstTokenMs: 300,
          finishReason: 'stop',
        },
        {
          content: 'Second answer',
          reasoningContent: null,
          provider: LlmProvider.OpenRouter,
          model: 'model-b',
          apiKeyId: keyId,
          inputTokens: 40,
          outputTokens: 5,
          tokenCountSource: TokenCountSource.Estimated,
          costEstimate: null,
          processingTimeMs: 900,
          firstTokenMs: 120,
          finishReason: 'length',
        },
        { content: '', generationStatus: GenerationStatus.Failed, errorCode: 'UPSTREAM_ERROR', finishReason: 'error' },
        { content: 'partial', generationStatus: GenerationStatus.Cancelled, finishReason: 'cancelled' },
        { content: '', generationStatus: GenerationStatus.Queued },
      ],
    });
  });

  describe('GET /messages/:id/alternatives', () => {
    it('401 without a token, 400 for a malformed id', async () => {
      problem(await request(ctx.http).get(api(`/messages/${seeded.message.id}/alternatives`)), 401);
      problem(await list(owner, 'nope'), 400);
    });

    it('lists every alternative by position, marks the shown one; key and cost only to the requester', async () => {
      const res = await list(owner, seeded.message.id).expect(200);
      const items = res.body as Record<string, unknown>[];
      expect(items.map((a) => a.position)).toEqual([0, 1, 2, 3, 4]);
      expect(items.map((a) => a.is_active)).toEqual([false, true, false, false, false]);
      expect(items.map((a) => a.generation_status)).toEqual([
        'completed',
        'completed',
        'failed',
        'cancelled',
        'queued',
      ]);
      expect(items[0]).toMatchObject({
        id: altA().id,
        message_id: seeded.message.id,
        ...FIRST_ANSWER,
        requested_by_user_id: owner.user.id,
        api_key_id: keyId,
        cost_estimate: 0.00125,
      });
      expect(items[2]).toMatchObject({ error_code: 'UPSTREAM_ERROR' });

      const asMember = (await list(member, seeded.message.id).expect(200)).body as Record<string, unknown>[];
      expect(asMember).toHaveLength(5);
      expect(asMember[0]).not.toHaveProperty('api_key_id');
      expect(asMember[0]).not.toHaveProperty('cost_estimate');
    });

    it('admins read (read-only access), strangers and moderators get 404', async () => {
      await list(admin, seeded.message.id).expect(200);
      problem(await list(stranger, seeded.message.id), 404, 'MESSAGE_NOT_FOUND');
      const moderator = await createUser(ctx, { role: UserRole.Moderator });
      problem(await list(moderator, seeded.message.id), 404, 'MESSAGE_NOT_FOUND');
      problem(await list(owner, '00000000-0000-4000-8000-000000000000'), 404, 'MESSAGE_NOT_FOUND');
    });

    it('a user message has none; the greeting lists its alternate greetings', async () => {
      const creator = await createUser(ctx, { role: UserRole.Creator });
      const bot = await createBot(ctx, {
        ownerId: creator.user.id,
        visibility: ResourceVisibility.Public,
        greeting: 'Hi {{user}}',
        alternateGreetings: ['Hello there', 'Welcome'],
      });
      const me = await createUser(ctx, { nickname: 'Trin' });
      const c = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
      const greeting = await ctx.ds.getRepository(Message).findOneByOrFail({ conversationId: c.id, seq: 1 });
      const alts = (await list(me, greeting.id).expect(200)).body as { content: string; is_active: boolean }[];
      expect(alts.map((a) => a.content)).toEqual(['Hi Trin', 'Hello there', 'Welcome']);
      expect(alts.map((a) => a.is_active)).toEqual([true, false, false]);
      const res = await request(ctx.http)
        .post(api(`/conversations/${c.id}/messages`))
        .set(as(me))
        .send({ content: 'hello', respond: 'none' })
        .expect(201);
      expect((await list(me, res.body.message.id).expect(200)).body).toEqual([]);
      // the greeting's swipes are selectable like any completed alternative
      const picked = await select(me, greeting.id, { alternative_id: (alts as unknown as { id: string }[])[2].id });
      expect(picked.status).toBe(200);
      expect(picked.body).toMatchObject({ content: 'Welcome', is_ai_generated: false, generation_status: 'completed' });
    });
  });

  describe('PUT /messages/:id/active-alternative', () => {
    it('401 without a token; 400 for a bad or extra field', async () => {
      problem(
        await request(ctx.http)
          .put(api(`/messages/${seeded.message.id}/active-alternative`))
          .send({ alternative_id: altA().id }),
        401,
      );
      problem(await select(owner, seeded.message.id, {}), 400, 'VALIDATION_FAILED');
      problem(await select(owner, seeded.message.id, { alternative_id: 'x' }), 400, 'VALIDATION_FAILED');
      problem(
        await select(owner, seeded.message.id, { alternative_id: altA().id, content: 'hack' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('copies content, reasoning, model, provider, tokens, cost and timings; updated_at bumps, edited_at does not', async () => {
      const repo = ctx.ds.getRepository(Message);
      const before = await repo.findOneByOrFail({ id: seeded.message.id });
      await new Promise((r) => setTimeout(r, 5));
      const res = await select(owner, seeded.message.id, { alternative_id: altA().id }).expect(200);
      expect(res.body).toMatchObject({
        id: seeded.message.id,
        active_alternative_id: altA().id,
        ...FIRST_ANSWER,
        generation_status: 'completed',
        cost_estimate: 0.00125,
        api_key_id: keyId,
        alternative_count: 5,
        is_edited: false,
        edited_at: null,
        edit_count: 0,
      });
      const after = await repo.findOneByOrFail({ id: seeded.message.id });
      expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
      expect(after.editedAt).toBeNull();
      expect(after).toMatchObject({ content: 'First answer', costEstimate: '0.001250', alternativeCount: 5 });

      // and back to #1: everything follows, nothing of #0 stays behind
      const back = await select(owner, seeded.message.id, { alternative_id: seeded.alternatives[1].id }).expect(200);
      expect(back.body).toMatchObject({
        content: 'Second answer',
        reasoning_content: null,
        provider: 'openrouter',
        model: 'model-b',
        total_tokens: 45,
        token_count_source: 'estimated',
        cost_estimate: null,
        finish_reason: 'length',
        first_token_ms: 120,
      });
      const listed = (await list(owner, seeded.message.id).expect(200)).body as { is_active: boolean }[];
      expect(listed.map((a) => a.is_active)).toEqual([false, true, false, false, false]);
      const read = await request(ctx.http)
        .get(api(`/messages/${seeded.message.id}`))
        .set(as(owner))
        .expect(200);
      expect(read.body).toMatchObject({ content: 'Second answer', active_alternative_id: seeded.alternatives[1].id });
    });

    it('an edited message keeps its edited_at when another alternative is selected', async () => {
      const { message, alternatives } = await seedBotReply(ctx, {
        conversationId: conv.id,
        botId,
        requestedByUserId: owner.user.id,
        alternatives: [{ content: 'one' }, { content: 'two' }],
      });
      await request(ctx.http)
        .patch(api(`/messages/${message.id}`))
        .set(as(owner))
        .send({ content: 'two, edited' })
        .expect(200);
      const edited = await ctx.ds.getRepository(Message).findOneByOrFail({ id: message.id });
      const res = await select(owner, message.id, { alternative_id: alternatives[0].id }).expect(200);
      expect(res.body).toMatchObject({ content: 'one', is_edited: true, edit_count: 1 });
      expect(res.body.edited_at).toBe(edited.editedAt!.toISOString());
      // the edit went into alternative #1, so swiping back shows it
      const back = await select(owner, message.id, { alternative_id: alternatives[1].id }).expect(200);
      expect(back.body.content).toBe('two, edited');
    });

    it('409 ALTERNATIVE_NOT_COMPLETED for failed, cancelled and queued alternatives; nothing changes', async () => {
      for (const i of [2, 3, 4]) {
        problem(
          await select(owner, seeded.message.id, { alternative_id: seeded.alternatives[i].id }),
          409,
          'ALTERNATIVE_NOT_COMPLETED',
        );
      }
      const row = await ctx.ds.getRepository(Message).findOneByOrFail({ id: seeded.message.id });
      expect(row.activeAlternativeId).toBe(seeded.alternatives[1].id);
      expect(row.content).toBe('Second answer');
    });

    it('404 ALTERNATIVE_NOT_FOUND for an alternative of another message or an unknown id', async () => {
      const other = await seedBotReply(ctx, {
        conversationId: conv.id,
        botId,
        requestedByUserId: owner.user.id,
        alternatives: [{ content: 'elsewhere' }],
      });
      problem(
        await select(owner, seeded.message.id, { alternative_id: other.alternatives[0].id }),
        404,
        'ALTERNATIVE_NOT_FOUND',
      );
      problem(
        await select(owner, seeded.message.id, { alternative_id: '00000000-0000-4000-8000-000000000000' }),
        404,
        'ALTERNATIVE_NOT_FOUND',
      );
      const row = await ctx.ds.getRepository(Message).findOneByOrFail({ id: seeded.message.id });
      expect(row.activeAlternativeId).toBe(seeded.alternatives[1].id);
    });

    it('stranger → 404; admin and a member who did not request the reply → 403; the requesting member → 200', async () => {
      problem(await select(stranger, seeded.message.id, { alternative_id: altA().id }), 404, 'MESSAGE_NOT_FOUND');
      problem(await select(admin, seeded.message.id, { alternative_id: altA().id }), 403, 'MESSAGE_FORBIDDEN');
      problem(await select(member, seeded.message.id, { alternative_id: altA().id }), 403, 'MESSAGE_FORBIDDEN');
      const mine = await seedBotReply(ctx, {
        conversationId: conv.id,
        botId,
        requestedByUserId: member.user.id,
        alternatives: [{ content: 'for member 0' }, { content: 'for member 1' }],
      });
      const res = await select(member, mine.message.id, { alternative_id: mine.alternatives[0].id }).expect(200);
      expect(res.body.content).toBe('for member 0');
      // the owner may steer any reply in their conversation
      await select(owner, mine.message.id, { alternative_id: mine.alternatives[1].id }).expect(200);
    });

    it('409 GENERATION_IN_PROGRESS while the message itself is generating', async () => {
      const open = await seedBotReply(ctx, {
        conversationId: conv.id,
        botId,
        requestedByUserId: owner.user.id,
        alternatives: [{ content: 'done' }, { content: 'stream…', generationStatus: GenerationStatus.Streaming }],
      });
      problem(
        await select(owner, open.message.id, { alternative_id: open.alternatives[0].id }),
        409,
        'GENERATION_IN_PROGRESS',
      );
    });

    it('a failed message shown on a completed alternative becomes completed and delivered again', async () => {
      const failed = await seedBotReply(ctx, {
        conversationId: conv.id,
        botId,
        requestedByUserId: owner.user.id,
        alternatives: [
          { content: 'good' },
          { content: 'half', generationStatus: GenerationStatus.Failed, errorCode: 'UPSTREAM_ERROR' },
        ],
        message: { deliveryStatus: 'failed' as Message['deliveryStatus'], errorCode: 'UPSTREAM_ERROR' },
      });
      const res = await select(owner, failed.message.id, { alternative_id: failed.alternatives[0].id }).expect(200);
      expect(res.body).toMatchObject({
        content: 'good',
        generation_status: 'completed',
        error_code: null,
        delivery_status: 'delivered',
      });
    });
  });
});
