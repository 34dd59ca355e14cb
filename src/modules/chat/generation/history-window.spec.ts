import { fitHistory, type HistoryRow, insertAtDepth, sanitizeName, toPromptMessage } from './history-window.js';

const names = { char: 'Mira', user: 'Alex' };
const row = (over: Partial<HistoryRow>): HistoryRow => ({
  seq: 1,
  authorKind: 'user',
  authorUserId: 'u1',
  botId: null,
  personaId: null,
  authorName: 'Alex',
  content: 'hello',
  ...over,
});

describe('history window (api-keys.md §6.3)', () => {
  it('sanitises names to [A-Za-z0-9_-]{1,64}', () => {
    expect(sanitizeName('Captain Mira')).toBe('Captain_Mira');
    expect(sanitizeName('Zoë  the-Bold!')).toBe('Zoe_the-Bold');
    expect(sanitizeName('x'.repeat(80))).toHaveLength(64);
    expect(sanitizeName('日本')).toBeUndefined();
    expect(sanitizeName('')).toBeUndefined();
  });

  it('maps roles: user → user with name, own bot → assistant, other bots → user with a prefix', () => {
    expect(toPromptMessage(row({ authorName: 'Alex Doe' }), 'b1', names)).toEqual({
      role: 'user',
      content: 'hello',
      name: 'Alex_Doe',
    });
    expect(toPromptMessage(row({ authorName: '日本' }), 'b1', names)).toEqual({ role: 'user', content: 'hello' });
    expect(toPromptMessage(row({ authorName: 'Alex' }), 'b1', names, false)).toEqual({
      role: 'user',
      content: 'hello',
    });
    expect(toPromptMessage(row({ authorKind: 'bot', botId: 'b1', content: 'hi {{user}}' }), 'b1', names)).toEqual({
      role: 'assistant',
      content: 'hi Alex',
    });
    expect(
      toPromptMessage(row({ authorKind: 'bot', botId: 'b2', authorName: 'Rook', content: 'hey' }), 'b1', names),
    ).toEqual({ role: 'user', content: '[Rook]: hey' });
  });

  it('fills from the newest backwards and stops at the first message that does not fit', () => {
    // costs oldest → newest; the newest (index 4) is the forced user message, already paid for
    expect(fitHistory([5, 5, 50, 5, 7], 12, 4)).toEqual([3, 4]);
    expect(fitHistory([5, 5, 5, 5, 7], 100, 4)).toEqual([0, 1, 2, 3, 4]);
    // a small older message after the stop is not taken
    expect(fitHistory([1, 50, 5, 7], 10, 3)).toEqual([2, 3]);
  });

  it('always keeps the newest user message, even behind newer replies that do not fit', () => {
    expect(fitHistory([5, 7, 40, 3], 4, 1)).toEqual([1, 3]);
    expect(fitHistory([5, 7], 0, 1)).toEqual([1]);
    expect(fitHistory([5, 7], 0, null)).toEqual([]);
  });

  it('inserts at_depth messages depth messages from the end (0 = after the newest)', () => {
    const h = ['a', 'b', 'c'].map((c) => ({ role: 'user' as const, content: c }));
    const lore = (depth: number, content: string) => ({ depth, message: { role: 'system' as const, content } });
    const out = insertAtDepth(h, [lore(0, 'd0'), lore(1, 'd1'), lore(1, 'd1b'), lore(9, 'd9')]);
    expect(out.map((m) => m.content)).toEqual(['d9', 'a', 'b', 'd1', 'd1b', 'c', 'd0']);
    expect(insertAtDepth([], [lore(2, 'x')]).map((m) => m.content)).toEqual(['x']);
  });
});
