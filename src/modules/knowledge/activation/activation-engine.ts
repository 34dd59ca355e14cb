import {
  type ActivationExclusionReason,
  KnowledgeActivationMethod,
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgeEntryVisibility,
  KnowledgeFilterMode,
  KnowledgeKeywordLogic,
  KnowledgePosition,
} from '../knowledge.enums.js';
import { type CompiledKeys, compileEntryKeys, evaluateKeys } from './key-matcher.js';
import type { RandomSource } from './seeded-random.js';

/**
 * The pure part of KnowledgeActivationService (knowledge.md §4.1): given candidate entries, the recent messages,
 * the timed state from the activation log and the vector hits, decide which entries are included, where, and why the
 * others were dropped. No I/O, no clock, no Math.random: everything comes in through the input.
 */

export type MessageRole = 'user' | 'bot' | 'system';

export interface ActivationMessage {
  role: MessageRole;
  text: string;
}

export interface EntryFilter {
  id: string;
  mode: KnowledgeFilterMode;
}

/** The activation-relevant fields of a knowledge entry (entity properties, camelCase). */
export interface ActivationEntry {
  id: string;
  collectionId: string;
  title: string | null;
  content: string;
  tokenCost: number;
  activationMode: KnowledgeActivationMode;
  primaryKeys: string[];
  secondaryKeys: string[];
  keywordLogic: KnowledgeKeywordLogic;
  caseSensitive: boolean;
  matchWholeWords: boolean;
  useRegex: boolean;
  scanDepth: number;
  matchUserMessages: boolean;
  matchBotMessages: boolean;
  matchSystemPrompt: boolean;
  matchBotDescription: boolean;
  matchBotPersonality: boolean;
  matchPersonaDescription: boolean;
  vectorThreshold: number;
  maxVectorResults: number;
  useProbability: boolean;
  probability: number;
  position: KnowledgePosition;
  depth: number;
  depthRole: KnowledgeDepthRole;
  insertionOrder: number;
  sticky: number;
  cooldown: number;
  delay: number;
  filterByBots: boolean;
  filterByPersonas: boolean;
  botFilters: EntryFilter[];
  personaFilters: EntryFilter[];
  inclusionGroup: string | null;
  groupWeight: number;
  groupPrioritize: boolean;
  excludeRecursion: boolean;
  preventRecursion: boolean;
  delayUntilRecursion: boolean;
  ignoreBudget: boolean;
  maxTokens: number;
  /** editors_only entries still activate; previews hide them from viewers */
  visibility?: KnowledgeEntryVisibility;
}

export interface ExtraScanTexts {
  systemPrompt?: string | null;
  botDescription?: string | null;
  botPersonality?: string | null;
  personaDescription?: string | null;
}

export interface EngineInput {
  entries: ActivationEntry[];
  botId: string;
  personaId?: string | null;
  /** chat seq of the reply being generated */
  messageSeq: number;
  /** oldest → newest, before the reply */
  messages: ActivationMessage[];
  extraTexts?: ExtraScanTexts;
  budgetTokens: number;
  /** entry id → seq of its last inclusion that was not itself sticky (the start of its sticky window), before messageSeq */
  lastTriggers?: ReadonlyMap<string, number>;
  /** entry id → best similarity the vector backend returned for it */
  vectorSimilarities?: ReadonlyMap<string, number>;
  random: RandomSource;
  /** recursion passes (KNOWLEDGE_MAX_RECURSION, capped at 10) */
  maxRecursion: number;
  /** compiled keys per entry (lets the service cache them); compiled on demand when absent */
  compiledKeys?: (entry: ActivationEntry) => CompiledKeys;
}

export interface ActivationHit {
  entry: ActivationEntry;
  method: KnowledgeActivationMethod;
  score: number;
  matchedKeywords: string[];
  similarity: number | null;
  /** min(token_cost, max_tokens): what the entry costs once injected */
  tokens: number;
  /** content cut to max_tokens */
  content: string;
}

export interface ExcludedHit {
  entry: ActivationEntry;
  reason: ActivationExclusionReason;
  /** null for entries excluded before matching (filters, delay) */
  method: KnowledgeActivationMethod | null;
  score: number;
  matchedKeywords: string[];
  similarity: number | null;
  tokens: number;
}

