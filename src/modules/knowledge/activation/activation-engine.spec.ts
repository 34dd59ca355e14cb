import {
  KnowledgeActivationMethod as M,
  KnowledgeActivationMode as Mode,
  KnowledgeDepthRole,
  KnowledgeFilterMode,
  KnowledgeKeywordLogic,
  KnowledgePosition,
} from '../knowledge.enums.js';
import {
  type ActivationEntry,
  type ActivationMessage,
  type EngineInput,
  estimateTokens,
  injectedTokens,
  passesFilter,
  runActivation,
} from './activation-engine.js';
import { seededRandom } from './seeded-random.js';

let seq = 0;
/** An entry with the documented column defaults, except mode keyword (defaults are vector). */
function entry(overrides: Partial<ActivationEntry> = {}): ActivationEntry {
  seq += 1;
  const content = overrides.content ?? `content of entry ${seq}`;
  return {
    id: overrides.id ?? `e${String(seq).padStart(3, '0')}`,
    collectionId: 'c1',
    title: null,
    content,
    tokenCost: estimateTokens(content),
    activationMode: Mode.Keyword,
    primaryKeys: [],
    secondaryKeys: [],
    keywordLogic: KnowledgeKeywordLogic.AndAny,
    caseSensitive: false,
    matchWholeWords: false,
    useRegex: false,
    scanDepth: 2,
    matchUserMessages: true,
    matchBotMessages: true,
    matchSystemPrompt: false,
    matchBotDescription: false,
    matchBotPersonality: false,
    matchPersonaDescription: false,
    vectorThreshold: 0.4,
    maxVectorResults: 5,
    useProbability: false,
    probability: 100,
    position: KnowledgePosition.BeforeCharacter,
    depth: 0,
    depthRole: KnowledgeDepthRole.System,
    insertionOrder: 100,
    sticky: 0,
    cooldown: 0,
    delay: 0,
    filterByBots: false,
    filterByPersonas: false,
    botFilters: [],
    personaFilters: [],
    inclusionGroup: null,
    groupWeight: 100,
    groupPrioritize: false,
    excludeRecursion: false,
    preventRecursion: false,
    delayUntilRecursion: false,
    ignoreBudget: false,
    maxTokens: 1000,
    ...overrides,
  };
}

const user = (text: string): ActivationMessage => ({ role: 'user', text });
const bot = (text: string): ActivationMessage => ({ role: 'bot', text });

function run(entries: ActivationEntry[], overrides: Partial<EngineInput> = {}) {
  return runActivation({
    entries,
    botId: 'bot-x',
    personaId: null,
    messageSeq: 10,
    messages: [user('hello')],
    budgetTokens: 2000,
    random: () => 0,
    maxRecursion: 3,
    ...overrides,
  });
}
const includedIds = (out: ReturnType<typeof run>) => out.included.map((h) => h.entry.id);
const reasonOf = (out: ReturnType<typeof run>, id: string) => out.excluded.find((x) => x.entry.id === id)?.reason;

