/** Pure helpers of the memory module (chat.md §4): token estimate, keyword similarity, extraction parsing. */

export const MEMORY_CONTENT_MAX = 4000;
export const EMOTIONAL_CONTEXT_MAX = 300;
export const SUMMARY_MAX = 8000;
/** Keyword Jaccard similarity at or above which a new extracted memory is a duplicate. */
export const DEDUPE_SIMILARITY = 0.6;

/** token_count = ceil(chars / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil([...text].length / 4);
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her hers him his how i if in ' +
    'into is it its just me my no not of on or our she so than that the their them then there these they this to ' +
    'too us was we were what when where which who will with would you your also about after again all am any because ' +
    'before being both each few more most other over own same should some such through under until up very while ' +
    'user users bot bots'
  ).split(' '),
);

/** Lower-cased word set without stop words and one-letter tokens. */
export function keywords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)));
}

/** |A ∩ B| / |A ∪ B|; two empty sets are not similar. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter += 1;
  return inter / (a.size + b.size - inter);
}

/** Cuts text to at most `max` characters, at the last sentence end (or word break) before the cut when one exists. */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentence > max / 2) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(' ');
  return (space > max / 2 ? head.slice(0, space) : head).trimEnd();
}

/** What the extraction call must answer: `{memory, importance, emotions[], rolling_summary}`. */
export interface ExtractionResult {
  /** Null when the model found nothing worth remembering (empty string). */
  memory: string | null;
  importance: number;
  emotions: string[];
  rollingSummary: string | null;
}

export class ExtractionParseError extends Error {
  constructor(reason: string) {
    super(`memory extraction answer is not usable: ${reason}`);
    this.name = 'ExtractionParseError';
  }
}

/**
 * Parses the model's answer: the first JSON object in the text (a ```json fence or prose around it is tolerated).
 * `memory` and `rolling_summary` must be strings, `importance` a number (rounded, clamped to 1..10), `emotions` an
 * array (non-strings dropped). Anything else → ExtractionParseError.
 */
export function parseExtraction(raw: string): ExtractionResult {
  const start = raw.indexOf('{');
  const end = raw.lastIndexOf('}');
  if (start < 0 || end <= start) throw new ExtractionParseError('no JSON object');
  let data: unknown;
  try {
    data = JSON.parse(raw.slice(start, end + 1));
  } catch {
    throw new ExtractionParseError('invalid JSON');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ExtractionParseError('not an object');
  const o = data as Record<string, unknown>;
  if (typeof o.memory !== 'string') throw new ExtractionParseError('memory is not a string');
  if (typeof o.rolling_summary !== 'string') throw new ExtractionParseError('rolling_summary is not a string');
  const importance = typeof o.importance === 'string' ? Number(o.importance) : o.importance;
  if (typeof importance !== 'number' || !Number.isFinite(importance)) {
    throw new ExtractionParseError('importance is not a number');
  }
  if (o.emotions !== undefined && !Array.isArray(o.emotions)) throw new ExtractionParseError('emotions is not a list');
  const emotions = ((o.emotions as unknown[] | undefined) ?? [])
    .filter((e): e is string => typeof e === 'string')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0);
  const memory = o.memory.trim();
  const summary = o.rolling_summary.trim();
  return {
    memory: memory ? cutText(memory, MEMORY_CONTENT_MAX) : null,
    importance: Math.min(10, Math.max(1, Math.round(importance))),
    emotions: [...new Set(emotions)],
    rollingSummary: summary ? cutText(summary, SUMMARY_MAX) : null,
  };
}

/** `joy, nostalgia`, at most 300 characters, whole words only. */
export function emotionalContext(emotions: string[]): string | null {
  let out = '';
  for (const e of emotions) {
    const next = out ? `${out}, ${e}` : e;
    if ([...next].length > EMOTIONAL_CONTEXT_MAX) break;
    out = next;
  }
  return out || null;
}

/**
 * Groups items whose keyword sets are similar (single link: a chain of pairs each ≥ `threshold`). Returns only
 * groups of at least `minSize`, each in input order.
 */
export function similarGroups<T>(items: T[], text: (item: T) => string, threshold: number, minSize: number): T[][] {
  const sets = items.map((i) => keywords(text(i)));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (jaccard(sets[i], sets[j]) >= threshold) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item]);
  });
  return [...groups.values()].filter((g) => g.length >= minSize);
}
