import type { LlmChatMessage } from '../../api-keys/llm/llm.types.js';
import { substituteMacros } from '../../knowledge/knowledge-links.service.js';
import type { MacroNames } from './prompt-blocks.js';

/** A message of the conversation that may enter the prompt (system rows and unfinished replies already left out). */
export interface HistoryRow {
  seq: number;
  authorKind: 'user' | 'bot';
  authorUserId: string | null;
  botId: string | null;
  personaId: string | null;
  /** Snapshot of the persona / nickname / bot name at write time. */
  authorName: string;
  /** Active-alternative content. */
  content: string;
}

/** Persona or user name as an OpenAI `name`: [A-Za-z0-9_-]{1,64}; undefined when nothing is left. */
export function sanitizeName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return ascii || undefined;
}

/**
 * Role mapping (api-keys.md §6.3): user messages → `user` with the sanitised author name; the replying bot's own
 * messages → `assistant`; other bots' messages → `user` with content `[{author_name}]: {content}`.
 */
export function toPromptMessage(
  row: HistoryRow,
  replyingBotId: string,
  names: MacroNames,
  supportsNameField = true,
): LlmChatMessage {
  const content = substituteMacros(row.content, names);
  if (row.authorKind === 'bot') {
    if (row.botId === replyingBotId) return { role: 'assistant', content };
    return { role: 'user', content: `[${row.authorName}]: ${content}` };
  }
  const name = supportsNameField ? sanitizeName(row.authorName) : undefined;
  return name ? { role: 'user', content, name } : { role: 'user', content };
}

/**
 * Picks the history that fits, newest backwards, stopping at the first message that does not fit. `costs` are
 * oldest → newest; `forced` (the newest user message) is always kept and its cost is not taken from `available`
 * (the caller reserved it). Returns the kept indexes, ascending.
 */
export function fitHistory(costs: number[], available: number, forced: number | null): number[] {
  const kept: number[] = [];
  let left = available;
  let stopped = false;
  for (let i = costs.length - 1; i >= 0; i--) {
    if (i === forced) {
      kept.push(i);
      continue;
    }
    if (stopped) continue;
    if (costs[i] <= left) {
      kept.push(i);
      left -= costs[i];
    } else {
      stopped = true;
      if (forced === null || forced > i) break;
    }
  }
  return kept.reverse();
}

/** An extra message from at_depth lore: inserted `depth` messages from the end (0 = after the newest). */
export interface DepthMessage {
  depth: number;
  message: LlmChatMessage;
}

/** Inserts depth messages into the history; several at one depth keep their given order. */
export function insertAtDepth(history: LlmChatMessage[], extras: DepthMessage[]): LlmChatMessage[] {
  const buckets = new Map<number, LlmChatMessage[]>();
  for (const e of extras) {
    const at = Math.max(0, history.length - Math.max(0, e.depth));
    buckets.set(at, [...(buckets.get(at) ?? []), e.message]);
  }
  const out: LlmChatMessage[] = [];
  for (let i = 0; i <= history.length; i++) {
    out.push(...(buckets.get(i) ?? []));
    if (i < history.length) out.push(history[i]);
  }
  return out;
}