describe('keyword activation (acceptance 4.4.1–2)', () => {
  it.each([
    [{}, 'tell me about elvara', true],
    [{ caseSensitive: true }, 'tell me about elvara', false],
    [{ caseSensitive: true }, 'tell me about Elvara', true],
    [{ matchWholeWords: true }, 'the Elvaran empire', false],
    [{ matchWholeWords: true }, 'Elvara!', true],
    [{ useRegex: true, primaryKeys: ['elv[ai]ra'] }, 'ELVIRA', true],
  ])('%j on %j → %s', (overrides, text, expected) => {
    const e = entry({ primaryKeys: ['Elvara'], ...overrides });
    const out = run([e], { messages: [user(text)] });
    expect(includedIds(out)).toEqual(expected ? [e.id] : []);
    if (expected) expect(out.included[0]).toMatchObject({ method: M.Keyword, matchedKeywords: expect.any(Array) });
  });

  it.each([
    [KnowledgeKeywordLogic.AndAll, 'a dragon', false],
    [KnowledgeKeywordLogic.AndAll, 'a red dragon', true],
    [KnowledgeKeywordLogic.NotAny, 'a dragon', true],
    [KnowledgeKeywordLogic.NotAny, 'a red dragon', false],
  ])('secondary logic %s on %j → %s', (keywordLogic, text, expected) => {
    const e = entry({ primaryKeys: ['dragon'], secondaryKeys: ['red'], keywordLogic });
    expect(includedIds(run([e], { messages: [user(text)] }))).toEqual(expected ? [e.id] : []);
  });

  it('records the score and matched keywords', () => {
    const e = entry({ primaryKeys: ['dragon', 'wyrm'], secondaryKeys: ['red'] });
    const out = run([e], { messages: [user('the red dragon, a wyrm')] });
    expect(out.included[0]).toMatchObject({ score: 2.5, matchedKeywords: ['dragon', 'wyrm', 'red'] });
  });
});

describe('scan depth and sources', () => {
  const history = [user('old: dragon'), bot('middle'), user('newest')];
  it.each([
    [{ scanDepth: 2 }, history, false],
    [{ scanDepth: 3 }, history, true],
    [{ scanDepth: 20 }, history, true],
    [{ scanDepth: 1 }, [user('x'), bot('the dragon')], true],
    [{ scanDepth: 1, matchBotMessages: false }, [user('x'), bot('the dragon')], false],
    [{ matchUserMessages: false }, [user('the dragon')], false],
    [{ matchUserMessages: false }, [bot('the dragon')], true],
    [{ matchUserMessages: false, matchBotMessages: false }, [{ role: 'system', text: 'dragon' }], true],
  ] as [Partial<ActivationEntry>, ActivationMessage[], boolean][])('%j → %s', (overrides, messages, expected) => {
    const e = entry({ primaryKeys: ['dragon'], ...overrides });
    expect(includedIds(run([e], { messages }))).toEqual(expected ? [e.id] : []);
  });

  it.each([
    ['matchSystemPrompt', 'systemPrompt'],
    ['matchBotDescription', 'botDescription'],
    ['matchBotPersonality', 'botPersonality'],
    ['matchPersonaDescription', 'personaDescription'],
  ] as const)('%s scans %s only when on', (flag, text) => {
    const off = entry({ primaryKeys: ['dragon'] });
    const on = entry({ primaryKeys: ['dragon'], [flag]: true });
    const out = run([off, on], { messages: [user('hi')], extraTexts: { [text]: 'a dragon lives here' } });
    expect(includedIds(out)).toEqual([on.id]);
  });
});

describe('modes', () => {
  it('constant entries activate without keys; disabled never', () => {
    const c = entry({ activationMode: Mode.Constant });
    const d = entry({ activationMode: Mode.Disabled, primaryKeys: ['hello'] });
    const out = run([c, d]);
    expect(includedIds(out)).toEqual([c.id]);
    expect(out.included[0].method).toBe(M.Constant);
    expect(out.excluded).toEqual([]);
  });

  it.each([
    [Mode.Vector, 0.5, 0.4, true, M.Vector],
    [Mode.Vector, 0.39, 0.4, false, null],
    [Mode.Vector, 0.4, 0.4, true, M.Vector],
    [Mode.Hybrid, 0.1, 0.4, true, M.Keyword],
    [Mode.Keyword, 0.9, 0.4, false, null],
  ])('%s similarity %d threshold %d → %s', (mode, similarity, threshold, expected, method) => {
    const e = entry({
      activationMode: mode,
      primaryKeys: mode === Mode.Hybrid ? ['hello'] : ['zzz'],
      vectorThreshold: threshold,
    });
    const out = run([e], { vectorSimilarities: new Map([[e.id, similarity]]) });
    expect(includedIds(out)).toEqual(expected ? [e.id] : []);
    if (method) expect(out.included[0].method).toBe(method);
    if (method === M.Vector) expect(out.included[0].similarity).toBe(similarity);
  });

  it('hybrid activates on the vector hit alone', () => {
    const e = entry({ activationMode: Mode.Hybrid, primaryKeys: ['zzz'] });
    expect(run([e], { vectorSimilarities: new Map([[e.id, 0.8]]) }).included[0].method).toBe(M.Vector);
  });
});

