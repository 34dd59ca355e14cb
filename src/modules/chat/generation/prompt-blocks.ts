import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Persona } from '../../personas/entities/persona.entity.js';
import { KnowledgePosition } from '../../knowledge/knowledge.enums.js';
import { substituteMacros } from '../../knowledge/knowledge-links.service.js';

/** Names `{{char}}` and `{{user}}` stand for. */
export interface MacroNames {
  char: string;
  user: string;
}

/** Lore texts (already cut to their max_tokens) per placement inside the system message, in insertion order. */
export type LoreTexts = Partial<Record<KnowledgePosition, string[]>>;

/** A block of the system message: a header line (may be empty) and its body. */
export interface PromptBlock {
  name: string;
  header: string;
  body: string;
}

export const HEADERS = {
  bot: '### Character',
  persona: '### User',
  participants: '### Other characters in this conversation',
  knowledge: '### World information',
  memories: '### Memories',
  summary: '### Summary of the earlier conversation',
} as const;

const words = (value: string) => value.replace(/_/g, ' ');

const PRONOUNS: Record<string, string> = {
  he_him: 'he/him',
  she_her: 'she/her',
  they_them: 'they/them',
  he_they: 'he/they',
  she_they: 'she/they',
  any: 'any pronouns',
};

/** `she_her` → "she/her"; `other` → the custom pronouns. */
export function pronounPhrase(pronouns: string | null, custom: string | null): string | null {
  if (!pronouns) return null;
  if (pronouns === 'other') return custom?.trim() || null;
  return PRONOUNS[pronouns] ?? words(pronouns);
}

type TraitSource = Pick<
  Bot,
  'tone' | 'formality' | 'humor' | 'communication' | 'responseLength' | 'creativity' | 'knowledgeSharing'
>;

/** Trait and behaviour enums as short phrases: "playful tone, casual formality, no humor, short replies". */
export function traitPhrases(t: Partial<TraitSource>): string[] {
  const out: string[] = [];
  if (t.tone) out.push(`${words(t.tone)} tone`);
  if (t.formality) out.push(`${words(t.formality)} formality`);
  if (t.humor) out.push(t.humor === 'none' ? 'no humor' : `${words(t.humor)} humor`);
  if (t.communication) out.push(`${words(t.communication)} communication style`);
  if (t.responseLength) out.push(`${words(t.responseLength)} replies`);
  if (t.creativity) out.push(`${words(t.creativity)} creativity`);
  if (t.knowledgeSharing) out.push(`${words(t.knowledgeSharing)} knowledge sharing`);
  return out;
}

const line = (label: string, value: string | number | null | undefined): string | null =>
  value === null || value === undefined || String(value).trim() === '' ? null : `${label}: ${value}`;

const join = (parts: (string | null | undefined)[]): string =>
  parts
    .filter((p): p is string => !!p && p.trim() !== '')
    .join('\n')
    .trim();

const lore = (texts: LoreTexts, position: KnowledgePosition): string | null => join(texts[position] ?? []) || null;

export type BotFields = Pick<
  Bot,
  'name' | 'gender' | 'age' | 'description' | 'systemPrompt' | 'speechExamples' | 'signaturePhrases'
> &
  Partial<TraitSource>;

/**
 * The bot block (api-keys.md §6.3 item 2, knowledge.md §4.1): system_prompt; before_character lore; name, gender, age,
 * description, traits; after_character lore; before_examples lore; speech examples and signature phrases;
 * after_examples lore.
 */
export function renderBotBlock(bot: BotFields, texts: LoreTexts, names: MacroNames): string {
  const traits = traitPhrases(bot);
  const examples = (bot.speechExamples ?? []).filter((e) => e.trim());
  const phrases = (bot.signaturePhrases ?? []).filter((p) => p.trim());
  const body = join([
    bot.systemPrompt,
    lore(texts, KnowledgePosition.BeforeCharacter),
    line('Name', bot.name),
    line('Gender', bot.gender ? words(bot.gender) : null),
    line('Age', bot.age),
    line('Description', bot.description),
    traits.length ? line('Personality', traits.join(', ')) : null,
    lore(texts, KnowledgePosition.AfterCharacter),
    lore(texts, KnowledgePosition.BeforeExamples),
    examples.length ? `Example lines:\n${examples.map((e) => `- ${e}`).join('\n')}` : null,
    phrases.length ? line('Signature phrases', phrases.map((p) => `"${p}"`).join(', ')) : null,
    lore(texts, KnowledgePosition.AfterExamples),
  ]);
  return substituteMacros(body, names);
}

export type PersonaFields = Pick<
  Persona,
  | 'name'
  | 'pronouns'
  | 'customPronouns'
  | 'gender'
  | 'age'
  | 'description'
  | 'appearanceDescription'
  | 'personality'
  | 'backstory'
  | 'preferredTopics'
  | 'avoidTopics'
  | 'customInstructions'
> &
  Partial<TraitSource> & { detailSections?: { label: string; content: string; position: number }[] };

