/**
 * Routes a `<think>…</think>` block at the very start of a streamed answer to reasoning (api-keys.md §6.4). Some
 * models (DeepSeek R1 distills, QwQ …) put their reasoning inline in `content` instead of `reasoning_content`.
 *
 * Only a block at the start counts (leading whitespace allowed); a `<think>` later in the answer is content. Tags
 * may arrive split across any number of chunks: text that could still be the start of a tag is held back until
 * the next chunk decides. Whitespace right after `</think>` is dropped (models put a blank line there). An
 * unclosed block at the end of the stream is reasoning; held-back text that never became a tag is released by
 * `flush()` with its original type.
 */
export interface SplitPart {
  type: 'content' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

type State = 'start' | 'thinking' | 'after' | 'content';

export class ThinkSplitter {
  private state: State = 'start';
  private held = '';

  push(text: string): SplitPart[] {
    const out: SplitPart[] = [];
    this.held += text;
    for (;;) {
      if (this.state === 'start') {
        const trimmed = this.held.trimStart();
        if (trimmed.startsWith(OPEN)) {
          this.held = trimmed.slice(OPEN.length);
          this.state = 'thinking';
          continue;
        }
        if (trimmed === '' || OPEN.startsWith(trimmed)) break; // could still become <think>
        this.state = 'content';
        continue;
      }
      if (this.state === 'thinking') {
        const close = this.held.indexOf(CLOSE);
        if (close !== -1) {
          emit(out, 'reasoning', this.held.slice(0, close));
          this.held = this.held.slice(close + CLOSE.length);
          this.state = 'after';
          continue;
        }
        const keep = partialSuffix(this.held, CLOSE);
        emit(out, 'reasoning', this.held.slice(0, this.held.length - keep));
        this.held = this.held.slice(this.held.length - keep);
        break;
      }
      if (this.state === 'after') {
        this.held = this.held.trimStart();
        if (this.held === '') break;
        this.state = 'content';
        continue;
      }
      emit(out, 'content', this.held);
      this.held = '';
      break;
    }
    return out;
  }

  /** End of stream: releases what was held back. */
  flush(): SplitPart[] {
    const out: SplitPart[] = [];
    if (this.state === 'thinking') emit(out, 'reasoning', this.held);
    else if (this.state !== 'after') emit(out, 'content', this.held);
    this.held = '';
    return out;
  }
}

function emit(out: SplitPart[], type: SplitPart['type'], text: string): void {
  if (text) out.push({ type, text });
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