export interface EngineOutput {
  /** included entries, insertion_order desc then score desc */
  included: ActivationHit[];
  byPosition: Record<KnowledgePosition, ActivationHit[]>;
  excluded: ExcludedHit[];
  /** tokens of all included entries (ignore_budget ones too) */
  tokensUsed: number;
  budgetTokens: number;
  recursionPasses: number;
}

export const MAX_RECURSION_CAP = 10;
/** ≈ 4 characters per token, the estimate used everywhere (api-keys.md §6). */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil([...text].length / CHARS_PER_TOKEN);
}

/** Tokens an entry costs once injected: its token_cost, capped by max_tokens (0 = no cap). */
export function injectedTokens(entry: Pick<ActivationEntry, 'tokenCost' | 'maxTokens'>): number {
  return entry.maxTokens > 0 ? Math.min(entry.tokenCost, entry.maxTokens) : entry.tokenCost;
}

function cutContent(entry: ActivationEntry): string {
  if (entry.maxTokens <= 0 || entry.tokenCost <= entry.maxTokens) return entry.content;
  return [...entry.content].slice(0, entry.maxTokens * CHARS_PER_TOKEN).join('');
}

/** Filter semantics (§3.2): an exclude row for the current id blocks; if allow rows exist, the id must be one. */
export function passesFilter(enabled: boolean, filters: EntryFilter[], currentId: string | null | undefined): boolean {
  if (!enabled) return true;
  if (currentId && filters.some((f) => f.mode === KnowledgeFilterMode.Exclude && f.id === currentId)) return false;
  const allows = filters.filter((f) => f.mode === KnowledgeFilterMode.Allow);
  if (allows.length === 0) return true;
  return !!currentId && allows.some((f) => f.id === currentId);
}

const usesKeywords = (e: ActivationEntry) =>
  e.activationMode === KnowledgeActivationMode.Keyword || e.activationMode === KnowledgeActivationMode.Hybrid;
const usesVectors = (e: ActivationEntry) =>
  e.activationMode === KnowledgeActivationMode.Vector || e.activationMode === KnowledgeActivationMode.Hybrid;

function byPriority(a: ActivationHit, b: ActivationHit): number {
  return (
    b.entry.insertionOrder - a.entry.insertionOrder ||
    b.score - a.score ||
    (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0)
  );
}

