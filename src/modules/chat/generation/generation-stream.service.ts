import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../../common/auth/actor.js';
import {
  AppError,
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
} from '../../../common/errors/app-error.js';
import { ApiKeySecretService } from '../../api-keys/api-key-secret.service.js';
import { ApiKeyUsageService, type UsageReservation } from '../../api-keys/api-key-usage.service.js';
import { ApiKeyUsePurpose, type ApiKeyLimitName } from '../../api-keys/api-keys.enums.js';
import { ApiKeysService } from '../../api-keys/api-keys.service.js';
import { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import { LlmClient, LlmUpstreamError } from '../../api-keys/llm/llm-client.service.js';
import { AuthorKind, ConversationStatus, GenerationStatus } from '../chat.enums.js';
import type { Conversation } from '../entities/conversation.entity.js';
import { MessageAlternative } from '../entities/message-alternative.entity.js';
import { Message } from '../entities/message.entity.js';
import {
  type GenerationOutcome,
  GenerationPersistence,
  normalizeFinishReason,
  type GenerationTarget,
  outcomeFigures,
  type UsedKey,
} from './generation-persistence.service.js';
import { GenerationRegistry, type RunningGeneration } from './generation.registry.js';
import { GenerationService } from './generation.service.js';
import { defaultModelOf, isKeyUsable, KeyResolver } from './key-resolver.service.js';
import { PROVIDERS } from '../../api-keys/providers.js';
import { type AssembledPrompt, PromptAssembler } from './prompt-assembler.service.js';
import type { SseWriter } from './sse-writer.js';

/** Content is written to the alternative at least this often while streaming (api-keys.md §6.6). */
export const FLUSH_INTERVAL_MS = 2_000;

/** Upstream errors that move on to the next fallback key before the first delta (api-keys.md §3). */
const FALLBACK_CODES = new Set([
  'INVALID_KEY',
  'INSUFFICIENT_QUOTA',
  'RATE_LIMITED',
  'TIMEOUT',
  'UPSTREAM_ERROR',
  'NETWORK_ERROR',
]);

const ERROR_TEXT: Record<string, string> = {
  CANCELLED: 'The generation was cancelled.',
  ABANDONED: 'The generation was abandoned.',
  KEY_DECRYPT_FAILED: 'The key could not be decrypted; replace its secret.',
  INTERNAL_ERROR: 'The generation failed.',
};

/** A generation that passed the pre-stream checks: replayed, or run and streamed. */
export interface StreamSession {
  run(writer: SseWriter): Promise<void>;
}

interface KeyAttempt {
  key: ApiKey;
  model: string;
  reservation: UsageReservation;
}

/**
 * GET /messages/:id/stream (api-keys.md §6.2, §6.5): the pre-stream checks answer as ordinary problem+json; then
 * the generation is claimed, run against the provider with fallbacks, streamed as SSE and persisted. The run is
 * detached from the HTTP response: a client that goes away does not stop it.
 */
@Injectable()
export class GenerationStreamService implements OnApplicationShutdown {
  private readonly logger = new Logger(GenerationStreamService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly generation: GenerationService,
    private readonly prompts: PromptAssembler,
    private readonly keys: KeyResolver,
    private readonly secrets: ApiKeySecretService,
    private readonly usage: ApiKeyUsageService,
    private readonly apiKeys: ApiKeysService,
    private readonly llm: LlmClient,
    private readonly persistence: GenerationPersistence,
    private readonly registry: GenerationRegistry,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.registry.abortAll();
  }

  async open(actor: Actor, id: string): Promise<StreamSession> {
    const em = this.ds.manager;
    const { msg, access } = await this.generation.loadForGeneration(em, actor, id);
    const conv = access.conv;
    if (msg.authorKind !== AuthorKind.Bot || msg.generationStatus === null || !msg.activeAlternativeId) {
      throw new UnprocessableError('NOT_STREAMABLE', 'Only bot replies have a generation stream.');
    }
    if (conv.status === ConversationStatus.Archived) {
      throw new ConflictError('CONVERSATION_ARCHIVED', 'Unarchive the conversation to continue.');
    }
    await this.generation.assertBotAvailable(em, actor, conv.id, msg.botId);
    const alt = await em.findOneBy(MessageAlternative, { id: msg.activeAlternativeId });
    if (!alt) throw new NotFoundError('MESSAGE_NOT_FOUND');
    if (alt.generationStatus === GenerationStatus.Streaming || msg.generationStatus === GenerationStatus.Streaming) {
      throw new ConflictError('GENERATION_IN_PROGRESS', 'This reply is already being generated.');
    }
    if (alt.generationStatus !== GenerationStatus.Queued) return this.replay(actor, msg, alt);
    const earlier = await em
      .createQueryBuilder(Message, 'm')
      .where('m.conversation_id = :c AND m.seq < :s', { c: conv.id, s: msg.seq })
      .andWhere(`m.generation_status IN ('queued', 'streaming')`)
      .getExists();
    if (earlier) throw new ConflictError('PREVIOUS_REPLY_PENDING', 'An earlier reply has not finished yet.');

    // stored key usable (else the next fallback) → prompt fits → within limits (else the next fallback)
    const stored = alt.apiKeyId ? await em.findOneBy(ApiKey, { id: alt.apiKeyId, userId: actor.id }) : null;
    const chain = await this.keyChain(stored);
    if (!chain.length) {
      throw new ConflictError('API_KEY_NOT_USABLE', 'The API key of this reply can no longer be used.', {
        api_key_id: alt.apiKeyId,
      });
    }
    const params = this.keys.params(conv);
    const first = chain[0];
    const firstModel = first === stored ? (alt.model ?? defaultModelOf(first)) : defaultModelOf(first);
    const prompt = await this.prompts.assemble(
      em,
      {
        conversationId: conv.id,
        targetSeq: msg.seq,
        botId: msg.botId!,
        requesterUserId: actor.id,
        contextWindowTokens: first.contextWindowTokens,
        model: firstModel ?? '',
        maxTokens: params.maxTokens,
      },
      { supportsNameField: PROVIDERS[first.provider].supportsNameField },
    );
    const attempt = await this.reserveFirst(chain, stored, alt.model, prompt.estimatedTokens, msg.alternativeCount > 1);
    const target: GenerationTarget = {
      messageId: msg.id,
      alternativeId: alt.id,
      conversationId: conv.id,
      seq: msg.seq,
      botId: msg.botId,
      requesterUserId: actor.id,
    };
    const claimed = await this.claim(target);
    if (!claimed) {
      await this.usage.release(attempt.reservation);
      throw new ConflictError('GENERATION_IN_PROGRESS', 'This reply is already being generated.');
    }
    const purpose = msg.alternativeCount > 1 ? ApiKeyUsePurpose.Regenerate : ApiKeyUsePurpose.Chat;
    return {
      run: (writer) =>
        this.execute(writer, {
          target,
          conv,
          prompt,
          temperature: params.temperature,
          maxTokens: params.maxTokens,
          purpose,
          storedKeyId: alt.apiKeyId,
          storedProvider: alt.provider,
          storedModel: alt.model,
          attempt,
          remaining: chain.slice(chain.indexOf(attempt.key) + 1),
          // why the stream does not start on the stored key
          fallbackReason: chain[0] === stored ? 'KEY_LIMIT_REACHED' : 'API_KEY_NOT_USABLE',
          showKey: msg.requestedByUserId === actor.id || alt.requestedByUserId === actor.id,
        }),
    };
  }

  /** The stored key (if usable) followed by its usable fallbacks, one level (api-keys.md §3). */
  private async keyChain(stored: ApiKey | null): Promise<ApiKey[]> {
    if (!stored) return [];
    const fallbacks = (await this.apiKeys.usableFallbacks(stored.id)).filter(
      (k) => k.userId === stored.userId && isKeyUsable(k),
    );
    return [...(isKeyUsable(stored) ? [stored] : []), ...fallbacks];
  }

  /** Reserves the limits of the first key in the chain that is within them; none → 429 KEY_LIMIT_REACHED. */
  private async reserveFirst(
    chain: ApiKey[],
    stored: ApiKey | null,
    storedModel: string | null,
    estimatedTokens: number,
    regenerate: boolean,
  ): Promise<KeyAttempt> {
    let blocked: { limit: ApiKeyLimitName; retryAfterSeconds: number } | null = null;
    for (const key of chain) {
      const model = this.modelFor(key, stored, storedModel);
      if (!model) continue;
      const purpose = regenerate ? ApiKeyUsePurpose.Regenerate : ApiKeyUsePurpose.Chat;
      const r = await this.usage.reserve(key.id, { estimatedTokens, purpose, model });
      if (r.ok) return { key, model, reservation: r.reservation };
      blocked ??= r;
    }
    if (blocked) {
      throw new TooManyRequestsError(
        'KEY_LIMIT_REACHED',
        blocked.retryAfterSeconds,
        `The API key reached its ${blocked.limit} limit.`,
        {
          limit: blocked.limit,
          retry_after_s: blocked.retryAfterSeconds,
        },
      );
    }
    throw new UnprocessableError('MODEL_REQUIRED', 'No model is configured for the fallback key.');
  }

  /** Same model on a key of the same provider, else the key's first preference / provider default (api-keys.md §3). */
  private modelFor(key: ApiKey, stored: ApiKey | null, storedModel: string | null): string | null {
    if (storedModel && (key.id === stored?.id || key.provider === stored?.provider)) return storedModel;
    return defaultModelOf(key);
  }

  /** `UPDATE … SET generation_status='streaming' WHERE … = 'queued'`: exactly one stream wins (api-keys.md §6.2). */
  private async claim(t: GenerationTarget): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(MessageAlternative)
        .set({ generationStatus: GenerationStatus.Streaming })
        .where('id = :id AND generation_status = :q', { id: t.alternativeId, q: GenerationStatus.Queued })
        .execute();
      if (!res.affected) return false;
      await em
        .createQueryBuilder()
        .update(Message)
        .set({ generationStatus: GenerationStatus.Streaming })
        .where('id = :id AND active_alternative_id = :alt', { id: t.messageId, alt: t.alternativeId })
        .execute();
      return true;
    });
  }

  /** Opening the stream of a finished message: `start`, then one `delta` + `done`, or `error` (api-keys.md §6.5). */
  private replay(actor: Actor, msg: Message, alt: MessageAlternative): StreamSession {
    const showKey = alt.requestedByUserId === actor.id || msg.requestedByUserId === actor.id;
    return {
      run: async (writer) => {
        writer.send('start', {
          message_id: msg.id,
          alternative_id: alt.id,
          bot_id: msg.botId,
          provider: alt.provider,
          model: alt.model,
          api_key_id: showKey ? alt.apiKeyId : null,
        });
        if (alt.generationStatus === GenerationStatus.Completed) {
          writer.send('delta', { content: alt.content });
          writer.send('done', {
            message_id: msg.id,
            alternative_id: alt.id,
            finish_reason: alt.finishReason,
            usage: {
              input_tokens: alt.inputTokens,
              output_tokens: alt.outputTokens,
              total_tokens: alt.totalTokens,
              token_count_source: alt.tokenCountSource,
            },
            cost_estimate: showKey && alt.costEstimate !== null ? Number(alt.costEstimate) : null,
            processing_time_ms: alt.processingTimeMs,
          });
        } else {
          const code =
            alt.errorCode ?? (alt.generationStatus === GenerationStatus.Cancelled ? 'CANCELLED' : 'INTERNAL_ERROR');
          writer.send('error', { code, message: ERROR_TEXT[code] ?? 'The generation failed.', retryable: false });
        }
        writer.end();
      },
    };
  }

  /** Runs one claimed generation to its final state; never throws. */
  private async execute(writer: SseWriter, job: RunJob): Promise<void> {
    let resolveDone!: () => void;
    const run: RunningGeneration = {
      messageId: job.target.messageId,
      alternativeId: job.target.alternativeId,
      controller: new AbortController(),
      cancelRequested: false,
      done: new Promise<void>((r) => (resolveDone = r)),
    };
    this.registry.add(run);
    try {
      await this.generate(writer, job, run);
    } catch (err) {
      this.logger.error({ msg: 'generation crashed', err, messageId: job.target.messageId });
      await this.persistence
        .finish(job.target, this.outcome(job, { status: GenerationStatus.Failed, errorCode: 'INTERNAL_ERROR' }))
        .catch((e: unknown) => this.logger.error({ msg: 'could not store a failed generation', err: e }));
      writer.send('error', { code: 'INTERNAL_ERROR', message: ERROR_TEXT.INTERNAL_ERROR, retryable: false });
    } finally {
      writer.end();
      this.registry.remove(run.messageId);
      resolveDone();
    }
  }

  private async generate(writer: SseWriter, job: RunJob, run: RunningGeneration): Promise<void> {
    const t = job.target;
    writer.send('start', {
      message_id: t.messageId,
      alternative_id: t.alternativeId,
      bot_id: t.botId,
      provider: job.storedProvider,
      model: job.storedModel,
      api_key_id: job.showKey ? job.storedKeyId : null,
    });
    let attempt: KeyAttempt | null = job.attempt;
    if (attempt.key.id !== job.storedKeyId) {
      writer.send('fallback', {
        from_api_key_id: job.showKey ? job.storedKeyId : null,
        to_api_key_id: job.showKey ? attempt.key.id : null,
        reason: job.fallbackReason,
      });
      await this.persistence.switchKey(t, usedKey(attempt.key), attempt.model, {
        reason: job.fallbackReason ?? 'API_KEY_NOT_USABLE',
        purpose: job.purpose,
      });
    }
    const state = {
      content: '',
      reasoning: '',
      finish: null as string | null,
      usage: null as GenerationOutcome['usage'],
      firstTokenMs: null as number | null,
      dirty: false,
    };
    const remaining = [...job.remaining];
    let flushing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      if (!state.dirty) return;
      state.dirty = false;
      flushing = flushing.then(async () => {
        const still = await this.persistence.flush(t, state.content, state.reasoning || null).catch(() => true);
        if (!still) {
          run.cancelRequested = true;
          run.controller.abort();
        }
      });
    }, FLUSH_INTERVAL_MS);
    timer.unref();
    try {
      while (attempt) {
        const started = Date.now();
        const current: KeyAttempt = attempt;
        try {
          await this.secrets.withSecret(current.key.id, t.requesterUserId, job.purpose, async (secret, key) => {
            for await (const ev of this.llm.stream({
              key,
              secret,
              model: current.model,
              messages: job.prompt.messages,
              temperature: job.temperature,
              maxTokens: job.maxTokens,
              userTag: this.llm.userTag(t.requesterUserId),
              signal: run.controller.signal,
            })) {
              if (ev.type === 'content') {
                if (!ev.text) continue;
                state.firstTokenMs ??= Date.now() - started;
                state.content += ev.text;
                state.dirty = true;
                writer.send('delta', { content: ev.text });
              } else if (ev.type === 'reasoning') {
                state.reasoning += ev.text;
                state.dirty = true;
                writer.send('reasoning', { content: ev.text });
              } else if (ev.type === 'finish') {
                state.finish = ev.reason;
              } else {
                state.usage = { inputTokens: ev.inputTokens, outputTokens: ev.outputTokens };
              }
            }
          });
          clearInterval(timer);
          await flushing;
          const elapsed = Date.now() - started;
          const outcome = this.outcome(job, {
            status: GenerationStatus.Completed,
            content: state.content,
            reasoning: state.reasoning,
            finishReason: state.finish ?? 'stop',
            usage: state.usage,
            attempt: current,
            processingTimeMs: elapsed,
            firstTokenMs: state.firstTokenMs,
            httpStatus: 200,
          });
          await this.persistence.finish(t, outcome);
          const f = outcomeFigures(outcome);
          writer.send('done', {
            message_id: t.messageId,
            alternative_id: t.alternativeId,
            finish_reason: normalizeFinishReason(outcome.finishReason) ?? 'stop',
            usage: {
              input_tokens: f.inputTokens,
              output_tokens: f.outputTokens,
              total_tokens: f.totalTokens,
              token_count_source: f.source,
            },
            cost_estimate: job.showKey ? f.cost : null,
            processing_time_ms: elapsed,
          });
          return;
        } catch (err) {
          const elapsed = Date.now() - started;
          const cancelled = run.cancelRequested || (err instanceof LlmUpstreamError && err.code === 'CANCELLED');
          const code = cancelled ? 'CANCELLED' : errorCode(err);
          const status = err instanceof LlmUpstreamError ? (err.status ?? null) : null;
          const upstreamCalled = !(err instanceof AppError); // decrypt failures never reach the provider
          if (!cancelled && state.content === '' && state.reasoning === '' && FALLBACK_CODES.has(code)) {
            const next = await this.nextFallback(remaining, job, current);
            if (next) {
              await this.persistence.recordFailedAttempt(current.key.id, t, {
                purpose: job.purpose,
                reservation: current.reservation,
                model: current.model,
                httpStatus: status,
                latencyMs: elapsed,
                errorCode: code,
                invalidate: code === 'INVALID_KEY',
              });
              writer.send('fallback', {
                from_api_key_id: job.showKey ? current.key.id : null,
                to_api_key_id: job.showKey ? next.key.id : null,
                reason: code,
              });
              await this.persistence.switchKey(t, usedKey(next.key), next.model, {
                reason: code,
                purpose: job.purpose,
              });
              attempt = next;
              continue;
            }
          }
          clearInterval(timer);
          await flushing;
          if (code === 'INVALID_KEY') {
            await this.ds.query(`UPDATE api_keys SET status = 'invalid' WHERE id = $1 AND status = 'active'`, [
              current.key.id,
            ]);
          }
          const outcome = this.outcome(job, {
            status: cancelled ? GenerationStatus.Cancelled : GenerationStatus.Failed,
            content: state.content,
            reasoning: state.reasoning,
            finishReason: cancelled ? 'cancelled' : 'error',
            errorCode: cancelled ? null : code,
            usage: state.usage,
            attempt: upstreamCalled ? current : { ...current, reservationOnly: true },
            processingTimeMs: elapsed,
            firstTokenMs: state.firstTokenMs,
            httpStatus: status,
          });
          await this.persistence.finish(t, outcome);
          writer.send('error', {
            code,
            message: cancelled ? ERROR_TEXT.CANCELLED : errorMessage(err, code),
            retryable: !cancelled && err instanceof LlmUpstreamError ? err.retryable : false,
          });
          return;
        }
      }
    } finally {
      clearInterval(timer);
    }
  }

  /** The next fallback key that is usable and within its limits (each block writes `limit_blocked`). */
  private async nextFallback(remaining: ApiKey[], job: RunJob, current: KeyAttempt): Promise<KeyAttempt | null> {
    while (remaining.length) {
      const candidate = remaining.shift()!;
      const fresh = await this.ds.manager.findOneBy(ApiKey, { id: candidate.id });
      if (!fresh || !isKeyUsable(fresh)) continue;
      const model = fresh.provider === current.key.provider ? current.model : defaultModelOf(fresh);
      if (!model) continue;
      const r = await this.usage.reserve(fresh.id, {
        estimatedTokens: job.prompt.estimatedTokens,
        purpose: job.purpose,
        model,
      });
      if (r.ok) return { key: fresh, model, reservation: r.reservation };
    }
    return null;
  }

  private outcome(
    job: RunJob,
    o: {
      status: GenerationOutcome['status'];
      content?: string;
      reasoning?: string;
      finishReason?: string | null;
      errorCode?: string | null;
      usage?: GenerationOutcome['usage'];
      attempt?: (KeyAttempt & { reservationOnly?: boolean }) | null;
      processingTimeMs?: number | null;
      firstTokenMs?: number | null;
      httpStatus?: number | null;
    },
  ): GenerationOutcome {
    const a = o.attempt ?? null;
    return {
      status: o.status,
      content: o.content ?? '',
      reasoning: o.reasoning || null,
      finishReason: o.finishReason ?? null,
      errorCode: o.errorCode ?? null,
      key: a ? usedKey(a.key) : null,
      model: a?.model ?? null,
      usage: o.usage ?? null,
      promptEstimate: job.prompt.estimatedTokens,
      processingTimeMs: o.processingTimeMs ?? null,
      firstTokenMs: o.firstTokenMs ?? null,
      upstream: a
        ? {
            purpose: job.purpose,
            reservation: a.reservation,
            called: !a.reservationOnly,
            httpStatus: o.httpStatus ?? null,
            latencyMs: o.processingTimeMs ?? 0,
          }
        : undefined,
      memoryIds: job.prompt.memoryIds,
      personaId: job.prompt.personaId,
    };
  }
}

interface RunJob {
  target: GenerationTarget;
  conv: Conversation;
  prompt: AssembledPrompt;
  temperature: number;
  maxTokens: number;
  purpose: ApiKeyUsePurpose;
  storedKeyId: string | null;
  storedProvider: string | null;
  storedModel: string | null;
  attempt: KeyAttempt;
  remaining: ApiKey[];
  fallbackReason: string;
  showKey: boolean;
}

function usedKey(k: ApiKey): UsedKey {
  return {
    id: k.id,
    provider: k.provider,
    inputPricePerMtokUsd: k.inputPricePerMtokUsd,
    outputPricePerMtokUsd: k.outputPricePerMtokUsd,
  };
}

function errorCode(err: unknown): string {
  if (err instanceof LlmUpstreamError) return err.code;
  if (err instanceof AppError) return err.code;
  return 'INTERNAL_ERROR';
}

function errorMessage(err: unknown, code: string): string {
  if (err instanceof LlmUpstreamError || err instanceof AppError) return err.message.slice(0, 500);
  return ERROR_TEXT[code] ?? 'The generation failed.';
}
