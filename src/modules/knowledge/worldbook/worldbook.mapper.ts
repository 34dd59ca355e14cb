import type { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import { entryRuleErrors } from '../entry-fields.js';
import { looksLikeRegexKey } from '../activation/key-matcher.js';
import {
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgeKeywordLogic,
  KnowledgePosition,
  KnowledgeType,
} from '../knowledge.enums.js';

/**
 * SillyTavern world book ⇄ knowledge entries (knowledge.md §5, with the corrected mapping). Pure functions: the
 * service wraps them in a transaction.
 */

export type FieldError = { field: string; message: string };
export type ImportedEntry = Partial<KnowledgeEntry> & { content: string };

export interface ImportResult {
  name: string | null;
  description: string | null;
  entries: ImportedEntry[];
  skipped: number;
  warnings: string[];
  errors: FieldError[];
}

export const MAX_IMPORT_ENTRIES = 2000;
const IMPORT_METADATA_MAX_BYTES = 16 * 1024;
/** Our fields without a world-book equivalent travel under this extension key so our own round trips are lossless. */
export const EXTENSION_KEY = 'botcafe';

const LOGIC_FROM_ST: Record<number, KnowledgeKeywordLogic> = {
  0: KnowledgeKeywordLogic.AndAny,
  1: KnowledgeKeywordLogic.NotAll,
  2: KnowledgeKeywordLogic.NotAny,
  3: KnowledgeKeywordLogic.AndAll,
};
const LOGIC_TO_ST: Record<KnowledgeKeywordLogic, number> = { and_any: 0, not_all: 1, not_any: 2, and_all: 3 };
const POSITION_FROM_ST: Record<number, KnowledgePosition> = {
  0: KnowledgePosition.BeforeCharacter,
  1: KnowledgePosition.AfterCharacter,
  2: KnowledgePosition.SystemBottom,
  3: KnowledgePosition.SystemBottom,
  4: KnowledgePosition.AtDepth,
  5: KnowledgePosition.BeforeExamples,
  6: KnowledgePosition.AfterExamples,
  7: KnowledgePosition.AfterCharacter,
};
const POSITION_TO_ST: Record<KnowledgePosition, number> = {
  before_character: 0,
  after_character: 1,
  system_bottom: 3,
  at_depth: 4,
  before_examples: 5,
  after_examples: 6,
  system_top: 0,
};
const ROLE_FROM_ST: Record<number, KnowledgeDepthRole> = {
  0: KnowledgeDepthRole.System,
  1: KnowledgeDepthRole.User,
  2: KnowledgeDepthRole.Assistant,
};
const ROLE_TO_ST: Record<KnowledgeDepthRole, number> = { system: 0, user: 1, assistant: 2 };

/** world-book key → [entity property, min, max] for integer fields copied as they are. */
const INT_FIELDS: Record<string, [keyof KnowledgeEntry, number, number]> = {
  order: ['insertionOrder', 0, 1000],
  depth: ['depth', 0, 100],
  probability: ['probability', 0, 100],
  scanDepth: ['scanDepth', 1, 20],
  sticky: ['sticky', 0, 50],
  cooldown: ['cooldown', 0, 50],
  delay: ['delay', 0, 100],
  groupWeight: ['groupWeight', 1, 1000],
};
const BOOL_FIELDS: Record<string, keyof KnowledgeEntry> = {
  useProbability: 'useProbability',
  caseSensitive: 'caseSensitive',
  matchWholeWords: 'matchWholeWords',
  groupOverride: 'groupPrioritize',
  excludeRecursion: 'excludeRecursion',
  preventRecursion: 'preventRecursion',
  delayUntilRecursion: 'delayUntilRecursion',
  ignoreBudget: 'ignoreBudget',
  matchPersonaDescription: 'matchPersonaDescription',
  matchCharacterDescription: 'matchBotDescription',
  matchCharacterPersonality: 'matchBotPersonality',
};
/** Consumed world-book keys (everything else goes to import_metadata). */
const KNOWN = new Set([
  'key',
  'keysecondary',
  'comment',
  'content',
  'constant',
  'disable',
  'vectorized',
  'selectiveLogic',
  'selective',
  'position',
  'role',
  'group',
  'extensions',
  ...Object.keys(INT_FIELDS),
  ...Object.keys(BOOL_FIELDS),
]);
/** Fields carried in extensions.botcafe and restored on import. */
const EXTENSION_FIELDS: Record<string, keyof KnowledgeEntry> = {
  activation_mode: 'activationMode',
  position: 'position',
  use_regex: 'useRegex',
  match_user_messages: 'matchUserMessages',
  match_bot_messages: 'matchBotMessages',
  match_system_prompt: 'matchSystemPrompt',
  vector_threshold: 'vectorThreshold',
  max_vector_results: 'maxVectorResults',
  max_tokens: 'maxTokens',
  filter_by_bots: 'filterByBots',
  filter_by_personas: 'filterByPersonas',
  tags: 'tags',
  visibility: 'visibility',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strips `__proto__`/`constructor`/`prototype` keys at every level (never merged into objects). */
export function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = sanitize(v, depth + 1);
  }
  return out;
}

