/**
 * Character Card V1/V2/V3 ⇄ bot fields (interop.md §2). Pure functions. Everything a bot has no column for goes into
 * `import_metadata` and is written back on export, so import → export keeps every unknown key unchanged.
 */

export type FieldError = { field: string; message: string };
export type CardFormat = 'v2' | 'v3';
type Obj = Record<string, unknown>;

export const MAX_JSON_DEPTH = 64;
export const IMPORT_METADATA_MAX_BYTES = 64 * 1024;
const MAX_ALT_GREETINGS = 19;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 40;
const MAX_SPEECH_EXAMPLES = 50;
/** SillyTavern's default main prompt, used when a card has no system prompt, personality or scenario. */
export const DEFAULT_SYSTEM_PROMPT = "Write {{char}}'s next reply in a fictional chat between {{char}} and {{user}}.";

/** Card `data` keys mapped to bot columns (the rest is kept in import_metadata.data). */
const MAPPED_DATA_KEYS = new Set([
  'name',
  'description',
  'personality',
  'scenario',
  'first_mes',
  'mes_example',
  'system_prompt',
  'alternate_greetings',
  'tags',
  'character_book',
]);
/** V1 fields that V2/V3 writers mirror at the top level; regenerated from `data`, so not kept. */
const V1_MIRROR_KEYS = new Set([
  'name',
  'description',
  'personality',
  'scenario',
  'first_mes',
  'mes_example',
  'creatorcomment',
  'tags',
]);

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Depth of nested arrays/objects, iteratively (a hostile card cannot blow the stack). */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Copies JSON dropping `__proto__`, `constructor` and `prototype` keys at every level (never merged into objects). */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = sanitize(v);
  }
  return out;
}

/** Bot columns a card maps to. */
export interface MappedBot {
  name: string;
  description: string | null;
  systemPrompt: string;
  greeting: string | null;
  alternateGreetings: string[];
  speechExamples: string[];
  tags: string[];
}

/** What import_metadata holds (bots.md §1.2): the card's unmapped parts plus the originals of derived fields. */
export interface CardMetadata {
  /** spec of the imported card (`chara_card_v2`, `chara_card_v3`, or `v1`). */
  source_spec: string;
  /** Unknown top-level keys (besides spec, spec_version, data and the V1 mirror). */
  top: Obj;
  /** `data` keys without a column, verbatim. */
  data: Obj;
  /** character_book keys other than `entries`. */
  book: Obj | null;
  /** Originals of fields the import derives (system prompt, examples, tags, greetings overflow). */
  originals: Obj;
}

export interface ParsedCard {
  format: 'v1' | CardFormat;
  bot: MappedBot;
  metadata: CardMetadata;
  /** character_book converted to a world book `{name, description, entries: [...]}`, or null. */
  worldbook: Obj | null;
  warnings: string[];
  errors: FieldError[];
}

function optString(data: Obj, key: string, errors: FieldError[], max?: number): string | null {
  const v = data[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    errors.push({ field: `data.${key}`, message: 'must be a string' });
    return null;
  }
  if (max !== undefined && v.length > max) errors.push({ field: `data.${key}`, message: `at most ${max} characters` });
  return v;
}

function stringArray(data: Obj, key: string, errors: FieldError[], maxEach: number): string[] {
  const v = data[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errors.push({ field: `data.${key}`, message: 'must be an array of strings' });
    return [];
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item !== 'string') errors.push({ field: `data.${key}[${i}]`, message: 'must be a string' });
    else if (item.length > maxEach)
      errors.push({ field: `data.${key}[${i}]`, message: `at most ${maxEach} characters` });
    else out.push(item);
  });
  return out;
}

/** personality and scenario appended to the system prompt in labelled paragraphs, unless it already contains them. */
export function composeSystemPrompt(systemPrompt: string, personality: string, scenario: string): string {
  const parts = systemPrompt.trim() ? [systemPrompt.trim()] : [];
  if (personality.trim() && !systemPrompt.includes(personality.trim())) {
    parts.push(`Personality: ${personality.trim()}`);
  }
  if (scenario.trim() && !systemPrompt.includes(scenario.trim())) parts.push(`Scenario: ${scenario.trim()}`);
  return parts.length ? parts.join('\n\n') : DEFAULT_SYSTEM_PROMPT;
}

