import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import type { MessageAlternative } from '../../src/modules/chat/entities/message-alternative.entity.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { seedBotReply } from '../factories/bot-reply.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createMedia } from '../factories/media.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `chat` (conversations, participants, messages, attachments, reactions, alternatives,
 * generation, prompt preview, search, SillyTavern JSONL) in the OpenAPI document generated from the running app and
 * checks each actor against a group chat (chat.md §1.4, §2, §3.3, §5; api-keys.md §6.5).
 *
 * Fixture: `owner`'s conversation with a public bot, `member` added as a member (variant `group`) or added and then
 * left (variant `left`); a user message of each of them, and a generated bot reply requested by the owner with two
 * completed alternatives (generation finished, so its stream is a replay). The owner has an API key. Moderators get
 * nothing of a private conversation, admins read but never write. Fixtures are reused; a row marked `mutates` gets a
 * fresh one after each 2xx. Every refusal is problem+json and carries none of the fixture's text; lists and search
 * show the conversation to its participants only.
 */
const TAG = 'chat';
const ACTORS = ['anonymous', 'owner', 'member', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VARIANTS = ['group', 'left'] as const;
type Variant = (typeof VARIANTS)[number];
/** Words every fixture message contains (search finds them; no refusal may echo them). */
const SECRET_WORD = 'zephyrquartz';

interface Fixture {
  conversationId: string;
  botId: string;
  ownerMessage: { id: string; seq: number };
  memberMessage: { id: string; seq: number };
  reply: { id: string; seq: number };
  alternatives: MessageAlternative[];
  memberParticipantId: string;
  botParticipantId: string;
  ownerMediaId: string;
  /** A user not yet in the conversation (to add as a member). */
  newcomer: TestUser;
}

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
  botOwner: TestUser;
}

type Row = MatrixRow<Fixture, Variant, Env>;

const { same, signedIn } = statusRows(ACTORS, VARIANTS);

/**
 * One status per actor that can reach the conversation; the member's column applies while they are a member
 * (after leaving they get 404 like a stranger). Anonymous 401, stranger and moderator 404.
 */
const CONV = (owner: number, member: number, admin: number): Record<Variant, number[]> => ({
  //     anon owner  member  stranger moderator admin
  group: [401, owner, member, 404, 404, admin],
  left: [401, owner, 404, 404, 404, admin],
});
/** Read access: participants and admins. */
const READ = CONV(200, 200, 200);
/** Owner only; a member sees the conversation (403), an admin reads but never writes (403). */
const OWNER = (ok: number) => CONV(ok, 403, 403);
/** Participants (owner and active members); admins read only. */
const PARTICIPANT = (ok: number) => CONV(ok, ok, 403);

const ownerMsg = (f: Fixture) => ({ id: f.ownerMessage.id });
const memberMsg = (f: Fixture) => ({ id: f.memberMessage.id });
const replyMsg = (f: Fixture) => ({ id: f.reply.id });

/** The caller's list/search result shows the fixture conversation exactly when the caller takes part in it. */
const listsOnlyParticipants =
  (idOf: (item: Record<string, unknown>) => unknown) =>
  (res: request.Response, { actor, variant, fixture }: { actor: string; variant: Variant; fixture: Fixture }) => {
    if (res.status !== 200) return undefined;
    const items = (res.body.items ?? []) as Record<string, unknown>[];
    const shown = items.some((item) => idOf(item) === fixture.conversationId);
    const participant = actor === 'owner' || (actor === 'member' && variant === 'group');
    if (shown && !participant) return 'shows a conversation the caller does not take part in';
    if (!shown && participant) return 'misses a conversation the caller takes part in';
    return undefined;
  };