/** The persona block (bots.md §4 "the prompt builder reads"). */
export function renderPersonaBlock(p: PersonaFields, names: MacroNames): string {
  const traits = traitPhrases(p);
  const sections = [...(p.detailSections ?? [])].sort((a, b) => a.position - b.position);
  const body = join([
    line('Name', p.name),
    line('Pronouns', pronounPhrase(p.pronouns, p.customPronouns)),
    line('Gender', p.gender ? words(p.gender) : null),
    line('Age', p.age),
    line('Description', p.description),
    line('Appearance', p.appearanceDescription),
    line('Personality', p.personality),
    line('Backstory', p.backstory),
    ...sections.map((s) => line(s.label, s.content)),
    p.preferredTopics?.length ? line('Likes to talk about', p.preferredTopics.join(', ')) : null,
    p.avoidTopics?.length ? line('Avoid topics', p.avoidTopics.join(', ')) : null,
    traits.length ? line('Preferred reply style', traits.join(', ')) : null,
    line('Instructions from the user', p.customInstructions),
  ]);
  return substituteMacros(body, names);
}

export type UserFields = Pick<
  User,
  'nickname' | 'displayName' | 'username' | 'pronouns' | 'customPronouns' | 'aboutMe'
>;

/** Without a persona: nickname ?? display_name ?? username, pronouns and about_me — never the email. */
export function renderUserBlock(u: UserFields, names: MacroNames): string {
  const body = join([
    line('Name', u.nickname ?? u.displayName ?? u.username),
    line('Pronouns', pronounPhrase(u.pronouns, u.customPronouns)),
    line('About', u.aboutMe),
  ]);
  return substituteMacros(body, names);
}

/** One line when the user spoke as several personas in the window. */
export function personaSwitchLine(personaNames: string[]): string {
  return `Note: the user switched personas during this conversation (${personaNames.join(', ')}); they are all the same person.`;
}

/** Other active bots (multi-bot): names, one-line descriptions and the instruction to answer only as the replying bot. */
export function renderParticipantsBlock(
  others: Pick<Bot, 'name' | 'description'>[],
  replyingName: string,
  names: MacroNames,
): string {
  if (!others.length) return '';
  const oneLine = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const body = join([
    ...others.map((b) => (oneLine(b.description) ? `- ${b.name}: ${oneLine(b.description)}` : `- ${b.name}`)),
    `Answer only as ${replyingName}; never write the other characters' lines.`,
  ]);
  return substituteMacros(body, names);
}

/** Lore at a placement of its own block (system_top, system_bottom). */
export function renderLore(texts: LoreTexts, position: KnowledgePosition, names: MacroNames): string {
  return substituteMacros(lore(texts, position) ?? '', names);
}

export interface MemoryLine {
  content: string;
  importance: number;
  emotionalContext: string | null;
}

/** `- (importance n) content [emotions]` */
export function memoryLine(m: MemoryLine): string {
  const content = m.content.replace(/\s+/g, ' ').trim();
  const emotions = m.emotionalContext?.trim();
  return `- (importance ${m.importance}) ${content}${emotions ? ` [${emotions}]` : ''}`;
}

/** The memory block body: one line per memory. */
export function renderMemories(memories: MemoryLine[]): string {
  return memories.map(memoryLine).join('\n');
}

/** Joins non-empty blocks into the one system message: header line, body, blank line between blocks. */
export function joinBlocks(blocks: PromptBlock[]): string {
  return blocks
    .filter((b) => b.body.trim() !== '')
    .map((b) => (b.header ? `${b.header}\n${b.body.trim()}` : b.body.trim()))
    .join('\n\n');
}

/**
 * Cuts a text to at most `maxTokens` at a sentence boundary (keeps the beginning). Returns '' when not even the first
 * sentence fits.
 */
export function cutAtSentence(text: string, maxTokens: number, count: (t: string) => number): string {
  const trimmed = text.trim();
  if (count(trimmed) <= maxTokens) return trimmed;
  if (maxTokens <= 0) return '';
  const ends = [...trimmed.matchAll(/[.!?…](?:["')\]]*)(?=\s|$)/g)].map((m) => m.index + m[0].length);
  for (let i = ends.length - 1; i >= 0; i--) {
    const candidate = trimmed.slice(0, ends[i]).trim();
    if (count(candidate) <= maxTokens) return candidate;
  }
  return '';
}

/**
 * Memories within `maxTokens` (header included): drops the lowest importance first (the later-ranked one on ties),
 * keeping the retrieval order of the rest. Returns the kept memories and the block body.
 */
export function fitMemories<M extends MemoryLine>(
  memories: M[],
  maxTokens: number,
  count: (t: string) => number,
): { kept: M[]; body: string } {
  let kept = [...memories];
  while (kept.length && count(`${HEADERS.memories}\n${renderMemories(kept)}`) > maxTokens) {
    let drop = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i].importance < kept[drop].importance) drop = i;
    kept = kept.filter((_, i) => i !== drop);
  }
  return { kept, body: renderMemories(kept) };
}
