import {
  cutText,
  emotionalContext,
  estimateTokens,
  ExtractionParseError,
  jaccard,
  keywords,
  parseExtraction,
  similarGroups,
} from './memory-text.js';
import { fitBudget } from './memory-retrieval.service.js';

describe('memory text helpers', () => {
  it('estimates ceil(chars / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('keywords drop stop words and one-letter tokens; Jaccard compares them', () => {
    expect([...keywords('The user LOVES the sea, a lot!')].sort()).toEqual(['lot', 'loves', 'sea']);
    expect(jaccard(keywords('loves sailing boats'), keywords('sailing boats loves'))).toBe(1);
    expect(jaccard(keywords('cats'), keywords('dogs'))).toBe(0);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(keywords('a b c sailing boats lake'), keywords('sailing boats river'))).toBeCloseTo(0.5);
  });

  it('parses the JSON shape, tolerating fences and prose; clamps importance; cuts long text', () => {
    const raw =
      '```json\n{"memory":" Likes tea. ","importance":"12","emotions":["Joy",3,"joy",""],"rolling_summary":"S"}\n```';
    expect(parseExtraction(raw)).toEqual({
      memory: 'Likes tea.',
      importance: 10,
      emotions: ['joy'],
      rollingSummary: 'S',
    });
    expect(parseExtraction('{"memory":"","importance":0.2,"rolling_summary":""}')).toEqual({
      memory: null,
      importance: 1,
      emotions: [],
      rollingSummary: null,
    });
    const long = parseExtraction(JSON.stringify({ memory: 'word '.repeat(2000), importance: 5, rolling_summary: '' }));
    expect(long.memory!.length).toBeLessThanOrEqual(4000);
  });

  it.each([
    'no json here',
    '{"memory": "x", "importance": 5}',
    '{"memory": 3, "importance": 5, "rolling_summary": ""}',
    '{"memory": "x", "importance": "high", "rolling_summary": ""}',
    '{"memory": "x", "importance": 5, "rolling_summary": "", "emotions": "joy"}',
    '[1, 2]',
    '{"memory": "x", ',
  ])('rejects %s', (raw) => {
    expect(() => parseExtraction(raw)).toThrow(ExtractionParseError);
  });

  it('cuts at a sentence end, else at a word break', () => {
    expect(cutText('One two three four. Five six seven.', 25)).toBe('One two three four.');
    expect(cutText('alpha beta gamma delta', 12)).toBe('alpha beta');
    expect(cutText('short', 10)).toBe('short');
  });

  it('joins emotions up to 300 characters', () => {
    expect(emotionalContext(['joy', 'nostalgia'])).toBe('joy, nostalgia');
    expect(emotionalContext([])).toBeNull();
    expect(emotionalContext(Array.from({ length: 100 }, (_, i) => `feeling${i}`))!.length).toBeLessThanOrEqual(300);
  });

  it('groups similar texts by single link and keeps groups of the minimum size', () => {
    const items = ['plays chess online', 'chess online evenings', 'evenings chess online club', 'peanut allergy'];
    expect(similarGroups(items, (t) => t, 0.35, 3)).toEqual([items.slice(0, 3)]);
    expect(similarGroups(items, (t) => t, 0.35, 5)).toEqual([]);
  });

  it('fits the budget by dropping the least important (later on ties), keeping the order', () => {
    const m = (id: string, importance: number, tokenCount: number) => ({ id, importance, tokenCount });
    const items = [m('a', 9, 10), m('b', 3, 10), m('c', 8, 10), m('d', 3, 10)];
    expect(fitBudget(items, 40).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(fitBudget(items, 25).map((x) => x.id)).toEqual(['a', 'c']);
    expect(fitBudget(items, 35).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(fitBudget(items, 0)).toEqual([]);
  });
});
