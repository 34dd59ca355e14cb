import { randomInt } from 'node:crypto';

/**
 * Handles that would collide with top-level routes (`/<username>/<bot-slug>`, `/creators/<username>`). Compared
 * case-insensitively. Shared with the creators module (creators.md): import it, never copy it.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'api',
  'admin',
  'explore',
  'creators',
  'bots',
  'lore',
  'personas',
  'chat',
  'settings',
  'account',
  'login',
  'logout',
  'register',
  'backrooms',
  'help',
  'docs',
  'support',
  'legal',
  'static',
  'assets',
  'me',
  'new',
  'edit',
]);

/** 3–30 characters: lower-case letters, digits, `_` and `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_-]{2,29}$/;
export const USERNAME_MAX_LENGTH = 30;

export function isReservedUsername(username: string): boolean {
  return RESERVED_USERNAMES.has(username.toLowerCase());
}

/** Why a handle is refused, or null when it is acceptable. Callers lower-case input first. */
export function usernameProblem(username: string): string | null {
  if (!USERNAME_PATTERN.test(username)) {
    return 'username must be 3-30 characters of a-z, 0-9, _ or -, starting with a letter or digit';
  }
  if (isReservedUsername(username)) return 'username is reserved';
  return null;
}

/**
 * A candidate handle from an email's local part plus four random digits ("john.doe@x" → "john_doe4821"): characters
 * outside the handle alphabet become `_`, leading `_`/`-` are dropped and the base is cut so the result fits 30.
 */
export function usernameFromEmail(email: string, digits: () => string = fourDigits): string {
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  let base = local
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+/, '')
    .slice(0, USERNAME_MAX_LENGTH - 4);
  if (!base) base = 'user';
  return `${base}${digits()}`;
}

function fourDigits(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}