const TABLE: Record<string, Row | Row[]> = {
  // ---------------------------------------------------------------- conversations (§1)
  'GET /api/v1/conversations': {
    query: () => 'limit=100',
    expect: same(signedIn(200)),
    check: listsOnlyParticipants((c) => c.id),
  },
  // the bot is public: every signed-in caller may start a conversation with it
  'POST /api/v1/conversations': { body: (f) => ({ bot_ids: [f.botId] }), expect: same(signedIn(201)) },
  'GET /api/v1/conversations/{id}': { expect: READ },
  'PATCH /api/v1/conversations/{id}': { body: () => ({ title: 'Renamed' }), expect: OWNER(200) },
  'DELETE /api/v1/conversations/{id}': { expect: CONV(204, 403, 204), mutates: true },
  // read receipts are per participant; an admin reads without taking part
  'POST /api/v1/conversations/{id}/read': { body: (f) => ({ seq: f.reply.seq }), expect: PARTICIPANT(200) },
  // ---------------------------------------------------------------- participants (§2)
  'GET /api/v1/conversations/{id}/participants': { expect: READ },
  'POST /api/v1/conversations/{id}/participants': {
    body: (f) => ({ user_id: f.newcomer.user.id }),
    expect: OWNER(201),
    mutates: true,
  },
  'PATCH /api/v1/conversations/{id}/participants/{participantId}': {
    params: (f) => ({ participantId: f.botParticipantId }),
    body: () => ({ role: 'primary' }),
    expect: OWNER(200),
  },
  'DELETE /api/v1/conversations/{id}/participants/{participantId}': [
    // the member leaves (after leaving: 404); the owner removes them; nobody else may
    {
      label: 'member row',
      params: (f) => ({ participantId: f.memberParticipantId }),
      expect: CONV(204, 204, 403),
      mutates: true,
    },
    { label: 'bot row', params: (f) => ({ participantId: f.botParticipantId }), expect: OWNER(204), mutates: true },
  ],
  // ---------------------------------------------------------------- messages (§3)
  'GET /api/v1/conversations/{id}/messages': { expect: READ },
  'POST /api/v1/conversations/{id}/messages': [
    { label: 'text', body: () => ({ content: 'hello', respond: 'none' }), expect: PARTICIPANT(201) },
    // attachments (§3.1): media must belong to the sender, so the member may not attach the owner's picture (400)
    {
      label: "owner's attachment",
      body: (f) => ({ content: 'see this', respond: 'none', media_ids: [f.ownerMediaId] }),
      expect: CONV(201, 400, 403),
    },
  ],
  'DELETE /api/v1/conversations/{id}/messages': {
    query: (f) => `from_seq=${f.reply.seq}`,
    expect: OWNER(200),
    mutates: true,
  },
  'GET /api/v1/messages/{id}': { params: replyMsg, expect: READ },
  'PATCH /api/v1/messages/{id}': [
    // a user message: its author only
    { label: "owner's message", params: ownerMsg, body: () => ({ content: 'edited' }), expect: OWNER(200) },
    {
      label: "member's message",
      params: memberMsg,
      body: () => ({ content: 'edited' }),
      expect: CONV(403, 200, 403),
    },
    // a completed bot message: the conversation owner
    { label: 'bot reply', params: replyMsg, body: () => ({ content: 'edited' }), expect: OWNER(200) },
  ],
  'DELETE /api/v1/messages/{id}': [
    { label: "owner's message", params: ownerMsg, expect: OWNER(204), mutates: true },
    // its author, or the conversation owner for any message
    { label: "member's message", params: memberMsg, expect: CONV(204, 204, 403), mutates: true },
  ],
  'GET /api/v1/messages/{id}/edits': { params: ownerMsg, expect: READ },
  // reactions (§3.1): participants only
  'PUT /api/v1/messages/{id}/reactions/{emoji}': {
    params: (f) => ({ id: f.ownerMessage.id, emoji: '👍' }),
    expect: PARTICIPANT(200),
  },
  'DELETE /api/v1/messages/{id}/reactions/{emoji}': {
    params: (f) => ({ id: f.ownerMessage.id, emoji: '👍' }),
    expect: PARTICIPANT(200),
  },
  // ---------------------------------------------------------------- alternatives (§3.5)
  'GET /api/v1/messages/{id}/alternatives': { params: replyMsg, expect: READ },
  // the conversation owner or the reply's requester (here: the owner)
  'PUT /api/v1/messages/{id}/active-alternative': {
    params: replyMsg,
    body: (f) => ({ alternative_id: f.alternatives[0].id }),
    expect: OWNER(200),
  },
  // ---------------------------------------------------------------- generation (§3.3, api-keys.md §6)
  // the owner regenerates with their own key (202, a queued alternative); a member is no requester of this reply
  'POST /api/v1/messages/{id}/regenerate': { params: replyMsg, expect: OWNER(202), mutates: true },
  // the reply's generation is finished: its stream replays it to the owner; everyone else is refused before it opens
  'GET /api/v1/messages/{id}/stream': {
    params: replyMsg,
    expect: OWNER(200),
    check: (res) =>
      res.status === 200 && !/^text\/event-stream/.test(String(res.headers['content-type']))
        ? `stream answered ${res.headers['content-type']}`
        : undefined,
  },
  // nothing is generating any more: the owner gets 409, the others are refused first
  'POST /api/v1/messages/{id}/cancel': { params: replyMsg, expect: OWNER(409) },
  // participants who may post preview the next reply with their own key: the member has none (422 NO_API_KEY, the
  // owner's key is never used for them); admins read but never post
  'GET /api/v1/conversations/{id}/prompt-preview': { expect: CONV(200, 422, 403) },
  // ---------------------------------------------------------------- search (§5): own conversations only
  'GET /api/v1/search/messages': {
    query: () => `q=${SECRET_WORD}&limit=100`,
    expect: same(signedIn(200)),
    check: listsOnlyParticipants((m) => m.conversation_id),
  },
  // ---------------------------------------------------------------- SillyTavern JSONL (interop)
  'POST /api/v1/conversations/import': {
    query: (f) => `bot_id=${f.botId}`,
    headers: { 'content-type': 'text/plain' },
    body: () => `{"name":"Bot","is_user":false,"mes":"Hi"}\n{"name":"Me","is_user":true,"mes":"Hello"}\n`,
    expect: same(signedIn(201)),
  },
  // conversation owner only; anyone else → 404 (also members and admins)
  'GET /api/v1/conversations/{id}/export': { expect: CONV(200, 404, 404) },
};

