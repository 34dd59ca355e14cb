import { firstFreeSlug, slugify } from './slug.js';

describe('slugify', () => {
  it('lower-cases, strips accents and joins words with hyphens', () => {
    expect(slugify('Captain Mira')).toBe('captain-mira');
    expect(slugify('  Émilie  Zoë!! ')).toBe('emilie-zoe');
    expect(slugify('R2-D2 & C-3PO')).toBe('r2-d2-c-3po');
  });
  it('falls back to "bot" when nothing is left', () => {
    expect(slugify('!!!')).toBe('bot');
    expect(slugify('日本語')).toBe('bot');
  });
  it('cuts long names at a hyphen within 80 characters', () => {
    const slug = slugify(`${'word '.repeat(30)}end`);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slug.endsWith('word')).toBe(true);
    expect(slugify('a'.repeat(100))).toBe('a'.repeat(80));
  });
});

describe('firstFreeSlug', () => {
  it('appends -2, -3 … to the first free one', () => {
    expect(firstFreeSlug('aria', new Set())).toBe('aria');
    expect(firstFreeSlug('aria', new Set(['aria']))).toBe('aria-2');
    expect(firstFreeSlug('aria', new Set(['aria', 'aria-2', 'aria-4']))).toBe('aria-3');
  });
  it('keeps suffixed slugs within 80 characters', () => {
    const base = 'a'.repeat(80);
    expect(firstFreeSlug(base, new Set([base]))).toBe(`${'a'.repeat(78)}-2`);
  });
});
