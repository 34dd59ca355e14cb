import { type SplitPart, ThinkSplitter } from './think-splitter.js';

/** Feeds the pieces and merges adjacent parts of the same type. */
function split(pieces: string[]): SplitPart[] {
  const splitter = new ThinkSplitter();
  const parts = [...pieces.flatMap((p) => splitter.push(p)), ...splitter.flush()];
  const merged: SplitPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last && last.type === part.type) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}

/** Every way to cut `text` into three pieces. */
function cuts(text: string): string[][] {
  const ways: string[][] = [];
  for (let i = 0; i <= text.length; i++)
    for (let j = i; j <= text.length; j++) ways.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  return ways;
}

describe('ThinkSplitter', () => {
  it('routes a leading think block to reasoning and drops the whitespace after it', () => {
    expect(split(['<think>plan it</think>\n\nHello'])).toEqual([
      { type: 'reasoning', text: 'plan it' },
      { type: 'content', text: 'Hello' },
    ]);
  });

  it('handles the tags split at every position (one, two or three pieces)', () => {
    const text = '  <think>a < b </th x</think>\nHi <think>not reasoning</think>';
    const expected = [
      { type: 'reasoning', text: 'a < b </th x' },
      { type: 'content', text: 'Hi <think>not reasoning</think>' },
    ];
    for (const pieces of cuts(text)) expect(split(pieces)).toEqual(expected);
    expect(split([...text])).toEqual(expected);
  });

  it('leaves content without a leading block alone', () => {
    expect(split(['Hel', 'lo <think>x</think>'])).toEqual([{ type: 'content', text: 'Hello <think>x</think>' }]);
    expect(split(['<th', 'is is content'])).toEqual([{ type: 'content', text: '<this is content' }]);
    expect(split(['<thi'])).toEqual([{ type: 'content', text: '<thi' }]);
    expect(split(['  ', '\n'])).toEqual([{ type: 'content', text: '  \n' }]);
  });

  it('emits reasoning incrementally and keeps only a possible closing-tag prefix back', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('<think>step one</')).toEqual([{ type: 'reasoning', text: 'step one' }]);
    expect(splitter.push('b> two')).toEqual([{ type: 'reasoning', text: '</b> two' }]);
    expect(splitter.push('</think>')).toEqual([]);
    expect(splitter.push('Answer')).toEqual([{ type: 'content', text: 'Answer' }]);
  });

  it('treats an unclosed block as reasoning and an empty answer after it as nothing', () => {
    expect(split(['<think>never closed</thi'])).toEqual([{ type: 'reasoning', text: 'never closed</thi' }]);
    expect(split(['<think>x</think>', '\n\n'])).toEqual([{ type: 'reasoning', text: 'x' }]);
  });
});
