import {
  buildCard,
  cardBookField,
  composeSystemPrompt,
  jsonbTextBytes,
  parseCard,
  splitExamples,
} from './card-mapper.js';
import { decodeBase64Text, placeholderPng, readChunks, writeCardPng } from './card-png.js';

describe('card mapper', () => {
  it('appends personality and scenario unless the system prompt already has them', () => {
    expect(composeSystemPrompt('Be {{char}}.', 'Kind.', 'A park.')).toBe(
      'Be {{char}}.\n\nPersonality: Kind.\n\nScenario: A park.',
    );
    expect(composeSystemPrompt('Be kind. Kind.', 'Kind.', '')).toBe('Be kind. Kind.');
  });

  it('splits mes_example on <START> blocks', () => {
    expect(splitExamples('<START>\na\n<START>\nb\n')).toEqual(['a', 'b']);
  });

  it('rewrites knowledge mapper fields to card fields', () => {
    expect(cardBookField('worldbook.entries.3.key[0]')).toBe('data.character_book.entries[3].keys[0]');
    expect(cardBookField('worldbook.entries.1.scanDepth')).toBe('data.character_book.entries[1].extensions.scan_depth');
    expect(cardBookField('worldbook.entries')).toBe('data.character_book.entries');
  });

  it('round-trips unknown top-level and data keys', () => {
    const card = { spec: 'chara_card_v2', spec_version: '2.0', x_top: 1, data: { name: 'A', x_data: { y: 2 } } };
    const parsed = parseCard(card);
    expect(parsed.errors).toEqual([]);
    const now = new Date();
    const out = buildCard(
      { ...parsed.bot, createdAt: now, updatedAt: now, importMetadata: parsed.metadata as never },
      'v2',
      null,
    );
    expect(out).toMatchObject({ x_top: 1, data: { name: 'A', x_data: { y: 2 } } });
  });

  it('counts jsonb text spacing', () => {
    expect(jsonbTextBytes({ a: 1, b: [1, 2] })).toBe(JSON.stringify({ a: 1, b: [1, 2] }).length + 4);
  });
});

describe('card png', () => {
  it('writes chunks the reader finds, and rejects bad base64', () => {
    const png = writeCardPng(placeholderPng(), { chara: { a: 1 } });
    expect(readChunks(png).map((c) => c.name)).toContain('tEXt');
    expect(() => decodeBase64Text('***', 'f')).toThrow('not valid base64');
  });
});
