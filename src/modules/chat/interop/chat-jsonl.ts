import { UnprocessableError } from '../../../common/errors/app-error.js';

/** Limits of one imported chat log (chat.md §3: content ≤ 32 000 chars, ≤ 20 alternatives per message). */
export const MAX_IMPORT_MESSAGES = 10_000;
export const MAX_CONTENT_CHARS = 32_000;
export const MAX_SWIPES = 20;
export const MAX_NAME_CHARS = 100;

/** One message line of a SillyTavern chat log, validated. */
export interface JsonlMessage {
  /** 1-based physical line number in the upload (for error messages). */
  line: number;
  name: string | null;
  isUser: boolean;
  isSystem: boolean;
  sendDate: Date | null;
  mes: string;
  /** Bot messages: the swipes (≥ 1, the active one already holding `mes`); others: empty. */
  swipes: string[];
  /** Index of the active swipe in `swipes`. */
  swipeId: number;
}

/** The header line (optional on import). */
export interface JsonlHeader {
  userName: string | null;
  characterName: string | null;
}

export interface ParsedChatLog {
  header: JsonlHeader | null;
  messages: JsonlMessage[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a SillyTavern JSONL chat log: an optional header line (an object without `mes`, e.g. `user_name`,
 * `character_name`, `chat_metadata`), then one JSON object per message. Blank lines are skipped. Every problem →
 * 422 INVALID_CHAT_LOG whose `errors[]` name the line (`line 3`, `line 3.swipes[1]`); nothing is partially accepted.
 */
export function parseChatJsonl(text: string): ParsedChatLog {
  const errors: { field: string; message: string }[] = [];
  const fail = (field: string, message: string) => {
    errors.push({ field, message });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: JsonlHeader | null = null;
  const messages: JsonlMessage[] = [];
  let seenFirst = false;
  for (let i = 0; i < lines.length && errors.length < 20; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    const at = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      fail(at, 'is not valid JSON');
      continue;
    }
    if (!isObj(value)) {
      fail(at, 'must be a JSON object');
      continue;
    }
    const first = !seenFirst;
    seenFirst = true;
    if (first && !('mes' in value)) {
      const str = (k: string) => (typeof value[k] === 'string' ? (value[k] as string) : null);
      header = { userName: str('user_name'), characterName: str('character_name') };
      continue;
    }
    const msg = parseMessage(value, i + 1, fail);
    if (msg) messages.push(msg);
    if (messages.length > MAX_IMPORT_MESSAGES) {
      fail(at, `a chat log may hold at most ${MAX_IMPORT_MESSAGES} messages`);
      break;
    }
  }
  if (!errors.length && messages.length === 0) fail('file', 'the chat log holds no messages');
  if (errors.length) throw new UnprocessableError('INVALID_CHAT_LOG', 'The chat log cannot be imported.', errors);
  return { header, messages };
}

function parseMessage(v: Obj, line: number, fail: (field: string, message: string) => void): JsonlMessage | null {
  const at = `line ${line}`;
  const before = { n: 0 };
  const err = (field: string, message: string) => {
    before.n++;
    fail(field ? `${at}.${field}` : at, message);
  };
  if (typeof v.mes !== 'string') err('mes', 'must be a string');
  else if (v.mes.length > MAX_CONTENT_CHARS) err('mes', `must be at most ${MAX_CONTENT_CHARS} characters`);
  if (v.name !== undefined && v.name !== null && typeof v.name !== 'string') err('name', 'must be a string');
  if (v.is_user !== undefined && typeof v.is_user !== 'boolean') err('is_user', 'must be a boolean');
  if (v.is_system !== undefined && typeof v.is_system !== 'boolean') err('is_system', 'must be a boolean');
  let sendDate: Date | null = null;
  if (typeof v.send_date === 'string' || typeof v.send_date === 'number') {
    const d = new Date(v.send_date);
    if (!isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999) sendDate = d;
  } else if (v.send_date !== undefined && v.send_date !== null) err('send_date', 'must be a string or a number');
  let swipes: string[] = [];
  if (v.swipes !== undefined && v.swipes !== null) {
    if (!Array.isArray(v.swipes)) err('swipes', 'must be an array of strings');
    else if (v.swipes.length > MAX_SWIPES) err('swipes', `must hold at most ${MAX_SWIPES} entries`);
    else {
      v.swipes.forEach((s, k) => {
        if (typeof s !== 'string') err(`swipes[${k}]`, 'must be a string');
        else if (s.length > MAX_CONTENT_CHARS) err(`swipes[${k}]`, `must be at most ${MAX_CONTENT_CHARS} characters`);
      });
      swipes = v.swipes as string[];
    }
  }
  if (v.swipe_id !== undefined && v.swipe_id !== null && !Number.isInteger(v.swipe_id)) {
    err('swipe_id', 'must be an integer');
  }
  const isUser = v.is_user === true;
  const isSystem = !isUser && v.is_system === true;
  const mes = typeof v.mes === 'string' ? v.mes : '';
  if (isUser && before.n === 0 && !mes.trim()) err('mes', 'a user message must not be blank');
  if (before.n) return null;

  let swipeId = 0;
  if (isUser || isSystem) {
    swipes = [];
  } else {
    swipes = swipes.length ? [...swipes] : [mes];
    const given = typeof v.swipe_id === 'number' ? v.swipe_id : -1;
    swipeId = given >= 0 && given < swipes.length ? given : Math.max(0, swipes.indexOf(mes));
    // The shown text wins: an edited message keeps its edit on the active swipe (chat.md §3.4 Edit).
    swipes[swipeId] = mes;
  }
  const name = typeof v.name === 'string' && v.name.trim() ? v.name.trim().slice(0, MAX_NAME_CHARS) : null;
  return { line, name, isUser, isSystem, sendDate, mes, swipes, swipeId };
}

/** One SillyTavern line per message (`swipes` only hold completed alternatives; user/system lines: `[mes]`). */
export interface ExportLine {
  name: string;
  is_user: boolean;
  is_system: boolean;
  send_date: string;
  mes: string;
  swipes: string[];
  swipe_id: number;
  extra: Record<string, unknown>;
}

/** Serialises header + lines as JSONL (one JSON object per line, `\n`-terminated). */
export function toJsonl(header: Record<string, unknown>, lines: ExportLine[]): string {
  return [header, ...lines].map((l) => JSON.stringify(l)).join('\n') + '\n';
}
