import { LlmProvider } from '../../api-keys/api-keys.enums.js';
import { GenerationStatus, TokenCountSource } from '../chat.enums.js';
import { type GenerationOutcome, normalizeFinishReason, outcomeFigures } from './generation-persistence.service.js';

const outcome = (o: Partial<GenerationOutcome>): GenerationOutcome => ({
  status: GenerationStatus.Completed,
  content: 'Hello',
  reasoning: null,
  finishReason: 'stop',
  errorCode: null,
  key: { id: 'k', provider: LlmProvider.Custom, inputPricePerMtokUsd: 1, outputPricePerMtokUsd: 2 },
  model: 'fake-model',
  usage: null,
  promptEstimate: 100,
  processingTimeMs: 10,
  firstTokenMs: 5,
  memoryIds: [],
  personaId: null,
  ...o,
});

describe('generation figures (api-keys.md §6.6)', () => {
  it('provider usage wins; cost rounds to 6 decimals (42/7 tokens at 1.0/2.0 per Mtok = 0.000056)', () => {
    expect(outcomeFigures(outcome({ usage: { inputTokens: 42, outputTokens: 7 } }))).toEqual({
      inputTokens: 42,
      outputTokens: 7,
      totalTokens: 49,
      source: TokenCountSource.Provider,
      cost: 0.000056,
    });
  });

  it('without usage: the prompt estimate and ceil(chars / 4) of the output', () => {
    expect(outcomeFigures(outcome({ content: 'x'.repeat(9) }))).toMatchObject({
      inputTokens: 100,
      outputTokens: 3,
      totalTokens: 103,
      source: TokenCountSource.Estimated,
    });
  });

  it('no cost without both prices or without a key', () => {
    const noPrice = outcome({
      key: { id: 'k', provider: LlmProvider.Custom, inputPricePerMtokUsd: 1, outputPricePerMtokUsd: null },
    });
    expect(outcomeFigures(noPrice).cost).toBeNull();
    expect(outcomeFigures(outcome({ key: null })).cost).toBeNull();
  });

  it('finish reasons are fitted into the stored set', () => {
    expect(normalizeFinishReason(null)).toBeNull();
    expect(normalizeFinishReason('length')).toBe('length');
    expect(normalizeFinishReason('content_filter')).toBe('content_filter');
    expect(normalizeFinishReason('max_tokens')).toBe('length');
    expect(normalizeFinishReason('tool_calls')).toBe('stop');
  });
});
