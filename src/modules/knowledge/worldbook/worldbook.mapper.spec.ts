import type { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import { exportWorldbook, importWorldbook, sanitize } from './worldbook.mapper.js';

const entry = (fields: Record<string, unknown>) => ({ entries: { '0': { content: 'Lore', key: ['k'], ...fields } } });

describe('importWorldbook: corrected mapping (knowledge.md §5)', () => {
  it.each([
    [0, 'and_any'],
    [1, 'not_all'],
    [2, 'not_any'],
    [3, 'and_all'],
  ])('selectiveLogic %d → %s', (selectiveLogic, logic) => {
    expect(importWorldbook(entry({ selectiveLogic })).entries[0].keywordLogic).toBe(logic);
  });

  it.each([
    [0, 'before_character', false],
    [1, 'after_character', false],
    [2, 'system_bottom', true],
    [3, 'system_bottom', true],
    [4, 'at_depth', false],
    [5, 'before_examples', false],
    [6, 'after_examples', false],
    [7, 'after_character', true],
  ])('position %d → %s (warning %s)', (position, mapped, warned) => {
    const r = importWorldbook(entry({ position }));
    expect(r.entries[0].position).toBe(mapped);
    expect(r.warnings.length > 0).toBe(warned);
  });

  it.each([
    [{ constant: true }, 'constant'],
    [{ disable: true, constant: true }, 'disabled'],
    [{ vectorized: true }, 'hybrid'],
    [{ vectorized: true, key: [] }, 'vector'],
    [{}, 'keyword'],
    [{ key: [] }, 'disabled'],
  ])('%j → mode %s', (fields, mode) => {
    expect(importWorldbook(entry(fields)).entries[0].activationMode).toBe(mode);
  });

  it('maps the rest and keeps unknown fields in import_metadata', () => {
    const r = importWorldbook(
      entry({
        uid: 7,
        key: 'alpha, beta ,',
        keysecondary: ['red'],
        comment: 'Title here',
        role: 2,
        order: 250,
        depth: 4,
        probability: 40,
        useProbability: true,
        scanDepth: 5,
        caseSensitive: true,
        matchWholeWords: true,
        sticky: 2,
        cooldown: 3,
        delay: 1,
        group: 'g',
        groupWeight: 7,
        groupOverride: true,
        excludeRecursion: true,
        preventRecursion: true,
        delayUntilRecursion: true,
        ignoreBudget: true,
        matchCharacterDescription: true,
        automationId: 'auto',
        __proto__: { polluted: true },
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.entries[0]).toMatchObject({
      primaryKeys: ['alpha', 'beta'],
      secondaryKeys: ['red'],
      title: 'Title here',
      depthRole: 'assistant',
      insertionOrder: 250,
      depth: 4,
      probability: 40,
      useProbability: true,
      scanDepth: 5,
      caseSensitive: true,
      matchWholeWords: true,
      sticky: 2,
      cooldown: 3,
      delay: 1,
      inclusionGroup: 'g',
      groupWeight: 7,
      groupPrioritize: true,
      excludeRecursion: true,
      preventRecursion: true,
      delayUntilRecursion: true,
      ignoreBudget: true,
      matchBotDescription: true,
      importMetadata: { uid: 7, automationId: 'auto' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips entries without content, reports per-field errors', () => {
    const r = importWorldbook({
      entries: {
        a: { content: '' },
        b: { content: 'x', key: 5, order: 'high', selectiveLogic: 9, position: 12, role: 5 },
        c: { content: 'x', key: ['/(/'] },
        d: 'nope',
      },
    });
    expect(r.skipped).toBe(1);
    expect(r.errors.map((e) => e.field).sort()).toEqual(
      [
        'worldbook.entries.b.key',
        'worldbook.entries.b.order',
        'worldbook.entries.b.position',
        'worldbook.entries.b.role',
        'worldbook.entries.b.selectiveLogic',
        'worldbook.entries.c.key[0]',
        'worldbook.entries.d',
      ].sort(),
    );
    expect(importWorldbook({ entries: 3 }).errors[0].field).toBe('worldbook.entries');
    expect(importWorldbook([]).errors[0].field).toBe('worldbook');
  });

  it('export → import keeps every activation field', () => {
    const imported = importWorldbook(entry({ selectiveLogic: 1, position: 4, role: 1, vectorized: true, sticky: 3 }))
      .entries[0];
    const e = {
      ...imported,
      id: 'x',
      vectorThreshold: 0.7,
      maxTokens: 50,
      useRegex: false,
      keywordLogic: imported.keywordLogic,
    } as unknown as KnowledgeEntry;
    const exported = exportWorldbook({ name: 'n', description: null }, [
      {
        ...e,
        scanDepth: 2,
        depth: 0,
        insertionOrder: 100,
        probability: 100,
        useProbability: false,
        groupWeight: 100,
        matchUserMessages: true,
        matchBotMessages: true,
        tags: [],
      } as KnowledgeEntry,
    ]);
    expect(exported.warnings.join(' ')).toMatch(/vector_threshold/);
    const again = importWorldbook(sanitize(JSON.parse(JSON.stringify(exported)))).entries[0];
    expect(again).toMatchObject({
      keywordLogic: 'not_all',
      position: 'at_depth',
      depthRole: 'user',
      activationMode: 'hybrid',
      sticky: 3,
      vectorThreshold: 0.7,
      maxTokens: 50,
    });
  });
});
