import { RE2JS } from 're2js';
import { KnowledgeKeywordLogic } from '../knowledge.enums.js';

/**
 * Keyword matching for lore entries (knowledge.md §2.2, §4.1 step 4). Plain keys are substring matches (optionally
 * case-sensitive and bounded by non-word characters); regex keys run on RE2JS, a linear-time engine, so a user's
 * pattern cannot stall a request.
 */
export interface KeyOptions {
  caseSensitive: boolean;
  matchWholeWords: boolean;
  useRegex: boolean;
}

export interface CompiledKey {
  key: string;
  test(text: string): boolean;
}

export interface CompiledKeys {
  primary: CompiledKey[];
  secondary: CompiledKey[];
  logic: KnowledgeKeywordLogic;
}

export interface KeyEvaluation {
  matched: boolean;
  primaries: string[];
  secondaries: string[];
  /** matched primaries + 0.5 × matched secondaries */
  score: number;
}

/** Thrown when a key cannot be compiled; carries a message fit for a 400's `errors[].message`. */
export class KeyCompileError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeyCompileError';
  }
}

/** Flags accepted after `/body/`: i (ignore case), m (multi-line), s (dot matches newline); g, u are meaningless here and ignored. */
const ACCEPTED_FLAGS = new Set(['i', 'm', 's', 'g', 'u']);
const SLASHED = /^\/(.+)\/([a-z]*)$/s;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

export interface ParsedRegexKey {
  body: string;
  flags: string;
  /** true when written as `/body/flags` (the flags then decide case sensitivity) */
  slashed: boolean;
}

/** `/body/flags` or a plain body. */
export function parseRegexKey(key: string): ParsedRegexKey {
  const m = SLASHED.exec(key);
  if (m) return { body: m[1], flags: m[2], slashed: true };
  return { body: key, flags: '', slashed: false };
}

/** True when a key looks like `/body/flags` (world books mark regex keys this way). */
export function looksLikeRegexKey(key: string): boolean {
  return SLASHED.test(key);
}

function compileRegex(key: string, caseSensitive: boolean): CompiledKey {
  const { body, flags, slashed } = parseRegexKey(key);
  let bits = 0;
  for (const f of flags) {
    if (!ACCEPTED_FLAGS.has(f)) throw new KeyCompileError(key, `unsupported regex flag "${f}" (allowed: i, m, s)`);
  }
  const ignoreCase = slashed ? flags.includes('i') : !caseSensitive;
  if (ignoreCase) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(body, bits);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KeyCompileError(key, `invalid or unsupported regular expression: ${reason}`);
  }
  return { key, test: (text) => pattern.matcher(text).find() };
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

function compilePlain(key: string, caseSensitive: boolean, wholeWords: boolean): CompiledKey {
  const needle = caseSensitive ? key : key.toLowerCase();
  return {
    key,
    test(text) {
      const haystack = caseSensitive ? text : text.toLowerCase();
      if (!wholeWords) return haystack.includes(needle);
      let from = 0;
      for (;;) {
        const at = haystack.indexOf(needle, from);
        if (at < 0) return false;
        const before =
          at > 0 ? String.fromCodePoint(haystack.codePointAt(prevCodePointIndex(haystack, at))!) : undefined;
        const afterCp = haystack.codePointAt(at + needle.length);
        const after = afterCp === undefined ? undefined : String.fromCodePoint(afterCp);
        if (!isWordChar(before) && !isWordChar(after)) return true;
        from = at + 1;
      }
    },
  };
}

function prevCodePointIndex(s: string, index: number): number {
  const code = s.charCodeAt(index - 1);
  // a low surrogate: the code point starts one unit earlier
  return code >= 0xdc00 && code <= 0xdfff && index >= 2 ? index - 2 : index - 1;
}

/** Compiles one key; throws KeyCompileError for an invalid regex. */
export function compileKey(key: string, options: KeyOptions): CompiledKey {
  if (options.useRegex) return compileRegex(key, options.caseSensitive);
  return compilePlain(key, options.caseSensitive, options.matchWholeWords);
}

/** Returns the compile error message of a key, or null when it compiles (used by DTO validation and imports). */
export function keyError(key: string, options: KeyOptions): string | null {
  try {
    compileKey(key, options);
    return null;
  } catch (err) {
    if (err instanceof KeyCompileError) return err.message;
    throw err;
  }
}

export function compileEntryKeys(
  entry: KeyOptions & { primaryKeys: string[]; secondaryKeys: string[]; keywordLogic: KnowledgeKeywordLogic },
): CompiledKeys {
  return {
    primary: entry.primaryKeys.map((k) => compileKey(k, entry)),
    secondary: entry.secondaryKeys.map((k) => compileKey(k, entry)),
    logic: entry.keywordLogic,
  };
}

/**
 * ≥1 primary must match and the secondaries must satisfy the logic (world-book meaning): and_any = at least one
 * secondary, and_all = every secondary, not_any = no secondary, not_all = not every secondary. With no secondary keys
 * defined, the logic is not applied (a primary match suffices), as in world books.
 */
export function evaluateKeys(compiled: CompiledKeys, text: string): KeyEvaluation {
  const primaries = compiled.primary.filter((k) => k.test(text)).map((k) => k.key);
  if (primaries.length === 0) return { matched: false, primaries, secondaries: [], score: 0 };
  const secondaries = compiled.secondary.filter((k) => k.test(text)).map((k) => k.key);
  const total = compiled.secondary.length;
  let ok = true;
  if (total > 0) {
    switch (compiled.logic) {
      case KnowledgeKeywordLogic.AndAny:
        ok = secondaries.length > 0;
        break;
      case KnowledgeKeywordLogic.AndAll:
        ok = secondaries.length === total;
        break;
      case KnowledgeKeywordLogic.NotAny:
        ok = secondaries.length === 0;
        break;
      case KnowledgeKeywordLogic.NotAll:
        ok = secondaries.length < total;
        break;
    }
  }
  return { matched: ok, primaries, secondaries, score: primaries.length + 0.5 * secondaries.length };
}