function keyList(value: unknown, field: string, errors: FieldError[]): string[] {
  if (value === undefined || value === null) return [];
  const raw = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (!raw || !raw.every((k) => typeof k === 'string')) {
    errors.push({ field, message: 'must be a string or an array of strings' });
    return [];
  }
  const keys = (raw as string[]).map((k) => k.trim()).filter(Boolean);
  if (keys.length > 50) errors.push({ field, message: 'at most 50 keys' });
  keys.forEach((k, i) => {
    if (k.length > 200) errors.push({ field: `${field}[${i}]`, message: 'a key is at most 200 characters' });
  });
  return keys;
}

export function importWorldbook(input: unknown): ImportResult {
  const result: ImportResult = { name: null, description: null, entries: [], skipped: 0, warnings: [], errors: [] };
  const book = sanitize(input);
  if (!isObject(book)) {
    result.errors.push({ field: 'worldbook', message: 'must be a JSON object' });
    return result;
  }
  if (typeof book.name === 'string' && book.name.trim()) result.name = book.name.trim().slice(0, 200);
  if (typeof book.description === 'string' && book.description.trim())
    result.description = book.description.trim().slice(0, 2000);
  const rawEntries = book.entries;
  let list: [string, unknown][];
  if (Array.isArray(rawEntries)) list = rawEntries.map((e, i) => [String(i), e]);
  else if (isObject(rawEntries)) list = Object.entries(rawEntries);
  else {
    result.errors.push({ field: 'worldbook.entries', message: 'must be an object or an array of entries' });
    return result;
  }
  if (list.length > MAX_IMPORT_ENTRIES) {
    result.errors.push({ field: 'worldbook.entries', message: `at most ${MAX_IMPORT_ENTRIES} entries` });
    return result;
  }
  for (const [id, raw] of list) {
    const f = `worldbook.entries.${id}`;
    if (!isObject(raw)) {
      result.errors.push({ field: f, message: 'must be an object' });
      continue;
    }
    const entry = importEntry(raw, f, result);
    if (entry) result.entries.push(entry);
  }
  return result;
}

