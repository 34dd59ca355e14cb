import { encodingFor, TiktokenTokenCounter } from './tiktoken-token-counter.js';

describe('TiktokenTokenCounter', () => {
  const counter = new TiktokenTokenCounter();

  it('picks the encoding of known OpenAI families, also behind a vendor prefix', () => {
    expect(encodingFor('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingFor('openai/gpt-4.1')).toBe('o200k_base');
    expect(encodingFor('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingFor('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingFor('claude-3-5-sonnet')).toBeNull();
    expect(encodingFor('fake-model')).toBeNull();
    expect(encodingFor(undefined)).toBeNull();
  });

  it('counts real tokens for a known model', () => {
    expect(counter.count('hello world', 'gpt-4o')).toBe(2);
    expect(counter.count('hello world', 'gpt-3.5-turbo')).toBe(2);
    // a long word costs more tokens than chars/4 would guess for a short one, and the counts differ from the estimate
    const text = 'Mira adjusts her spectacles and smiles at the stranger by the window.';
    expect(counter.count(text, 'gpt-4o')).not.toBe(Math.ceil(text.length / 4));
  });

  it('treats special-token text in content as plain text', () => {
    expect(counter.count('<|endoftext|>', 'gpt-4o')).toBeGreaterThan(1);
  });

  it('counts a long run without whitespace quickly, never below the exact count', () => {
    const started = Date.now();
    const long = counter.count('y'.repeat(30_000), 'gpt-4o');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(long).toBeGreaterThanOrEqual(counter.count('y'.repeat(3_000), 'gpt-4o') * 10 - 10);
    expect(counter.count(`word ${'z'.repeat(200)} word`, 'gpt-4o')).toBeGreaterThan(
      counter.count('word word', 'gpt-4o'),
    );
  });

  it('falls back to ceil(chars / 4) for unknown models', () => {
    expect(counter.count('abcdefghi', 'fake-model')).toBe(3);
    expect(counter.count('abcdefghi')).toBe(3);
    expect(counter.count('', 'gpt-4o')).toBe(0);
  });
});
