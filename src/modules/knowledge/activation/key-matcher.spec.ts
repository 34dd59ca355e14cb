import { KnowledgeKeywordLogic } from '../knowledge.enums.js';
import { compileEntryKeys, compileKey, evaluateKeys, KeyCompileError, keyError, parseRegexKey } from './key-matcher.js';

const plain = { caseSensitive: false, matchWholeWords: false, useRegex: false };

describe('compileKey: plain keys', () => {
  it.each([
    // key, text, options, expected
    ['Elvara', 'tell me about elvara', {}, true],
    ['Elvara', 'tell me about elvara', { caseSensitive: true }, false],
    ['Elvara', 'tell me about Elvara', { caseSensitive: true }, true],
    ['Elvara', 'the Elvaran empire', {}, true],
    ['Elvara', 'the Elvaran empire', { matchWholeWords: true }, false],
    ['Elvara', 'Elvara, the queen', { matchWholeWords: true }, true],
    ['Elvara', '(elvara)', { matchWholeWords: true }, true],
    ['Elvara', 'elvara_x', { matchWholeWords: true }, false],
    ['Elvara', 'xElvara Elvara', { matchWholeWords: true }, true],
    ['red dragon', 'a Red Dragon appears', { matchWholeWords: true }, true],
    ['red dragon', 'a red dragons appear', { matchWholeWords: true }, false],
    ['café', 'the cafés are open', { matchWholeWords: true }, false],
    ['café', 'the CAFÉ is open', { matchWholeWords: true }, true],
    ['ümit', 'xümit', { matchWholeWords: true }, false],
    ['a.b', 'axb', {}, false],
    ['a.b', 'a.b', {}, true],
    ['/elv/', 'elv', {}, false],
  ])('%s in %j %j → %s', (key, text, options, expected) => {
    expect(compileKey(key, { ...plain, ...options }).test(text)).toBe(expected);
  });
});

describe('compileKey: regex keys (RE2JS)', () => {
  const rx = { ...plain, useRegex: true };
  it.each([
    ['elv(a|i)ra', 'ELVIRA', {}, true],
    ['elv(a|i)ra', 'ELVIRA', { caseSensitive: true }, false],
    ['/elv(a|i)ra/', 'ELVIRA', {}, false],
    ['/elv(a|i)ra/i', 'ELVIRA', { caseSensitive: true }, true],
    ['/^dragon$/m', 'a\ndragon\nb', {}, true],
    ['/a.b/s', 'a\nb', {}, true],
    ['/a.b/', 'a\nb', {}, false],
    ['\\bking\\b', 'the kingdom', {}, false],
    ['\\bking\\b', 'the king rises', {}, true],
    ['/elv/gu', 'elv', {}, true],
  ])('%s in %j %j → %s', (key, text, options, expected) => {
    expect(compileKey(key, { ...rx, ...options }).test(text)).toBe(expected);
  });

  it.each([
    ['(', /missing closing/],
    ['(a)\\1', /invalid escape/],
    ['(?=a)b', /unsupported Perl syntax/],
    ['/abc/y', /unsupported regex flag "y"/],
    ['[z-a]', /invalid/],
  ])('refuses %s', (key, message) => {
    expect(() => compileKey(key, rx)).toThrow(KeyCompileError);
    expect(keyError(key, rx)).toMatch(message);
  });

  it('ignores use_regex-only problems when use_regex is off', () => {
    expect(keyError('(', plain)).toBeNull();
  });

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const key = compileKey('(a+)+$', rx);
    const text = `${'a'.repeat(50_000)}!`;
    const started = Date.now();
    expect(key.test(text)).toBe(false); // a backtracking engine would take ages to find that out
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('parses /body/flags and plain bodies', () => {
    expect(parseRegexKey('/a|b/im')).toEqual({ body: 'a|b', flags: 'im', slashed: true });
    expect(parseRegexKey('a|b')).toEqual({ body: 'a|b', flags: '', slashed: false });
    expect(parseRegexKey('/')).toEqual({ body: '/', flags: '', slashed: false });
  });
});

describe('evaluateKeys: selective logic', () => {
  const build = (logic: KnowledgeKeywordLogic, secondary: string[]) =>
    compileEntryKeys({ ...plain, primaryKeys: ['dragon'], secondaryKeys: secondary, keywordLogic: logic });
  const { AndAny, AndAll, NotAny, NotAll } = KnowledgeKeywordLogic;

  it.each([
    // logic, secondaries, text, expected
    [AndAll, ['red'], 'a dragon', false],
    [AndAll, ['red'], 'a red dragon', true],
    [NotAny, ['red'], 'a dragon', true],
    [NotAny, ['red'], 'a red dragon', false],
    [AndAny, ['red', 'big'], 'a dragon', false],
    [AndAny, ['red', 'big'], 'a big dragon', true],
    [AndAny, ['red', 'big'], 'a big red dragon', true],
    [AndAll, ['red', 'big'], 'a big dragon', false],
    [AndAll, ['red', 'big'], 'a big red dragon', true],
    [NotAny, ['red', 'big'], 'a big dragon', false],
    [NotAny, ['red', 'big'], 'a small dragon', true],
    [NotAll, ['red', 'big'], 'a big dragon', true],
    [NotAll, ['red', 'big'], 'a small dragon', true],
    [NotAll, ['red', 'big'], 'a big red dragon', false],
    // no secondary keys: the logic is not applied
    [AndAny, [], 'a dragon', true],
    [AndAll, [], 'a dragon', true],
    [NotAny, [], 'a dragon', true],
    [NotAll, [], 'a dragon', true],
    // no primary match: never
    [NotAny, ['red'], 'a wyvern', false],
    [AndAny, ['red'], 'a red wyvern', false],
  ])('%s %j on %j → %s', (logic, secondary, text, expected) => {
    expect(evaluateKeys(build(logic, secondary), text).matched).toBe(expected);
  });

  it('scores matched primaries + 0.5 × matched secondaries and lists them', () => {
    const keys = compileEntryKeys({
      ...plain,
      primaryKeys: ['dragon', 'wyrm', 'drake'],
      secondaryKeys: ['red', 'big'],
      keywordLogic: AndAny,
    });
    expect(evaluateKeys(keys, 'a big red dragon, a wyrm')).toEqual({
      matched: true,
      primaries: ['dragon', 'wyrm'],
      secondaries: ['red', 'big'],
      score: 3,
    });
  });
});