describe('filters and delay (acceptance 4.4.4, 4.4.6)', () => {
  const { Allow, Exclude } = KnowledgeFilterMode;
  it.each([
    [false, [{ id: 'x', mode: Exclude }], 'x', true],
    [true, [], 'x', true],
    [true, [{ id: 'x', mode: Exclude }], 'x', false],
    [true, [{ id: 'x', mode: Exclude }], 'y', true],
    [true, [{ id: 'x', mode: Allow }], 'x', true],
    [true, [{ id: 'x', mode: Allow }], 'y', false],
    [true, [{ id: 'x', mode: Allow }], null, false],
    [true, [{ id: 'x', mode: Exclude }], null, true],
    [
      true,
      [
        { id: 'x', mode: Allow },
        { id: 'y', mode: Exclude },
      ],
      'y',
      false,
    ],
  ] as const)('enabled=%s %j current=%s → %s', (enabled, filters, current, expected) => {
    expect(passesFilter(enabled, [...filters], current)).toBe(expected);
  });

  it('a bot exclude filter blocks only that bot', () => {
    const e = entry({
      activationMode: Mode.Constant,
      filterByBots: true,
      botFilters: [{ id: 'bot-x', mode: Exclude }],
    });
    expect(reasonOf(run([e], { botId: 'bot-x' }), e.id)).toBe('filter_excluded');
    expect(includedIds(run([e], { botId: 'bot-y' }))).toEqual([e.id]);
  });

  it('a persona allow filter needs that persona', () => {
    const e = entry({
      activationMode: Mode.Constant,
      filterByPersonas: true,
      personaFilters: [{ id: 'p1', mode: Allow }],
    });
    expect(includedIds(run([e], { personaId: 'p1' }))).toEqual([e.id]);
    expect(reasonOf(run([e], { personaId: 'p2' }), e.id)).toBe('filter_excluded');
    expect(reasonOf(run([e], { personaId: null }), e.id)).toBe('filter_excluded');
  });

  it.each([
    [3, 2, false],
    [3, 3, true],
    [3, 4, true],
    [0, 1, true],
  ])('delay %d at seq %d → included %s', (delay, messageSeq, expected) => {
    const e = entry({ activationMode: Mode.Constant, delay });
    const out = run([e], { messageSeq });
    expect(includedIds(out)).toEqual(expected ? [e.id] : []);
    if (!expected) expect(reasonOf(out, e.id)).toBe('delay_not_met');
  });
});

describe('timed effects: sticky and cooldown (acceptance 4.4.5)', () => {
  // triggered (included by keyword) at seq 5
  it.each([
    // sticky, cooldown, seq, keyword present, expected outcome
    [2, 0, 6, false, 'sticky'],
    [2, 0, 7, false, 'sticky'],
    [2, 0, 8, false, 'none'],
    [2, 0, 8, true, 'keyword'],
    [2, 0, 6, true, 'sticky'],
    [0, 2, 6, true, 'cooldown_active'],
    [0, 2, 7, true, 'cooldown_active'],
    [0, 2, 8, true, 'keyword'],
    [0, 2, 6, false, 'none'],
    [2, 2, 7, false, 'sticky'],
    [2, 2, 8, true, 'cooldown_active'],
    [2, 2, 9, true, 'cooldown_active'],
    [2, 2, 10, true, 'keyword'],
    [2, 0, 5, false, 'none'], // regenerating the trigger message itself: the trigger row is not "before"
  ])('sticky %d cooldown %d at seq %d (keyword %s) → %s', (sticky, cooldown, messageSeq, keyword, expected) => {
    const e = entry({ primaryKeys: ['elvara'], sticky, cooldown });
    const out = run([e], {
      messageSeq,
      messages: [user(keyword ? 'elvara again' : 'something else')],
      lastTriggers: new Map([[e.id, 5]]),
    });
    if (expected === 'none') {
      expect(out.included).toEqual([]);
      expect(out.excluded).toEqual([]);
    } else if (expected === 'cooldown_active') {
      expect(includedIds(out)).toEqual([]);
      expect(out.excluded[0]).toMatchObject({ reason: 'cooldown_active', method: M.Keyword });
    } else {
      expect(out.included.map((h) => [h.entry.id, h.method])).toEqual([[e.id, expected]]);
    }
  });
});

