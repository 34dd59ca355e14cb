import {
  EstimateTokenCounter,
  messageTokens,
  PER_MESSAGE_TOKENS,
  PER_REQUEST_TOKENS,
  requestTokens,
} from './token-counter.js';

describe('token estimate (api-keys.md §6.3)', () => {
  const counter = new EstimateTokenCounter();

  it('is ceil(chars / 4) per text', () => {
    expect(counter.count('')).toBe(0);
    expect(counter.count('abcd')).toBe(1);
    expect(counter.count('abcde')).toBe(2);
    expect(counter.count('x'.repeat(400))).toBe(100);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(counter.count('😀😀😀😀')).toBe(1);
  });

  it('adds 4 per message (name included as text) and 3 per request', () => {
    expect(PER_MESSAGE_TOKENS).toBe(4);
    expect(PER_REQUEST_TOKENS).toBe(3);
    expect(messageTokens(counter, { role: 'user', content: 'x'.repeat(8) })).toBe(2 + 4);
    expect(messageTokens(counter, { role: 'user', content: 'x'.repeat(8), name: 'Mira' })).toBe(2 + 1 + 4);
    expect(
      requestTokens(counter, [
        { role: 'system', content: 'x'.repeat(40) },
        { role: 'user', content: 'hi' },
      ]),
    ).toBe(3 + (10 + 4) + (1 + 4));
  });
});
