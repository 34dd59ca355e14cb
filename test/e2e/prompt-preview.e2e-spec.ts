import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import type { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { GenerationStatus } from '../../src/modules/chat/chat.enums.js';
import type { KnowledgeEntry } from '../../src/modules/knowledge/entities/knowledge-entry.entity.js';
import {
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgePosition,
} from '../../src/modules/knowledge/knowledge.enums.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createCollection, createEntry, linkCollection } from '../factories/knowledge.factory.js';
import { addMessages, createMemory } from '../factories/memory.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createAdmin, createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const API = '/api/v1';

interface Preview {
  model: string;
  window_tokens: number;
  budget_tokens: number;
  estimated_tokens: number;
  target_seq: number;
  messages: { role: string; content: string; name?: string }[];
  blocks: { name: string; tokens: number }[];
  dropped_lore: { entry_id: string | null; reason: string; hidden: boolean }[];
  memory_ids: string[];
}

describe('prompt assembly preview (api-keys.md §6.3, knowledge.md §4.1 placement)', () => {
  let ctx: TestApp;
  let owner: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: {
        CHAT_SYSTEM_PREAMBLE: 'PLATFORM-PREAMBLE for {{char}}.',
        LLM_MODEL_CONTEXT_WINDOWS: JSON.stringify({ 'wide-model': 32000, 'wide-model-xl': 64000 }),
      },
    });
    owner = await createUser(ctx, { nickname: 'Owly' });
    stranger = await createUser(ctx);
    await createApiKey(ctx, owner.token, { is_default: true });
  });
  afterAll(() => ctx?.close());

  const http = () => request(ctx.http);
  const preview = (token: string, conversationId: string, query: Record<string, string> = {}) =>
    http().get(`${API}/conversations/${conversationId}/prompt-preview`).query(query).auth(token, { type: 'bearer' });
  const ok = async (token: string, conversationId: string, query: Record<string, string> = {}): Promise<Preview> => {
    const res = await preview(token, conversationId, query);
    if (res.status !== 200) throw new Error(`preview: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Preview;
  };
  const constant = (collectionId: string, over: Partial<KnowledgeEntry>) =>
    createEntry(ctx, { collectionId, activationMode: KnowledgeActivationMode.Constant, primaryKeys: [], ...over });
  const loreBot = async (user: TestUser, over: Partial<Bot> = {}) => {
    const bot = await createBot(ctx, { ownerId: user.user.id, ...over });
    const collection = await createCollection(ctx, { ownerId: user.user.id });
    await linkCollection(ctx, { botId: bot.id, collectionId: collection.id });
    return { bot, collection };
  };
  const setAuthorName = (conversationId: string, seq: number, name: string) =>
    ctx.ds.query(`UPDATE messages SET author_name = $1 WHERE conversation_id = $2 AND seq = $3`, [
      name,
      conversationId,
      seq,
    ]);
  const position = (text: string, needle: string) => {
    const i = text.indexOf(needle);
    if (i < 0) throw new Error(`"${needle}" is not in the system message:\n${text}`);
    return i;
  };

  it('orders system prompt, lore, persona, lore bottom, memories, summary; history oldest-first (§6.8 check 4)', async () => {
    const { bot, collection } = await loreBot(owner, {
      name: 'Mira',
      systemPrompt: 'SYS-PROMPT: you are {{char}} talking to {{user}}.',
      description: 'DESC-MIRA a ship captain.',
    });
    await constant(collection.id, { content: 'LORE-BEFORE-CHAR', position: KnowledgePosition.BeforeCharacter });
    await constant(collection.id, { content: 'LORE-BOTTOM', position: KnowledgePosition.SystemBottom });
    await constant(collection.id, { content: 'LORE-TOP', position: KnowledgePosition.SystemTop });
    const big = await constant(collection.id, {
      content: 'LORE-HUGE '.repeat(1000),
      position: KnowledgePosition.SystemBottom,
      insertionOrder: 0,
      maxTokens: 0,
    });
    const persona = await createPersona(ctx, {
      ownerId: owner.user.id,
      name: 'Captain Alex',
      description: 'PERSONA-DESC a cartographer.',
    });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id], persona_id: persona.id });
    await postMessage(ctx, owner.token, conv.id, { content: 'USER-ONE hello', persona_id: persona.id });
    await addMessages(ctx, conv.id, [{ kind: 'bot', botId: bot.id, userId: owner.user.id, content: 'BOT-ONE ahoy' }]);
    await addMessages(ctx, conv.id, [{ kind: 'system', content: 'SYSTEM-NOTICE joined' }]);
    await addMessages(ctx, conv.id, [
      {
        kind: 'bot',
        botId: bot.id,
        userId: owner.user.id,
        content: 'BOT-FAILED',
        generationStatus: GenerationStatus.Failed,
      },
    ]);
    const last = await postMessage(ctx, owner.token, conv.id, { content: 'USER-TWO again', persona_id: persona.id });
    const memory = await createMemory(ctx, {
      userId: owner.user.id,
      conversationId: conv.id,
      content: 'MEMORY-ONE likes tea',
      importance: 8,
      emotionalContext: 'joy',
    });
    await ctx.ds.query(`UPDATE conversations SET summary = $2 WHERE id = $1`, [
      conv.id,
      'SUMMARY-TEXT they met at the harbour. Then they sailed.',
    ]);

    const body = await ok(owner.token, conv.id);
    expect(body.messages.filter((m) => m.role === 'system')).toHaveLength(1);
    const system = body.messages[0];
    expect(system.role).toBe('system');
    const s = system.content;
    const order = [
      'PLATFORM-PREAMBLE for Mira.',
      'LORE-TOP',
      'SYS-PROMPT: you are Mira talking to Captain Alex.',
      'LORE-BEFORE-CHAR',
      'DESC-MIRA',
      'PERSONA-DESC',
      'LORE-BOTTOM',
      '- (importance 8) MEMORY-ONE likes tea [joy]',
      'SUMMARY-TEXT',
    ].map((needle) => position(s, needle));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(s.endsWith('SUMMARY-TEXT they met at the harbour. Then they sailed.')).toBe(true);
    expect(s).not.toContain('LORE-HUGE');

    expect(body.messages.slice(1)).toEqual([
      { role: 'user', content: 'USER-ONE hello', name: 'Captain_Alex' },
      { role: 'assistant', content: 'BOT-ONE ahoy' },
      { role: 'user', content: 'USER-TWO again', name: 'Captain_Alex' },
    ]);
    expect(body.target_seq).toBe(last.seq + 1);
    expect(body.model).toBe('gpt-4.1-mini');
    expect(body.window_tokens).toBe(8192);
    expect(body.budget_tokens).toBe(8192 - 1024 - 410);
    expect(body.estimated_tokens).toBeLessThanOrEqual(body.budget_tokens);
    expect(body.memory_ids).toEqual([memory.id]);
    expect(body.dropped_lore).toContainEqual({ entry_id: big.id, reason: 'budget_exceeded', hidden: false });
    expect(body.blocks.map((b) => b.name)).toEqual([
      'preamble',
      'knowledge_top',
      'bot',
      'persona',
      'knowledge_bottom',
      'memories',
      'summary',
      'history',
    ]);
    const blockSum = body.blocks.reduce((sum, b) => sum + b.tokens, 0);
    expect(blockSum).toBeLessThanOrEqual(body.estimated_tokens);

    // a preview is a dry run: no activation log rows, no counters
    const [{ n }] = await ctx.ds.query(
      `SELECT count(*)::int AS n FROM knowledge_activation_logs WHERE conversation_id = $1`,
      [conv.id],
    );
    expect(n).toBe(0);
  });

  it('keeps only the newest messages within a 1024-token window (§6.8 check 5)', async () => {
    const bot = await createBot(ctx, { ownerId: owner.user.id, systemPrompt: 'Be brief.' });
    const small = await createApiKey(ctx, owner.token, { context_window_tokens: 1024 });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await http()
      .patch(`${API}/conversations/${conv.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ max_output_tokens: 128 })
      .expect(200);
    const filler = 'words '.repeat(30);
    await addMessages(
      ctx,
      conv.id,
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? { kind: 'user' as const, userId: owner.user.id, content: `U${i} ${filler}` }
          : { kind: 'bot' as const, botId: bot.id, userId: owner.user.id, content: `B${i} ${filler}` },
      ),
    );
    await postMessage(ctx, owner.token, conv.id, { content: `NEWEST ${'x'.repeat(200)}` });

    const body = await ok(owner.token, conv.id, { api_key_id: small.body.id });
    expect(body.window_tokens).toBe(1024);
    expect(body.budget_tokens).toBe(1024 - 128 - 52);
    expect(body.estimated_tokens).toBeLessThanOrEqual(body.budget_tokens);
    const history = body.messages.slice(1);
    expect(history.length).toBeGreaterThan(1);
    expect(history.length).toBeLessThan(41);
    expect(history[history.length - 1].content).toMatch(/^NEWEST /);
    // the newest ones, contiguous: B39, U38, … back to some point
    const numbers = history.slice(0, -1).map((m) => Number(/^[UB](\d+) /.exec(m.content)![1]));
    expect(numbers[numbers.length - 1]).toBe(39);
    expect(numbers).toEqual(numbers.map((_, i) => 39 - (numbers.length - 1 - i)));
    expect(numbers[0]).toBeGreaterThan(0);
    // the next older message was the first one that did not fit
    const next = numbers[0] - 1;
    const nextText = `${next % 2 === 0 ? 'U' : 'B'}${next} ${filler}`;
    const nextCost = Math.ceil(nextText.length / 4) + 4 + (next % 2 === 0 ? 1 : 0);
    expect(body.estimated_tokens + nextCost).toBeGreaterThan(body.budget_tokens);
  });

  it('takes the window from LLM_MODEL_CONTEXT_WINDOWS by longest prefix, the key setting first', async () => {
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'hi' });
    const wide = await ok(owner.token, conv.id, { model: 'wide-model-2' });
    expect([wide.model, wide.window_tokens, wide.budget_tokens]).toEqual(['wide-model-2', 32000, 32000 - 1024 - 1600]);
    expect((await ok(owner.token, conv.id, { model: 'vendor/wide-model-xl-1' })).window_tokens).toBe(64000);
    const keyed = await createApiKey(ctx, owner.token, { context_window_tokens: 4096 });
    expect((await ok(owner.token, conv.id, { model: 'wide-model-2', api_key_id: keyed.body.id })).window_tokens).toBe(
      4096,
    );
  });

  it('without a persona uses nickname, pronouns and about_me, never the email', async () => {
    const user = await createUser(ctx, {
      nickname: null,
      displayName: 'Dana Display',
      pronouns: 'she_her' as never,
      aboutMe: 'ABOUT-DANA loves storms.',
    });
    await createApiKey(ctx, user.token, { is_default: true });
    const bot = await createBot(ctx, { ownerId: user.user.id, systemPrompt: 'Talk to {{user}}.' });
    const conv = await createConversation(ctx, user.token, { bot_ids: [bot.id] });
    await postMessage(ctx, user.token, conv.id, { content: 'hi there' });

    const body = await ok(user.token, conv.id);
    const s = body.messages[0].content;
    expect(s).toContain('Talk to Dana Display.');
    expect(s).toContain('Name: Dana Display');
    expect(s).toContain('Pronouns: she/her');
    expect(s).toContain('About: ABOUT-DANA loves storms.');
    expect(JSON.stringify(body)).not.toContain(user.user.email);
    expect(body.messages[1]).toEqual({ role: 'user', content: 'hi there', name: 'Dana_Display' });
  });

  it('notes a persona switch in the window', async () => {
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    const a = await createPersona(ctx, { ownerId: owner.user.id, name: 'Ann' });
    const b = await createPersona(ctx, { ownerId: owner.user.id, name: 'Bea', description: 'BEA-DESC' });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id], persona_id: a.id });
    await postMessage(ctx, owner.token, conv.id, { content: 'as Ann', persona_id: a.id });
    await postMessage(ctx, owner.token, conv.id, { content: 'as Bea', persona_id: b.id });
    const s = (await ok(owner.token, conv.id)).messages[0].content;
    expect(s).toContain('BEA-DESC');
    expect(s).toMatch(/switched personas.*Ann, Bea.*same person/);
  });

  it('multi-bot: lists the other bots, answers only as the replying bot, prefixes their lines', async () => {
    const first = await createBot(ctx, { ownerId: owner.user.id, name: 'Rook', description: 'ROOK-DESC a parrot.' });
    const second = await createBot(ctx, { ownerId: owner.user.id, name: 'Wren', description: 'WREN-DESC a wren.' });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [first.id, second.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'hello both' });
    const [seq] = await addMessages(ctx, conv.id, [
      { kind: 'bot', botId: first.id, userId: owner.user.id, content: 'squawk' },
    ]);
    await setAuthorName(conv.id, seq, 'Rook');

    const asWren = await ok(owner.token, conv.id, { bot_id: second.id });
    const s = asWren.messages[0].content;
    expect(s).toContain('- Rook: ROOK-DESC a parrot.');
    expect(s).toContain('Answer only as Wren');
    expect(s).not.toContain('- Wren:');
    expect(asWren.messages.slice(1)).toEqual([
      { role: 'user', content: 'hello both', name: 'Owly' },
      { role: 'user', content: '[Rook]: squawk' },
    ]);

    const asRook = await ok(owner.token, conv.id);
    expect(asRook.messages[0].content).toContain('- Wren: WREN-DESC a wren.');
    expect(asRook.messages.slice(-1)).toEqual([{ role: 'assistant', content: 'squawk' }]);
  });

  it('places at_depth lore as messages of its role, depth messages from the end', async () => {
    const { bot, collection } = await loreBot(owner);
    await constant(collection.id, {
      content: 'DEPTH-ONE for {{user}}',
      position: KnowledgePosition.AtDepth,
      depth: 1,
      depthRole: KnowledgeDepthRole.System,
    });
    await constant(collection.id, {
      content: 'DEPTH-ZERO',
      position: KnowledgePosition.AtDepth,
      depth: 0,
      depthRole: KnowledgeDepthRole.Assistant,
    });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'first' });
    await addMessages(ctx, conv.id, [{ kind: 'bot', botId: bot.id, userId: owner.user.id, content: 'reply' }]);
    await postMessage(ctx, owner.token, conv.id, { content: 'second' });

    const body = await ok(owner.token, conv.id);
    expect(body.messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'first'],
      ['assistant', 'reply'],
      ['system', 'DEPTH-ONE for Owly'],
      ['user', 'second'],
      ['assistant', 'DEPTH-ZERO'],
    ]);
    expect(body.messages[0].content).not.toContain('DEPTH-');
    expect(body.blocks.map((b) => b.name)).toContain('knowledge_at_depth');
  });

  it('lists dropped lore with its reason', async () => {
    const { bot, collection } = await loreBot(owner);
    const delayed = await constant(collection.id, { content: 'LATER', delay: 50 });
    const other = await createBot(ctx, { ownerId: owner.user.id });
    const filtered = await constant(collection.id, { content: 'NOT-FOR-THIS-BOT', filterByBots: true });
    await ctx.ds.query(`INSERT INTO knowledge_bot_filters (entry_id, bot_id, mode) VALUES ($1, $2, 'allow')`, [
      filtered.id,
      other.id,
    ]);
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'hi' });

    const body = await ok(owner.token, conv.id);
    expect(body.dropped_lore).toEqual(
      expect.arrayContaining([
        { entry_id: delayed.id, reason: 'delay_not_met', hidden: false },
        { entry_id: filtered.id, reason: 'filter_excluded', hidden: false },
      ]),
    );
    expect(body.messages[0].content).not.toContain('LATER');
    expect(body.messages[0].content).not.toContain('NOT-FOR-THIS-BOT');
  });

  it('hides a definition and lore the caller may not read, but counts them', async () => {
    const creator = await createUser(ctx);
    const { bot, collection } = await loreBot(creator, {
      visibility: ResourceVisibility.Public,
      systemPrompt: 'SECRET-PROMPT of the creator.',
      speechExamples: ['SECRET-EXAMPLE'],
    });
    await constant(collection.id, { content: 'SECRET-LORE', position: KnowledgePosition.AfterCharacter });
    const hiddenDrop = await constant(collection.id, { content: 'SECRET-LATER', delay: 50 });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'hello' });

    const body = await ok(owner.token, conv.id);
    const raw = JSON.stringify(body);
    expect(raw).not.toContain('SECRET-');
    expect(body.messages[0].content).toContain("[hidden: this bot's definition]");
    expect(body.messages[0].content).toContain('[hidden lore entry]');
    expect(body.dropped_lore).toContainEqual({ entry_id: null, reason: 'delay_not_met', hidden: true });
    expect(raw).not.toContain(hiddenDrop.id);
    const bot_ = body.blocks.find((b) => b.name === 'bot')!;
    expect(bot_.tokens).toBeGreaterThanOrEqual(Math.ceil('SECRET-PROMPT of the creator.'.length / 4));

    // the creator sees their own definition
    await createApiKey(ctx, creator.token, { is_default: true });
    const own = await createConversation(ctx, creator.token, { bot_ids: [bot.id] });
    await postMessage(ctx, creator.token, own.id, { content: 'hello' });
    const mine = await ok(creator.token, own.id);
    expect(mine.messages[0].content).toContain('SECRET-PROMPT of the creator.');
    expect(mine.messages[0].content).toContain('SECRET-LORE');
  });

  it('a group member previews with their own key only; an admin may not (403)', async () => {
    const member = await createUser(ctx, { nickname: 'Memb' });
    const admin = await createAdmin(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await http()
      .post(`${API}/conversations/${conv.id}/participants`)
      .auth(owner.token, { type: 'bearer' })
      .send({ user_id: member.user.id })
      .expect(201);
    await postMessage(ctx, member.token, conv.id, { content: 'member speaks' });
    await preview(member.token, conv.id)
      .expect(422)
      .expect(({ body }) => expect(body.code).toBe('NO_API_KEY'));
    await createApiKey(ctx, member.token, { is_default: true });
    const body = await ok(member.token, conv.id);
    expect(body.messages.slice(-1)).toEqual([{ role: 'user', content: 'member speaks', name: 'Memb' }]);
    expect(body.messages[0].content).toContain('Name: Memb');
    await preview(admin.token, conv.id).expect(403);
  });

  it('answers 422 CONTEXT_TOO_LARGE when the mandatory part does not fit', async () => {
    const bot = await createBot(ctx, { ownerId: owner.user.id, systemPrompt: 'y'.repeat(30_000) });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'hi' });
    await preview(owner.token, conv.id)
      .expect(422)
      .expect(({ body }) => expect(body.code).toBe('CONTEXT_TOO_LARGE'));
  });

  it('refuses strangers (404), anonymous callers (401), bad parameters (400) and bots outside the conversation (409)', async () => {
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    await postMessage(ctx, owner.token, conv.id, { content: 'private words' });

    await preview(stranger.token, conv.id)
      .expect(404)
      .expect(({ body }) => {
        expect(body.code).toBe('CONVERSATION_NOT_FOUND');
        expect(JSON.stringify(body)).not.toContain('private words');
      });
    await http().get(`${API}/conversations/${conv.id}/prompt-preview`).expect(401);
    await preview(owner.token, conv.id, { bot_id: 'nope' }).expect(400);
    await preview(owner.token, conv.id, { unknown: '1' }).expect(400);
    const outsider = await createBot(ctx, { ownerId: owner.user.id });
    await preview(owner.token, conv.id, { bot_id: outsider.id })
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('BOT_UNAVAILABLE'));
    await preview(stranger.token, conv.id, { api_key_id: '00000000-0000-4000-8000-000000000000' }).expect(404);
  });
});