export function runActivation(input: EngineInput): EngineOutput {
  const compile = input.compiledKeys ?? ((e: ActivationEntry) => compileEntryKeys(e));
  const lastTriggers = input.lastTriggers ?? new Map<string, number>();
  const similarities = input.vectorSimilarities ?? new Map<string, number>();
  const seq = input.messageSeq;
  const maxRecursion = Math.max(0, Math.min(MAX_RECURSION_CAP, input.maxRecursion));

  const excluded: ExcludedHit[] = [];
  const exclude = (
    entry: ActivationEntry,
    reason: ActivationExclusionReason,
    hit?: Omit<ActivationHit, 'entry' | 'tokens' | 'content'>,
  ) =>
    excluded.push({
      entry,
      reason,
      method: hit?.method ?? null,
      score: hit?.score ?? 0,
      matchedKeywords: hit?.matchedKeywords ?? [],
      similarity: hit?.similarity ?? null,
      tokens: injectedTokens(entry),
    });
  const hitOf = (entry: ActivationEntry, h: Omit<ActivationHit, 'entry' | 'tokens' | 'content'>): ActivationHit => ({
    entry,
    ...h,
    tokens: injectedTokens(entry),
    content: cutContent(entry),
  });

  // Steps 1–2: candidates, filters, delay.
  const pending: ActivationEntry[] = [];
  for (const entry of input.entries) {
    if (entry.activationMode === KnowledgeActivationMode.Disabled) continue;
    if (
      !passesFilter(entry.filterByBots, entry.botFilters, input.botId) ||
      !passesFilter(entry.filterByPersonas, entry.personaFilters, input.personaId)
    ) {
      exclude(entry, 'filter_excluded');
      continue;
    }
    if (seq < entry.delay) {
      exclude(entry, 'delay_not_met');
      continue;
    }
    pending.push(entry);
  }

  // Step 3: timed state.
  const activated: ActivationHit[] = [];
  const inCooldown = new Set<string>();
  const undecided: ActivationEntry[] = [];
  for (const entry of pending) {
    const last = lastTriggers.get(entry.id);
    if (last !== undefined && last < seq) {
      const stickyEnd = last + entry.sticky;
      if (entry.sticky > 0 && seq <= stickyEnd) {
        activated.push(
          hitOf(entry, { method: KnowledgeActivationMethod.Sticky, score: 0, matchedKeywords: [], similarity: null }),
        );
        continue;
      }
      if (entry.cooldown > 0 && seq > stickyEnd && seq <= stickyEnd + entry.cooldown) inCooldown.add(entry.id);
    }
    undecided.push(entry);
  }

  // Scan texts, shared by entries with the same depth and switches.
  const scanCache = new Map<string, string>();
  const scanText = (e: ActivationEntry): string => {
    const signature = [
      e.scanDepth,
      e.matchUserMessages,
      e.matchBotMessages,
      e.matchSystemPrompt,
      e.matchBotDescription,
      e.matchBotPersonality,
      e.matchPersonaDescription,
    ].join('|');
    let text = scanCache.get(signature);
    if (text === undefined) {
      const parts = input.messages
        .slice(-Math.max(1, e.scanDepth))
        .filter((m) => (m.role === 'user' ? e.matchUserMessages : m.role === 'bot' ? e.matchBotMessages : true))
        .map((m) => m.text);
      const extra = input.extraTexts ?? {};
      if (e.matchSystemPrompt && extra.systemPrompt) parts.push(extra.systemPrompt);
      if (e.matchBotDescription && extra.botDescription) parts.push(extra.botDescription);
      if (e.matchBotPersonality && extra.botPersonality) parts.push(extra.botPersonality);
      if (e.matchPersonaDescription && extra.personaDescription) parts.push(extra.personaDescription);
      text = parts.join('\n');
      scanCache.set(signature, text);
    }
    return text;
  };

  // Steps 4–5: constant, keyword, vector.
  const matchEntry = (
    entry: ActivationEntry,
    recursionBuffer: string | null,
  ): Omit<ActivationHit, 'entry' | 'tokens' | 'content'> | null => {
    if (entry.activationMode === KnowledgeActivationMode.Constant) {
      return {
        method: recursionBuffer === null ? KnowledgeActivationMethod.Constant : KnowledgeActivationMethod.Recursion,
        score: 0,
        matchedKeywords: [],
        similarity: null,
      };
    }
    if (usesKeywords(entry)) {
      const text = recursionBuffer === null ? scanText(entry) : `${scanText(entry)}\n${recursionBuffer}`;
      const result = evaluateKeys(compile(entry), text);
      if (result.matched) {
        return {
          method: recursionBuffer === null ? KnowledgeActivationMethod.Keyword : KnowledgeActivationMethod.Recursion,
          score: result.score,
          matchedKeywords: [...result.primaries, ...result.secondaries],
          similarity: null,
        };
      }
    }
    if (recursionBuffer === null && usesVectors(entry)) {
      const similarity = similarities.get(entry.id);
      if (similarity !== undefined && similarity >= entry.vectorThreshold) {
        return { method: KnowledgeActivationMethod.Vector, score: similarity, matchedKeywords: [], similarity };
      }
    }
    return null;
  };

  // Steps 6–7 for a batch of newly matched entries; returns the survivors.
  const groupWinners = new Set<string>();
  const settle = (batch: ActivationHit[], stickyBatch: ActivationHit[]): ActivationHit[] => {
    const passed: ActivationHit[] = [...stickyBatch];
    for (const hit of batch) {
      const e = hit.entry;
      if (e.useProbability && e.probability < 100 && !(input.random(`prob-${e.id}`) * 100 < e.probability)) {
        exclude(e, 'probability_failed', hit);
        continue;
      }
      passed.push(hit);
    }
    const survivors: ActivationHit[] = [];
    const groups = new Map<string, ActivationHit[]>();
    for (const hit of passed) {
      const group = hit.entry.inclusionGroup;
      if (!group) survivors.push(hit);
      else groups.set(group, [...(groups.get(group) ?? []), hit]);
    }
    for (const [group, members] of groups) {
      if (groupWinners.has(group)) {
        members.forEach((m) => exclude(m.entry, 'group_lost', m));
        continue;
      }
      const stickyMembers = members.filter((m) => m.method === KnowledgeActivationMethod.Sticky);
      const pool = stickyMembers.length ? stickyMembers : members;
      const winner = pickGroupWinner(group, pool, input.random);
      groupWinners.add(group);
      survivors.push(winner);
      members.filter((m) => m !== winner).forEach((m) => exclude(m.entry, 'group_lost', m));
    }
    return survivors;
  };

  const firstPass: ActivationHit[] = [];
  const recursionCandidates: ActivationEntry[] = [];
  for (const entry of undecided) {
    if (entry.delayUntilRecursion) {
      if (!entry.excludeRecursion) recursionCandidates.push(entry);
      continue;
    }
    const hit = matchEntry(entry, null);
    if (!hit) {
      if (usesKeywords(entry) && !entry.excludeRecursion) recursionCandidates.push(entry);
      continue;
    }
    if (inCooldown.has(entry.id)) exclude(entry, 'cooldown_active', hit);
    else firstPass.push(hitOf(entry, hit));
  }
  const stickyHits = activated.splice(0);
  let newlyActivated = settle(firstPass, stickyHits);
  activated.push(...newlyActivated);

  // Step 8: recursion over the content of newly activated entries.
  let passes = 0;
  let buffer = '';
  let remaining = recursionCandidates;
  while (passes < maxRecursion && remaining.length > 0) {
    const fresh = newlyActivated
      .filter((h) => !h.entry.preventRecursion)
      .map((h) => h.entry.content)
      .join('\n');
    if (!fresh) break;
    buffer = buffer ? `${buffer}\n${fresh}` : fresh;
    passes += 1;
    const batch: ActivationHit[] = [];
    const stillRemaining: ActivationEntry[] = [];
    for (const entry of remaining) {
      const hit = matchEntry(entry, buffer);
      if (!hit) {
        stillRemaining.push(entry);
        continue;
      }
      if (inCooldown.has(entry.id)) exclude(entry, 'cooldown_active', hit);
      else batch.push(hitOf(entry, hit));
    }
    remaining = stillRemaining;
    newlyActivated = settle(batch, []);
    activated.push(...newlyActivated);
    if (newlyActivated.length === 0) break;
  }

  // Step 9: budget.
  activated.sort(byPriority);
  const included: ActivationHit[] = [];
  let budgetUsed = 0;
  let overflow = false;
  for (const hit of activated) {
    if (hit.entry.ignoreBudget) {
      included.push(hit);
      continue;
    }
    if (!overflow && budgetUsed + hit.tokens <= input.budgetTokens) {
      budgetUsed += hit.tokens;
      included.push(hit);
    } else {
      overflow = true;
      exclude(hit.entry, 'budget_exceeded', hit);
    }
  }

  const byPosition = Object.fromEntries(
    Object.values(KnowledgePosition).map((p) => [p, [] as ActivationHit[]]),
  ) as Record<KnowledgePosition, ActivationHit[]>;
  for (const hit of included) byPosition[hit.entry.position].push(hit);
  return {
    included,
    byPosition,
    excluded,
    tokensUsed: included.reduce((sum, h) => sum + h.tokens, 0),
    budgetTokens: input.budgetTokens,
    recursionPasses: passes,
  };
}

/** Highest insertion_order when any member prioritises, else a draw weighted by group_weight. */
export function pickGroupWinner(group: string, members: ActivationHit[], random: RandomSource): ActivationHit {
  const sorted = [...members].sort(byPriority);
  if (sorted.length === 1 || sorted.some((m) => m.entry.groupPrioritize)) return sorted[0];
  const total = sorted.reduce((sum, m) => sum + Math.max(1, m.entry.groupWeight), 0);
  let roll = random(`group-${group}`) * total;
  for (const member of sorted) {
    roll -= Math.max(1, member.entry.groupWeight);
    if (roll < 0) return member;
  }
  return sorted[sorted.length - 1];
}