describe('probability (injectable random source)', () => {
  it.each([
    [50, 0.49, true],
    [50, 0.5, false],
    [0, 0, false],
    [100, 0.999, true],
    [1, 0.0, true],
  ])('probability %d with roll %d → %s', (probability, roll, expected) => {
    const e = entry({ activationMode: Mode.Constant, useProbability: true, probability });
    const out = run([e], { random: () => roll });
    expect(includedIds(out)).toEqual(expected ? [e.id] : []);
    if (!expected) expect(reasonOf(out, e.id)).toBe('probability_failed');
  });

  it('ignores probability when use_probability is off', () => {
    const e = entry({ activationMode: Mode.Constant, useProbability: false, probability: 0 });
    expect(includedIds(run([e], { random: () => 0.99 }))).toEqual([e.id]);
  });

  it('sticky entries are not rolled again', () => {
    const e = entry({ primaryKeys: ['zzz'], sticky: 3, useProbability: true, probability: 10 });
    const out = run([e], { random: () => 0.99, lastTriggers: new Map([[e.id, 9]]) });
    expect(out.included[0].method).toBe(M.Sticky);
  });

  it('the seeded source is deterministic per (conversation, seq, key) and spreads', () => {
    const a = seededRandom('conv-1', 7);
    const b = seededRandom('conv-1', 7);
    expect(a('prob-e1')).toBe(b('prob-e1'));
    expect(a('prob-e1')).not.toBe(seededRandom('conv-1', 8)('prob-e1'));
    const draws = Array.from({ length: 2000 }, (_, i) => a(`k${i}`));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('inclusion groups (acceptance 4.4.8)', () => {
  it('group_prioritize: the higher insertion_order wins, the other is group_lost', () => {
    const low = entry({
      activationMode: Mode.Constant,
      inclusionGroup: 'g',
      insertionOrder: 10,
      groupPrioritize: true,
    });
    const high = entry({ activationMode: Mode.Constant, inclusionGroup: 'g', insertionOrder: 50 });
    const out = run([low, high]);
    expect(includedIds(out)).toEqual([high.id]);
    expect(reasonOf(out, low.id)).toBe('group_lost');
  });

  it.each([
    [0.0, 'a'],
    [0.24, 'a'],
    [0.26, 'b'],
    [0.99, 'b'],
  ])('weighted draw %d → %s (weights a=100, b=300)', (roll, winner) => {
    const a = entry({ id: 'a', activationMode: Mode.Constant, inclusionGroup: 'g', groupWeight: 100 });
    const b = entry({ id: 'b', activationMode: Mode.Constant, inclusionGroup: 'g', groupWeight: 300 });
    const out = run([a, b], { random: (key) => (key === 'group-g' ? roll : 0) });
    expect(includedIds(out)).toEqual([winner]);
    expect(out.excluded.map((x) => x.reason)).toEqual(['group_lost']);
  });

  it('a sticky member keeps the group', () => {
    const stuck = entry({ primaryKeys: ['zzz'], inclusionGroup: 'g', sticky: 2, insertionOrder: 1 });
    const other = entry({
      activationMode: Mode.Constant,
      inclusionGroup: 'g',
      insertionOrder: 999,
      groupPrioritize: true,
    });
    const out = run([stuck, other], { lastTriggers: new Map([[stuck.id, 9]]) });
    expect(includedIds(out)).toEqual([stuck.id]);
    expect(reasonOf(out, other.id)).toBe('group_lost');
  });

  it('entries of different groups and ungrouped entries do not compete', () => {
    const a = entry({ activationMode: Mode.Constant, inclusionGroup: 'g1' });
    const b = entry({ activationMode: Mode.Constant, inclusionGroup: 'g2' });
    const c = entry({ activationMode: Mode.Constant });
    expect(run([a, b, c]).included).toHaveLength(3);
  });
});

describe('recursion', () => {
  const chain = () => {
    const a = entry({ id: 'a', primaryKeys: ['alpha'], content: 'alpha mentions beta' });
    const b = entry({ id: 'b', primaryKeys: ['beta'], content: 'beta mentions gamma' });
    const c = entry({ id: 'c', primaryKeys: ['gamma'], content: 'gamma mentions delta' });
    const d = entry({ id: 'd', primaryKeys: ['delta'], content: 'delta is the end' });
    return { a, b, c, d };
  };
  const msgs = [user('tell me about alpha')];

  it('activates entries named by activated entries, method recursion', () => {
    const { a, b, c, d } = chain();
    const out = run([a, b, c, d], { messages: msgs });
    expect(out.included.map((h) => [h.entry.id, h.method]).sort()).toEqual([
      ['a', M.Keyword],
      ['b', M.Recursion],
      ['c', M.Recursion],
      ['d', M.Recursion],
    ]);
    expect(out.recursionPasses).toBe(3);
  });

  it.each([
    [0, ['a']],
    [1, ['a', 'b']],
    [2, ['a', 'b', 'c']],
    [10, ['a', 'b', 'c', 'd']],
    [99, ['a', 'b', 'c', 'd']],
  ])('depth limit %d → %j', (maxRecursion, expected) => {
    const { a, b, c, d } = chain();
    expect(includedIds(run([a, b, c, d], { messages: msgs, maxRecursion })).sort()).toEqual(expected);
  });

  it('prevent_recursion: its text triggers nothing', () => {
    const { a, b } = chain();
    a.preventRecursion = true;
    expect(includedIds(run([a, b], { messages: msgs }))).toEqual(['a']);
  });

  it('exclude_recursion: cannot be triggered by other entries', () => {
    const { a, b } = chain();
    b.excludeRecursion = true;
    expect(includedIds(run([a, b], { messages: msgs }))).toEqual(['a']);
    // but still activates from the messages
    expect(includedIds(run([a, b], { messages: [user('alpha and beta')] })).sort()).toEqual(['a', 'b']);
  });

  it('delay_until_recursion: only in a recursion pass', () => {
    const { a, b } = chain();
    b.delayUntilRecursion = true;
    expect(includedIds(run([b], { messages: [user('beta')] }))).toEqual([]);
    const out = run([a, b], { messages: msgs });
    expect(out.included.find((h) => h.entry.id === 'b')?.method).toBe(M.Recursion);
  });

  it('recursion-activated entries still honour probability and groups', () => {
    const { a, b } = chain();
    b.useProbability = true;
    b.probability = 10;
    const out = run([a, b], { messages: msgs, random: () => 0.5 });
    expect(reasonOf(out, 'b')).toBe('probability_failed');

    const x = chain();
    x.a.inclusionGroup = 'g';
    x.b.inclusionGroup = 'g';
    const grouped = run([x.a, x.b], { messages: msgs });
    expect(includedIds(grouped)).toEqual(['a']);
    expect(reasonOf(grouped, 'b')).toBe('group_lost');
  });
});

describe('budget (acceptance 4.4.3)', () => {
  const big = (order: number, extra: Partial<ActivationEntry> = {}) =>
    entry({ primaryKeys: ['lore'], content: 'x'.repeat(2400), insertionOrder: order, ...extra });

  it('a constant ignore_budget entry is included with budget 1', () => {
    const c = entry({ activationMode: Mode.Constant, ignoreBudget: true, content: 'x'.repeat(400) });
    const out = run([c], { budgetTokens: 1 });
    expect(includedIds(out)).toEqual([c.id]);
    expect(out.tokensUsed).toBe(100);
  });

  it('two 600-token entries with budget 1000: the higher insertion_order wins', () => {
    const low = big(10);
    const high = big(20);
    const out = run([low, high], { messages: [user('lore')], budgetTokens: 1000 });
    expect(includedIds(out)).toEqual([high.id]);
    expect(out.excluded).toEqual([
      expect.objectContaining({ reason: 'budget_exceeded', tokens: 600, method: M.Keyword }),
    ]);
    expect(out.excluded[0].entry.id).toBe(low.id);
    expect(out.tokensUsed).toBe(600);
  });

  it('equal insertion_order: the higher score goes first', () => {
    const one = big(10, { primaryKeys: ['lore'] });
    const two = big(10, { primaryKeys: ['lore', 'myth'] });
    const out = run([one, two], { messages: [user('lore and myth')], budgetTokens: 1000 });
    expect(includedIds(out)).toEqual([two.id]);
  });

  it('stops at the first entry that does not fit (priority is kept)', () => {
    const a = big(30);
    const b = big(20);
    const small = entry({ primaryKeys: ['lore'], content: 'tiny', insertionOrder: 10 });
    const out = run([a, b, small], { messages: [user('lore')], budgetTokens: 1000 });
    expect(includedIds(out)).toEqual([a.id]);
    expect(out.excluded.map((x) => [x.entry.id, x.reason])).toEqual([
      [b.id, 'budget_exceeded'],
      [small.id, 'budget_exceeded'],
    ]);
  });

  it('ignore_budget entries do not consume the budget of the others', () => {
    const free = big(50, { ignoreBudget: true });
    const paid = big(10);
    const out = run([free, paid], { messages: [user('lore')], budgetTokens: 600 });
    expect(includedIds(out)).toEqual([free.id, paid.id]);
    expect(out.tokensUsed).toBe(1200);
  });

  it('max_tokens caps the cost and cuts the content', () => {
    const e = entry({ activationMode: Mode.Constant, content: 'abcd'.repeat(100), maxTokens: 10 });
    expect(injectedTokens(e)).toBe(10);
    const out = run([e], { budgetTokens: 10 });
    expect(out.included[0].content).toBe('abcd'.repeat(10));
    expect(out.included[0].tokens).toBe(10);
    expect(injectedTokens({ tokenCost: 50, maxTokens: 0 })).toBe(50);
  });

  it('estimates tokens as ceil(code points / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('😀😀😀😀')).toBe(1);
  });
});

describe('placement', () => {
  it('groups included entries by position, each in insertion_order desc', () => {
    const a = entry({ activationMode: Mode.Constant, position: KnowledgePosition.SystemTop, insertionOrder: 1 });
    const b = entry({ activationMode: Mode.Constant, position: KnowledgePosition.SystemTop, insertionOrder: 9 });
    const c = entry({
      activationMode: Mode.Constant,
      position: KnowledgePosition.AtDepth,
      depth: 3,
      depthRole: KnowledgeDepthRole.User,
    });
    const out = run([a, b, c]);
    expect(out.byPosition.system_top.map((h) => h.entry.id)).toEqual([b.id, a.id]);
    expect(out.byPosition.at_depth[0].entry).toMatchObject({ depth: 3, depthRole: 'user' });
    expect(out.byPosition.before_character).toEqual([]);
    expect(Object.keys(out.byPosition).sort()).toEqual(Object.values(KnowledgePosition).sort());
  });
});
