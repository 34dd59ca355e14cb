export const SLUG_MAX = 80;

/**
 * Slug from a name (bots.md §1.5): NFKD, strip combining marks, lower-case, runs of anything but [a-z0-9] → '-',
 * trim hyphens, cut to `max` at a hyphen when possible; empty → 'bot'.
 */
export function slugify(name: string, max = SLUG_MAX): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cut(base, max) || 'bot';
}

function cut(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const head = slug.slice(0, max);
  // cut at the last hyphen if the limit falls inside a word
  const atHyphen = slug[max] === '-' ? head : head.slice(0, Math.max(head.lastIndexOf('-'), 0)) || head;
  return atHyphen.replace(/-+$/g, '');
}

/**
 * The first free slug: `base` itself, else `base-2`, `base-3`, … (cutting the base so the suffix fits in 80).
 * `taken` holds the owner's slugs that start with the base.
 */
export function firstFreeSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${cut(base, SLUG_MAX - suffix.length) || 'bot'}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
