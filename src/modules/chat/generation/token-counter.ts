import { Injectable } from '@nestjs/common';
import type { LlmChatMessage } from '../../api-keys/llm/llm.types.js';
import { estimateTokens } from '../../knowledge/activation/activation-engine.js';

/** Overheads of the chat-completions format (api-keys.md §6.3): per message and per request. */
export const PER_MESSAGE_TOKENS = 4;
export const PER_REQUEST_TOKENS = 3;

/**
 * Counts the tokens of a text. The default estimates ceil(chars / 4) for every model; a tokenizer for known model
 * families can replace it behind this class (it is the provider token).
 */
export abstract class TokenCounter {
  abstract count(text: string, model?: string): number;
}

/** The spec's estimate: ceil(characters / 4). */
@Injectable()
export class EstimateTokenCounter extends TokenCounter {
  count(text: string): number {
    return estimateTokens(text);
  }
}

/** Tokens of one message: its texts plus the per-message overhead. */
export function messageTokens(counter: TokenCounter, message: LlmChatMessage, model?: string): number {
  const name = message.name ? counter.count(message.name, model) : 0;
  return counter.count(message.content, model) + name + PER_MESSAGE_TOKENS;
}

/** Tokens of a whole request: every message plus the per-request overhead. */
export function requestTokens(counter: TokenCounter, messages: LlmChatMessage[], model?: string): number {
  return messages.reduce((sum, m) => sum + messageTokens(counter, m, model), PER_REQUEST_TOKENS);
}