function importEntry(raw: Record<string, unknown>, f: string, result: ImportResult): ImportedEntry | null {
  const errors = result.errors;
  const before = errors.length;
  const label = typeof raw.comment === 'string' && raw.comment ? `"${raw.comment.slice(0, 40)}"` : f.split('.').pop();
  if (raw.content !== undefined && raw.content !== null && typeof raw.content !== 'string') {
    errors.push({ field: `${f}.content`, message: 'must be a string' });
    return null;
  }
  const content = typeof raw.content === 'string' ? raw.content : '';
  if (!content.trim()) {
    result.skipped += 1;
    result.warnings.push(`entry ${label} has no content and was skipped`);
    return null;
  }
  if ([...content].length > 32000) errors.push({ field: `${f}.content`, message: 'at most 32000 characters' });

  const e: ImportedEntry = { content, type: KnowledgeType.Text };
  e.primaryKeys = keyList(raw.key, `${f}.key`, errors);
  e.secondaryKeys = keyList(raw.keysecondary, `${f}.keysecondary`, errors);
  if (raw.comment !== undefined && raw.comment !== null) {
    if (typeof raw.comment !== 'string') errors.push({ field: `${f}.comment`, message: 'must be a string' });
    else if (raw.comment.trim()) {
      e.title = raw.comment.trim().slice(0, 200);
      if (raw.comment.trim().length > 200) result.warnings.push(`entry ${label}: comment cut to 200 characters`);
    }
  }
  for (const [key, [prop, min, max]] of Object.entries(INT_FIELDS)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      errors.push({ field: `${f}.${key}`, message: `must be an integer from ${min} to ${max}` });
    } else (e as Record<string, unknown>)[prop] = v;
  }
  for (const [key, prop] of Object.entries(BOOL_FIELDS)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') errors.push({ field: `${f}.${key}`, message: 'must be true or false' });
    else (e as Record<string, unknown>)[prop] = v;
  }
  for (const key of ['constant', 'disable', 'vectorized', 'selective'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'boolean') {
      errors.push({ field: `${f}.${key}`, message: 'must be true or false' });
    }
  }
  if (raw.selectiveLogic !== undefined && raw.selectiveLogic !== null) {
    const logic = LOGIC_FROM_ST[raw.selectiveLogic as number];
    if (!logic) errors.push({ field: `${f}.selectiveLogic`, message: 'must be 0, 1, 2 or 3' });
    else e.keywordLogic = logic;
  }
  if (raw.position !== undefined && raw.position !== null) {
    const position = POSITION_FROM_ST[raw.position as number];
    if (!position) errors.push({ field: `${f}.position`, message: 'must be an integer from 0 to 7' });
    else {
      e.position = position;
      if (raw.position === 2 || raw.position === 3) {
        result.warnings.push(`entry ${label}: author's-note position ${raw.position} was mapped to system_bottom`);
      }
      if (raw.position === 7) result.warnings.push(`entry ${label}: outlet position was mapped to after_character`);
    }
  }
  if (raw.role !== undefined && raw.role !== null) {
    const role = ROLE_FROM_ST[raw.role as number];
    if (!role) errors.push({ field: `${f}.role`, message: 'must be 0, 1 or 2' });
    else e.depthRole = role;
  }
  if (raw.group !== undefined && raw.group !== null) {
    if (typeof raw.group !== 'string') errors.push({ field: `${f}.group`, message: 'must be a string' });
    else if (raw.group.trim()) {
      if (raw.group.trim().length > 100) errors.push({ field: `${f}.group`, message: 'at most 100 characters' });
      e.inclusionGroup = raw.group.trim();
    }
  }

  // activation mode
  const hasKeys = e.primaryKeys.length > 0;
  if (raw.disable === true) e.activationMode = KnowledgeActivationMode.Disabled;
  else if (raw.constant === true) e.activationMode = KnowledgeActivationMode.Constant;
  else if (raw.vectorized === true)
    e.activationMode = hasKeys ? KnowledgeActivationMode.Hybrid : KnowledgeActivationMode.Vector;
  else if (hasKeys) e.activationMode = KnowledgeActivationMode.Keyword;
  else {
    e.activationMode = KnowledgeActivationMode.Disabled;
    result.warnings.push(`entry ${label} has no keys and is not constant: imported as disabled`);
  }
  e.useRegex = [...e.primaryKeys, ...e.secondaryKeys].some(looksLikeRegexKey);

  // our own fields, when the book came from our export
  const extensions = isObject(raw.extensions) ? raw.extensions : {};
  const ours = isObject(extensions[EXTENSION_KEY]) ? (extensions[EXTENSION_KEY] as Record<string, unknown>) : null;
  if (ours) {
    for (const [key, prop] of Object.entries(EXTENSION_FIELDS)) {
      if (ours[key] !== undefined) (e as Record<string, unknown>)[prop] = ours[key];
    }
  }

  // everything else → import_metadata
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!KNOWN.has(k)) metadata[k] = v;
  const otherExtensions = Object.fromEntries(Object.entries(extensions).filter(([k]) => k !== EXTENSION_KEY));
  if (Object.keys(otherExtensions).length) metadata.extensions = otherExtensions;
  if (Object.keys(metadata).length) {
    if (Buffer.byteLength(JSON.stringify(metadata)) > IMPORT_METADATA_MAX_BYTES) {
      result.warnings.push(`entry ${label}: unknown fields exceed 16 KB and were dropped`);
    } else e.importMetadata = metadata;
  }

  if (errors.length === before) {
    const ruleErrors = entryRuleErrors(
      {
        activationMode: e.activationMode,
        primaryKeys: e.primaryKeys,
        secondaryKeys: e.secondaryKeys,
        useRegex: e.useRegex ?? false,
        caseSensitive: e.caseSensitive ?? false,
        matchWholeWords: e.matchWholeWords ?? false,
        type: KnowledgeType.Text,
        sourceUrl: null,
      },
      { primary: 'key', secondary: 'keysecondary', prefix: `${f}.` },
    );
    errors.push(...ruleErrors);
  }
  return errors.length === before ? e : null;
}

