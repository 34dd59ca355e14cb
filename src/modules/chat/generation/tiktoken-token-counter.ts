import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { type Env, NodeEnv } from '../../../common/config/env.js';
import { estimateTokens } from '../../knowledge/activation/activation-engine.js';
import { TokenCounter } from './token-counter.js';

/** Whitespace-free runs at least this long are counted slice by slice (see count()). */
const RUN_SLICE = 64;
const LONG_RUN = new RegExp(`\\S{${RUN_SLICE},}`, 'g');

type EncodingName = 'o200k_base' | 'cl100k_base';

const RANKS: Record<EncodingName, TiktokenBPE> = { o200k_base: o200kBase, cl100k_base: cl100kBase };

/** Model-name prefixes (after an optional `vendor/` segment) whose tokenizer is known; the first match wins. */
const FAMILIES: [RegExp, EncodingName][] = [
  [/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/, 'o200k_base'],
  [/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/, 'cl100k_base'],
];

export function encodingFor(model: string | undefined): EncodingName | null {
  if (!model) return null;
  const name = model.toLowerCase().replace(/^[a-z0-9_.-]+\//, '');
  return FAMILIES.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}

/**
 * Real token counts for the OpenAI model families js-tiktoken ships encodings for; every other model (Claude,
 * Llama, custom endpoints …) falls back to the spec's ceil(chars / 4) estimate (api-keys.md §6.3).
 */
@Injectable()
export class TiktokenTokenCounter extends TokenCounter implements OnApplicationBootstrap {
  /** Building an encoder from its rank table takes about a second of CPU, so it happens once per process. */
  private readonly encoders = new Map<EncodingName, Tiktoken>();

  constructor(private readonly config?: ConfigService<Env, true>) {
    super();
  }

  /** Outside tests the encoders are built right after boot, so the first generation does not pay for them. */
  onApplicationBootstrap(): void {
    if (this.config?.get('NODE_ENV', { infer: true }) === NodeEnv.Test) return;
    setTimeout(() => {
      for (const name of Object.keys(RANKS) as EncodingName[]) this.encoder(name);
    }, 0).unref();
  }

  count(text: string, model?: string): number {
    const encoding = encodingFor(model);
    if (!encoding || text === '') return encoding ? 0 : estimateTokens(text);
    const encoder = this.encoder(encoding);
    // js-tiktoken's byte-pair merge is quadratic in the length of one pre-token, so a long run without whitespace
    // (30 000 × "y" takes over a minute) is counted in slices; that can only overestimate, which is safe for a budget
    let runs = 0;
    const rest = text.replace(LONG_RUN, (run) => {
      for (let i = 0; i < run.length; i += RUN_SLICE)
        runs += encoder.encode(run.slice(i, i + RUN_SLICE), [], []).length;
      return ' ';
    });
    // special-token text in user content is counted as plain text, never as a control token
    return runs + encoder.encode(rest, [], []).length;
  }

  private encoder(name: EncodingName): Tiktoken {
    let encoder = this.encoders.get(name);
    if (!encoder) {
      encoder = new Tiktoken(RANKS[name]);
      this.encoders.set(name, encoder);
    }
    return encoder;
  }
}