/** mes_example split on `<START>` blocks. */
export function splitExamples(mesExample: string): string[] {
  return mesExample
    .split(/<START>/i)
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Lower-cased, trimmed, deduplicated; tags over 40 characters dropped. */
export function normalizeTags(tags: string[]): string[] {
  const seen = new Set<string>();
  for (const t of tags) {
    const tag = t.trim().toLowerCase();
    if (tag && tag.length <= MAX_TAG_LENGTH) seen.add(tag);
  }
  return [...seen];
}

/** Recognises the format and maps a parsed card (already sanitised) to bot fields, metadata and lore. */
export function parseCard(input: unknown): ParsedCard {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const empty: ParsedCard = {
    format: 'v2',
    bot: {
      name: '',
      description: null,
      systemPrompt: '',
      greeting: null,
      alternateGreetings: [],
      speechExamples: [],
      tags: [],
    },
    metadata: { source_spec: 'v1', top: {}, data: {}, book: null, originals: {} },
    worldbook: null,
    warnings,
    errors,
  };
  if (!isObject(input)) {
    errors.push({ field: 'card', message: 'must be a JSON object' });
    return empty;
  }
  let format: ParsedCard['format'];
  let data: Obj;
  const top: Obj = {};
  if (input.spec === undefined) {
    format = 'v1';
    data = input;
  } else if (input.spec === 'chara_card_v2' || input.spec === 'chara_card_v3') {
    format = input.spec === 'chara_card_v2' ? 'v2' : 'v3';
    if (!isObject(input.data)) {
      errors.push({ field: 'data', message: 'must be an object' });
      return empty;
    }
    data = input.data;
    for (const [k, v] of Object.entries(input)) {
      if (k !== 'spec' && k !== 'spec_version' && k !== 'data' && !V1_MIRROR_KEYS.has(k)) top[k] = v;
    }
  } else {
    errors.push({ field: 'spec', message: 'must be chara_card_v2 or chara_card_v3 (or absent for a V1 card)' });
    return empty;
  }

  const rawName = optString(data, 'name', errors);
  const name = rawName?.trim() ?? '';
  if (!name) errors.push({ field: 'data.name', message: 'a card needs a name' });
  else if (name.length > 100) errors.push({ field: 'data.name', message: 'at most 100 characters' });
  const description = optString(data, 'description', errors, 5000);
  const personality = optString(data, 'personality', errors) ?? '';
  const scenario = optString(data, 'scenario', errors) ?? '';
  const cardPrompt = optString(data, 'system_prompt', errors) ?? '';
  const firstMes = optString(data, 'first_mes', errors, 10000);
  const mesExample = optString(data, 'mes_example', errors) ?? '';
  const greetings = stringArray(data, 'alternate_greetings', errors, 10000);
  const rawTags = stringArray(data, 'tags', errors, 10000);

  const systemPrompt = composeSystemPrompt(cardPrompt, personality, scenario);
  if (systemPrompt.length > 32000) {
    errors.push({
      field: cardPrompt.length > 32000 ? 'data.system_prompt' : 'data.personality',
      message: 'system_prompt with personality and scenario must stay within 32000 characters',
    });
  }
  const speechExamples = splitExamples(mesExample);
  if (speechExamples.length > MAX_SPEECH_EXAMPLES) {
    errors.push({ field: 'data.mes_example', message: `at most ${MAX_SPEECH_EXAMPLES} <START> blocks` });
  }
  speechExamples.forEach((b, i) => {
    if (b.length > 2000) errors.push({ field: 'data.mes_example', message: `block ${i + 1} exceeds 2000 characters` });
  });
  if (greetings.length > MAX_ALT_GREETINGS) {
    warnings.push(
      `alternate_greetings: ${greetings.length - MAX_ALT_GREETINGS} greetings beyond ${MAX_ALT_GREETINGS} were not imported as swipes (kept for export)`,
    );
  }
  const normalized = normalizeTags(rawTags);
  const dropped = rawTags.filter((t) => t.trim().length > MAX_TAG_LENGTH).length;
  if (dropped) warnings.push(`tags: ${dropped} tags longer than ${MAX_TAG_LENGTH} characters were dropped`);
  if (normalized.length > MAX_TAGS) {
    warnings.push(`tags: ${normalized.length - MAX_TAGS} tags beyond ${MAX_TAGS} were dropped`);
  }

  const keep: Obj = {};
  for (const [k, v] of Object.entries(data)) if (!MAPPED_DATA_KEYS.has(k)) keep[k] = v;
  const originals: Obj = { personality, scenario, system_prompt: cardPrompt, mes_example: mesExample };
  if (greetings.length > MAX_ALT_GREETINGS) originals.alternate_greetings = greetings;
  if (data.tags !== undefined) originals.tags = rawTags;

  let worldbook: Obj | null = null;
  let book: Obj | null = null;
  const cb = data.character_book;
  if (cb !== undefined && cb !== null) {
    if (!isObject(cb)) errors.push({ field: 'data.character_book', message: 'must be an object' });
    else if (!Array.isArray(cb.entries)) {
      errors.push({ field: 'data.character_book.entries', message: 'must be an array' });
    } else {
      book = Object.fromEntries(Object.entries(cb).filter(([k]) => k !== 'entries'));
      const entries: Obj[] = [];
      cb.entries.forEach((e, i) => {
        if (!isObject(e)) errors.push({ field: `data.character_book.entries[${i}]`, message: 'must be an object' });
        else entries.push(cardEntryToWorldbook(e));
      });
      worldbook = {
        name: typeof cb.name === 'string' && cb.name.trim() ? cb.name : `${name || 'Imported'} lore`,
        description: typeof cb.description === 'string' ? cb.description : null,
        entries,
      };
    }
  }

  return {
    format,
    bot: {
      name,
      description: description || null,
      systemPrompt,
      greeting: firstMes || null,
      alternateGreetings: greetings.slice(0, MAX_ALT_GREETINGS),
      speechExamples,
      tags: normalized.slice(0, MAX_TAGS),
    },
    metadata: {
      source_spec: format === 'v1' ? 'v1' : (input.spec as string),
      top,
      data: keep,
      book,
      originals,
    },
    worldbook,
    warnings,
    errors,
  };
}

// ---------------------------------------------------------------- character_book ⇄ world book entries

/** SillyTavern's card-entry extension names ⇄ world-book entry keys (knowledge.md §5 reads the latter). */
const ST_EXTENSION_KEYS: Record<string, string> = {
  position: 'position',
  depth: 'depth',
  selectiveLogic: 'selectiveLogic',
  probability: 'probability',
  useProbability: 'useProbability',
  group: 'group',
  group_override: 'groupOverride',
  group_weight: 'groupWeight',
  scan_depth: 'scanDepth',
  match_whole_words: 'matchWholeWords',
  case_sensitive: 'caseSensitive',
  role: 'role',
  vectorized: 'vectorized',
  sticky: 'sticky',
  cooldown: 'cooldown',
  delay: 'delay',
  exclude_recursion: 'excludeRecursion',
  prevent_recursion: 'preventRecursion',
  delay_until_recursion: 'delayUntilRecursion',
  ignore_budget: 'ignoreBudget',
  match_persona_description: 'matchPersonaDescription',
  match_character_description: 'matchCharacterDescription',
  match_character_personality: 'matchCharacterPersonality',
};
/** Card entry keys consumed by the conversion (everything else stays on the entry's import_metadata). */
const CARD_ENTRY_KEYS = new Set([
  'keys',
  'secondary_keys',
  'content',
  'comment',
  'enabled',
  'insertion_order',
  'case_sensitive',
  'constant',
  'selective',
  'position',
  'extensions',
  'use_regex',
]);
/** World-book keys written by the knowledge export; anything else on an exported entry is kept metadata. */
const WORLDBOOK_KEYS = new Set([
  'uid',
  'key',
  'keysecondary',
  'comment',
  'content',
  'constant',
  'vectorized',
  'selective',
  'selectiveLogic',
  'order',
  'position',
  'disable',
  'extensions',
  ...Object.values(ST_EXTENSION_KEYS),
]);
/** Absent values are written as null, as SillyTavern does. */
const nullable = (v: unknown) => (v === undefined ? null : v);

/** One card `character_book` entry → a world-book entry for the knowledge mapper. */
export function cardEntryToWorldbook(e: Obj): Obj {
  const wb: Obj = {};
  for (const [k, v] of Object.entries(e)) if (!CARD_ENTRY_KEYS.has(k)) wb[k] = v;
  const ext: Obj = isObject(e.extensions) ? { ...e.extensions } : {};
  for (const [stKey, wbKey] of Object.entries(ST_EXTENSION_KEYS)) {
    if (ext[stKey] !== undefined) {
      wb[wbKey] = ext[stKey];
      delete ext[stKey];
    }
  }
  wb.key = e.keys;
  if (e.secondary_keys !== undefined) wb.keysecondary = e.secondary_keys;
  wb.content = e.content;
  if (e.comment !== undefined) wb.comment = e.comment;
  else if (typeof e.name === 'string') wb.comment = e.name;
  if (e.enabled === false) wb.disable = true;
  if (e.constant !== undefined) wb.constant = e.constant;
  if (e.insertion_order !== undefined) wb.order = e.insertion_order;
  if (wb.caseSensitive === undefined && e.case_sensitive !== undefined) wb.caseSensitive = e.case_sensitive;
  if (wb.position === undefined && (e.position === 'before_char' || e.position === 'after_char')) {
    wb.position = e.position === 'before_char' ? 0 : 1;
  }
  if (Object.keys(ext).length) wb.extensions = ext;
  return wb;
}

/** Rewrites a knowledge mapper error field (`worldbook.entries.3.key[0]`) to the card's (`data.character_book.entries[3].keys[0]`). */
export function cardBookField(field: string): string {
  const m = /^worldbook\.entries(?:\.(\d+))?(?:\.([A-Za-z]+))?(.*)$/.exec(field);
  if (!m) return field.replace(/^worldbook/, 'data.character_book');
  const [, index, key, rest] = m;
  let out = 'data.character_book.entries';
  if (index !== undefined) out += `[${index}]`;
  if (key) {
    const direct: Record<string, string> = {
      key: 'keys',
      keysecondary: 'secondary_keys',
      order: 'insertion_order',
      disable: 'enabled',
      content: 'content',
      comment: 'comment',
      constant: 'constant',
    };
    const st = Object.entries(ST_EXTENSION_KEYS).find(([, wbKey]) => wbKey === key)?.[0];
    out += `.${direct[key] ?? (st ? `extensions.${st}` : key)}`;
  }
  return out + rest;
}

/** One world-book entry from the knowledge export → a card `character_book` entry. */
export function worldbookEntryToCard(wb: Obj, index: number, format: CardFormat): Obj {
  const meta: Obj = {};
  for (const [k, v] of Object.entries(wb)) if (!WORLDBOOK_KEYS.has(k)) meta[k] = v;
  const ext: Obj = isObject(wb.extensions) ? { ...wb.extensions } : {};
  for (const [stKey, wbKey] of Object.entries(ST_EXTENSION_KEYS)) ext[stKey] = nullable(wb[wbKey]);
  const secondary = Array.isArray(wb.keysecondary) ? wb.keysecondary : [];
  const ours = isObject(ext.botcafe) ? ext.botcafe : {};
  const entry: Obj = {
    id: index,
    ...meta,
    keys: wb.key ?? [],
    secondary_keys: secondary,
    comment: wb.comment ?? '',
    content: wb.content,
    constant: wb.constant === true,
    selective: secondary.length > 0,
    insertion_order: wb.order,
    enabled: wb.disable !== true,
    position: wb.position === 0 ? 'before_char' : 'after_char',
    case_sensitive: wb.caseSensitive ?? false,
    extensions: ext,
  };
  if (format === 'v3') entry.use_regex = meta.use_regex ?? ours.use_regex ?? false;
  return entry;
}

// ---------------------------------------------------------------- export

/** The bot columns export reads. */
export interface CardSourceBot {
  name: string;
  description: string | null;
  systemPrompt: string;
  greeting: string | null;
  alternateGreetings: string[];
  speechExamples: string[];
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  importMetadata?: Obj | null;
}

const sameArray = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Builds a V2 or V3 card; originals from import_metadata come back when the bot still matches them. */
export function buildCard(
  bot: CardSourceBot,
  format: CardFormat,
  book: { name: string; description: string | null; entries: Record<string, Obj> } | null,
): Obj {
  const meta: Partial<CardMetadata> = isObject(bot.importMetadata) ? (bot.importMetadata as Partial<CardMetadata>) : {};
  const originals: Obj = isObject(meta.originals) ? meta.originals : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  let systemPrompt = bot.systemPrompt;
  let personality = '';
  let scenario = '';
  const oPrompt = str(originals.system_prompt);
  const oPersonality = str(originals.personality);
  const oScenario = str(originals.scenario);
  if (composeSystemPrompt(oPrompt, oPersonality, oScenario) === bot.systemPrompt) {
    systemPrompt = oPrompt;
    personality = oPersonality;
    scenario = oScenario;
  }
  const oExamples = str(originals.mes_example);
  const mesExample =
    oExamples && sameArray(splitExamples(oExamples), bot.speechExamples)
      ? oExamples
      : bot.speechExamples.map((b) => `<START>\n${b}`).join('\n');
  const oGreetings = Array.isArray(originals.alternate_greetings) ? (originals.alternate_greetings as string[]) : null;
  const alternateGreetings =
    oGreetings && sameArray(oGreetings.slice(0, MAX_ALT_GREETINGS), bot.alternateGreetings)
      ? oGreetings
      : bot.alternateGreetings;
  const oTags = Array.isArray(originals.tags) ? (originals.tags as string[]) : null;
  const tags = oTags && sameArray(normalizeTags(oTags).slice(0, MAX_TAGS), bot.tags) ? oTags : bot.tags;

  const kept: Obj = isObject(meta.data) ? meta.data : {};
  const data: Obj = {
    name: bot.name,
    description: bot.description ?? '',
    personality,
    scenario,
    first_mes: bot.greeting ?? '',
    mes_example: mesExample,
    creator_notes: '',
    system_prompt: systemPrompt,
    post_history_instructions: '',
    alternate_greetings: alternateGreetings,
    tags,
    creator: '',
    character_version: '',
    extensions: {},
    ...kept,
  };
  if (format === 'v3') {
    data.group_only_greetings ??= [];
    data.creation_date ??= Math.floor(bot.createdAt.getTime() / 1000);
    data.modification_date ??= Math.floor(bot.updatedAt.getTime() / 1000);
  }
  if (book) {
    const bookMeta: Obj = isObject(meta.book) ? meta.book : {};
    data.character_book = {
      extensions: {},
      ...bookMeta,
      name: bookMeta.name ?? book.name,
      entries: Object.values(book.entries).map((e, i) => worldbookEntryToCard(e, i, format)),
    };
  }
  const top: Obj = isObject(meta.top) ? meta.top : {};
  return format === 'v3'
    ? { ...top, spec: 'chara_card_v3', spec_version: '3.0', data }
    : { ...top, spec: 'chara_card_v2', spec_version: '2.0', data };
}

/** Size as PostgreSQL renders jsonb::text (a space after every `:` and `,`), checked by ck_bots_import_metadata. */
export function jsonbTextBytes(value: unknown): number {
  let separators = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      separators += Math.max(v.length - 1, 0);
      stack.push(...v);
    } else if (isObject(v)) {
      const values = Object.values(v);
      separators += values.length + Math.max(values.length - 1, 0);
      stack.push(...values);
    }
  }
  return Buffer.byteLength(JSON.stringify(value)) + separators;
}

/** bots.md §1.2: import_metadata ≤ 64 KB. */
export function metadataTooLarge(metadata: CardMetadata): boolean {
  return jsonbTextBytes(metadata) > IMPORT_METADATA_MAX_BYTES;
}
