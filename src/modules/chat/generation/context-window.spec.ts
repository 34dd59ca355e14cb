import {
  DEFAULT_CONTEXT_WINDOW,
  matchContextWindow,
  parseContextWindows,
  promptBudget,
  resolveContextWindow,
  sideBlockCap,
} from './context-window.js';

describe('context window and budget (api-keys.md §1, §6.3)', () => {
  const windows = parseContextWindows(
    JSON.stringify({ 'gpt-4': 8192, 'gpt-4.1': 1047576, 'GPT-4o': 128000, claude: 200000 }),
  );

  it('matches the longest prefix, case-insensitively', () => {
    expect(matchContextWindow('gpt-4.1-mini', windows)).toBe(1047576);
    expect(matchContextWindow('gpt-4o-mini', windows)).toBe(128000);
    expect(matchContextWindow('gpt-4-turbo', windows)).toBe(8192);
    expect(matchContextWindow('CLAUDE-sonnet-4-5', windows)).toBe(200000);
  });

  it('also matches after a vendor segment', () => {
    expect(matchContextWindow('anthropic/claude-sonnet-4.5', windows)).toBe(200000);
    expect(matchContextWindow('meta-llama/Llama-3.3-70B', windows)).toBeNull();
  });

  it('key setting ?? configured match ?? 8192', () => {
    expect(resolveContextWindow(1024, 'gpt-4.1', windows)).toBe(1024);
    expect(resolveContextWindow(null, 'gpt-4.1', windows)).toBe(1047576);
    expect(resolveContextWindow(null, 'fake-model', windows)).toBe(DEFAULT_CONTEXT_WINDOW);
    expect(DEFAULT_CONTEXT_WINDOW).toBe(8192);
  });

  it('ignores a malformed map', () => {
    expect(parseContextWindows('not json').size).toBe(0);
    expect(parseContextWindows('[1,2]').size).toBe(0);
    expect(parseContextWindows(undefined).size).toBe(0);
    expect([...parseContextWindows('{"a": "x", "b": 2048}')]).toEqual([['b', 2048]]);
  });

  it('budget = window − max_tokens − ceil(5 % of the window)', () => {
    expect(promptBudget(8192, 1024)).toBe(8192 - 1024 - 410);
    expect(promptBudget(1024, 128)).toBe(1024 - 128 - 52);
    expect(promptBudget(1024, 1024)).toBeLessThan(0);
  });

  it('memories and summary get at most min(10 % of the budget, 1000)', () => {
    expect(sideBlockCap(844)).toBe(84);
    expect(sideBlockCap(50_000)).toBe(1000);
    expect(sideBlockCap(-5)).toBe(0);
  });
});