/** Default values of the extension-carried fields: only differing ones are written and warned about. */
const EXTENSION_DEFAULTS: Record<string, unknown> = {
  use_regex: false,
  match_user_messages: true,
  match_bot_messages: true,
  match_system_prompt: false,
  vector_threshold: 0.4,
  max_vector_results: 5,
  max_tokens: 1000,
  filter_by_bots: false,
  filter_by_personas: false,
  tags: [],
  visibility: 'inherit',
};

export interface ExportResult {
  name: string;
  description: string | null;
  entries: Record<string, Record<string, unknown>>;
  warnings: string[];
}

export function exportWorldbook(
  collection: { name: string; description: string | null },
  entries: KnowledgeEntry[],
): ExportResult {
  const out: Record<string, Record<string, unknown>> = {};
  const unmapped = new Set<string>();
  entries.forEach((e, uid) => {
    const meta = isObject(e.importMetadata) ? { ...e.importMetadata } : {};
    const metaExtensions = isObject(meta.extensions) ? meta.extensions : {};
    delete meta.extensions;
    const ours: Record<string, unknown> = {
      activation_mode: e.activationMode,
      position: e.position,
    };
    for (const [key, prop] of Object.entries(EXTENSION_FIELDS)) {
      if (key in EXTENSION_DEFAULTS) {
        const value = e[prop];
        if (JSON.stringify(value) !== JSON.stringify(EXTENSION_DEFAULTS[key])) {
          ours[key] = key === 'vector_threshold' ? Math.round((value as number) * 1e6) / 1e6 : value;
          unmapped.add(key);
        }
      }
    }
    if (e.position === KnowledgePosition.SystemTop) unmapped.add('position system_top');
    if (e.type !== KnowledgeType.Text || e.sourceUrl) unmapped.add('type/source_url');
    out[String(uid)] = {
      ...meta,
      uid,
      key: e.primaryKeys,
      keysecondary: e.secondaryKeys,
      comment: e.title ?? '',
      content: e.content,
      constant: e.activationMode === KnowledgeActivationMode.Constant,
      vectorized:
        e.activationMode === KnowledgeActivationMode.Vector || e.activationMode === KnowledgeActivationMode.Hybrid,
      selective: true,
      selectiveLogic: LOGIC_TO_ST[e.keywordLogic],
      order: e.insertionOrder,
      position: POSITION_TO_ST[e.position],
      disable: e.activationMode === KnowledgeActivationMode.Disabled,
      excludeRecursion: e.excludeRecursion,
      preventRecursion: e.preventRecursion,
      delayUntilRecursion: e.delayUntilRecursion,
      probability: e.probability,
      useProbability: e.useProbability,
      depth: e.depth,
      role: ROLE_TO_ST[e.depthRole],
      group: e.inclusionGroup ?? '',
      groupOverride: e.groupPrioritize,
      groupWeight: e.groupWeight,
      scanDepth: e.scanDepth,
      caseSensitive: e.caseSensitive,
      matchWholeWords: e.matchWholeWords,
      sticky: e.sticky,
      cooldown: e.cooldown,
      delay: e.delay,
      ignoreBudget: e.ignoreBudget,
      matchPersonaDescription: e.matchPersonaDescription,
      matchCharacterDescription: e.matchBotDescription,
      matchCharacterPersonality: e.matchBotPersonality,
      extensions: { ...metaExtensions, [EXTENSION_KEY]: ours },
    };
  });
  const warnings = [...unmapped]
    .sort()
    .map(
      (field) => `${field} has no world-book equivalent; kept under extensions.${EXTENSION_KEY} for BotCafé re-imports`,
    );
  if (entries.some((e) => e.filterByBots || e.filterByPersonas)) {
    warnings.push('bot and persona filter lists are not exported (their ids only exist on this site)');
  }
  return { name: collection.name, description: collection.description, entries: out, warnings };
}
