import { Message } from '../../src/modules/chat/entities/message.entity.js';
import { AuthorKind, GenerationStatus, MessageType, Sensitivity } from '../../src/modules/chat/chat.enums.js';
import { MemoryBot } from '../../src/modules/memories/entities/memory-bot.entity.js';
import { MemoryPersona } from '../../src/modules/memories/entities/memory-persona.entity.js';
import { Memory } from '../../src/modules/memories/entities/memory.entity.js';
import { MemoryOrigin, MemoryType } from '../../src/modules/memories/memories.enums.js';
import type { TestApp } from '../setup/test-app.js';

/** An in-memory manual memory (nothing saved). */
export function buildMemory(overrides: Partial<Memory> & { userId: string }): Memory {
  const content = overrides.content ?? 'The user grew up by the sea and still misses the sound of waves.';
  return Object.assign(new Memory(), {
    conversationId: null,
    type: MemoryType.ShortTerm,
    origin: MemoryOrigin.Manual,
    content,
    importance: 5,
    emotionalContext: null,
    tokenCount: Math.ceil(content.length / 4),
    ...overrides,
  });
}

/** Saves a memory directly (bypassing the API's checks) with optional bot and persona links. */
export async function createMemory(
  ctx: TestApp,
  overrides: Partial<Memory> & { userId: string },
  links: { botIds?: string[]; personaIds?: string[] } = {},
): Promise<Memory> {
  const saved = await ctx.ds.getRepository(Memory).save(buildMemory(overrides));
  for (const botId of links.botIds ?? []) await ctx.ds.getRepository(MemoryBot).insert({ memoryId: saved.id, botId });
  for (const personaId of links.personaIds ?? []) {
    await ctx.ds.getRepository(MemoryPersona).insert({ memoryId: saved.id, personaId });
  }
  return saved;
}

export interface TimelineMessage {
  kind: 'user' | 'bot' | 'system';
  content: string;
  /** bot messages: the speaking bot. */
  botId?: string;
  /** user messages: the sender (and whose key generated a bot reply). */
  userId?: string;
  personaId?: string | null;
  sensitivity?: Sensitivity;
  generationStatus?: GenerationStatus;
  apiKeyId?: string | null;
  model?: string | null;
}

/**
 * Appends messages to a conversation the way chat does (seq allocated under the conversation row lock, counters in
 * step), without the generation path: bot rows are completed replies unless `generationStatus` says otherwise.
 */
export async function addMessages(
  ctx: TestApp,
  conversationId: string,
  messages: TimelineMessage[],
): Promise<number[]> {
  const seqs: number[] = [];
  for (const m of messages) {
    await ctx.ds.transaction(async (em) => {
      const [row] = (await em.query(
        `UPDATE conversations SET last_message_seq = last_message_seq + 1, message_count = message_count + 1,
                last_activity_at = now() WHERE id = $1 RETURNING last_message_seq`,
        [conversationId],
      )) as [Array<{ last_message_seq: string }>, number];
      const seq = Number(row[0].last_message_seq);
      const bot = m.kind === 'bot';
      await em.getRepository(Message).insert({
        conversationId,
        seq,
        authorKind: bot ? AuthorKind.Bot : m.kind === 'system' ? AuthorKind.System : AuthorKind.User,
        authorUserId: m.kind === 'user' ? (m.userId ?? null) : null,
        requestedByUserId: bot ? (m.userId ?? null) : null,
        botId: bot ? (m.botId ?? null) : null,
        personaId: m.kind === 'user' ? (m.personaId ?? null) : null,
        authorName: bot ? 'Bot' : m.kind === 'system' ? 'System' : 'User',
        messageType: m.kind === 'system' ? MessageType.System : MessageType.Text,
        content: m.content,
        isAiGenerated: bot,
        generationStatus: bot ? (m.generationStatus ?? GenerationStatus.Completed) : null,
        sensitivityLevel: m.sensitivity ?? Sensitivity.Private,
        apiKeyId: m.apiKeyId ?? null,
        model: m.model ?? null,
      });
      seqs.push(seq);
    });
  }
  return seqs;
}

/** `n` alternating user/bot messages with distinct text. */
export function chatter(n: number, input: { userId: string; botId: string; personaId?: string | null }, tag = 'x') {
  return Array.from({ length: n }, (_, i): TimelineMessage =>
    i % 2 === 0
      ? { kind: 'user', userId: input.userId, personaId: input.personaId ?? null, content: `user line ${tag} ${i}` }
      : { kind: 'bot', botId: input.botId, userId: input.userId, content: `bot line ${tag} ${i}` },
  );
}