describeAuthorizationMatrix<ActorName, Variant, Fixture, Env, Row>({
  title: 'chat',
  tags: [TAG],
  actors: ACTORS,
  variants: VARIANTS,
  table: TABLE,
  setup: async (ctx) => {
    const users = await createActorUsers(ctx, ACTORS);
    await createApiKey(ctx, users.owner.token);
    return { users, botOwner: await createUser(ctx, { role: UserRole.Creator }) };
  },
  fixtures: 'reuse',
  fixture: async ({ ctx, users, botOwner }, variant) => {
    const { owner, member } = users;
    const bot = await createBot(ctx, { ownerId: botOwner.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id], title: `About ${SECRET_WORD}` });
    const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
    const added = await request(ctx.http)
      .post(`/api/v1/conversations/${conv.id}/participants`)
      .set(as(owner))
      .send({ user_id: member.user.id })
      .expect(201);
    const ownerMessage = await postMessage(ctx, owner.token, conv.id, { content: `owner on ${SECRET_WORD}` });
    const memberMessage = await postMessage(ctx, member.token, conv.id, { content: `member on ${SECRET_WORD}` });
    const seeded = await seedBotReply(ctx, {
      conversationId: conv.id,
      botId: bot.id,
      requestedByUserId: owner.user.id,
      alternatives: [{ content: `first ${SECRET_WORD}` }, { content: `second ${SECRET_WORD}` }],
    });
    if (variant === 'left') {
      await request(ctx.http)
        .delete(`/api/v1/conversations/${conv.id}/participants/${added.body.id}`)
        .set(as(member))
        .expect(204);
    }
    const participants = await request(ctx.http)
      .get(`/api/v1/conversations/${conv.id}/participants`)
      .set(as(owner))
      .expect(200);
    const botRow = (participants.body as { id: string; bot_id: string | null }[]).find((p) => p.bot_id === bot.id);
    const media = await createMedia(ctx, { ownerId: owner.user.id });
    return {
      conversationId: conv.id,
      botId: bot.id,
      ownerMessage,
      memberMessage,
      reply: { id: seeded.message.id, seq: Number(seeded.message.seq) },
      alternatives: seeded.alternatives,
      memberParticipantId: added.body.id as string,
      botParticipantId: botRow!.id,
      ownerMediaId: media.id,
      newcomer: await createUser(ctx),
    };
  },
  params: (f) => ({ id: f.conversationId }),
  requestTimeout: 15_000,
  // a refusal is problem+json and gives away nothing of the conversation
  check: (res) => {
    if (res.status < 400) return undefined;
    if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) {
      return `refusal is ${res.headers['content-type']}, not problem+json`;
    }
    return res.text.includes(SECRET_WORD) ? 'refusal carries conversation content' : undefined;
  },
});
