import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error.js';
import { ApiKeyStatus, ApiKeyUsePurpose } from '../api-keys/api-keys.enums.js';
import { ApiKeySecretService } from '../api-keys/api-key-secret.service.js';
import { ApiKeyUsageService, type UsageReservation } from '../api-keys/api-key-usage.service.js';
import { ApiKey } from '../api-keys/entities/api-key.entity.js';
import { LlmClient, LlmUpstreamError } from '../api-keys/llm/llm-client.service.js';
import type { LlmChatMessage, LlmCompletion } from '../api-keys/llm/llm.types.js';
import { PROVIDERS } from '../api-keys/providers.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { Conversation } from '../chat/entities/conversation.entity.js';
import { Memory } from './entities/memory.entity.js';
import { MemoryBot } from './entities/memory-bot.entity.js';
import { MemoryPersona } from './entities/memory-persona.entity.js';
import { MemoryOrigin, MemoryType } from './memories.enums.js';
import { recordMemoryCreated } from './memory-analytics.js';
import {
  DEDUPE_SIMILARITY,
  emotionalContext,
  estimateTokens,
  type ExtractionResult,
  jaccard,
  keywords,
  parseExtraction,
} from './memory-text.js';

/** Newest memories of the conversation compared for duplicates. */
const DEDUPE_WINDOW = 10;
const EXTRACTION_MAX_TOKENS = 1000;
const EXTRACTION_TEMPERATURE = 0.2;
/** Transcript characters sent per extraction (the newest part wins when a range is longer). */
const TRANSCRIPT_MAX_CHARS = 48_000;

interface SourceMessage {
  seq: number;
  author_kind: 'user' | 'bot';
  author_name: string;
  content: string;
  bot_id: string | null;
  persona_id: string | null;
  api_key_id: string | null;
  model: string | null;
  requested_by_user_id: string | null;
}

interface KeyChoice {
  key: ApiKey;
  model: string;
}

export type ExtractionOutcome =
  | 'created'
  | 'duplicate'
  | 'nothing_to_remember'
  | 'no_input'
  | 'up_to_date'
  | 'disabled'
  | 'no_key'
  | 'limited'
  | 'upstream_failed';

/**
 * The `memory.extract` job (chat.md §4 "Extraction"): messages in (watermark, to_seq] minus confidential, system,
 * failed and placeholder rows → one non-streaming completion with the owner's key and model → in one transaction
 * the memory (unless a near duplicate), its bot/persona links, the rolling summary, the watermark, the key's usage
 * record and `memory_created` analytics. An unparseable answer throws, so the queue retries (3 attempts, exponential
 * backoff) and finally gives up with the watermark where it was.
 */
@Injectable()
export class MemoryExtractionService {
  private readonly logger = new Logger(MemoryExtractionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly llm: LlmClient,
    private readonly secrets: ApiKeySecretService,
    private readonly usage: ApiKeyUsageService,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  async extract(conversationId: string, requestedToSeq: number, force: boolean): Promise<ExtractionOutcome> {
    const conv = await this.dataSource.getRepository(Conversation).findOneBy({ id: conversationId });
    if (!conv) return 'up_to_date';
    if (!conv.memoryEnabled && !force) return 'disabled';
    const toSeq = Math.min(requestedToSeq, conv.lastMessageSeq);
    const fromSeq = conv.lastSummarizedSeq;
    if (toSeq <= fromSeq) return 'up_to_date';

    const messages = await this.sourceMessages(this.dataSource.manager, conversationId, fromSeq, toSeq);
    if (!messages.length) {
      // Everything in the range is excluded (confidential, system, failed): nothing to send, move past it.
      await this.dataSource.transaction((em) => this.advance(em, conversationId, toSeq, null));
      return 'no_input';
    }
    const choice = await this.chooseKey(conv, messages);
    if (!choice) {
      this.logger.warn({ msg: 'memory extraction skipped: owner has no usable key', conversationId });
      return 'no_key';
    }
    const prompt = buildExtractionPrompt(conv.summary, messages);
    const estimate = prompt.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 3) + EXTRACTION_MAX_TOKENS;
    const reserved = await this.usage.reserve(choice.key.id, {
      estimatedTokens: estimate,
      purpose: ApiKeyUsePurpose.MemoryExtraction,
      model: choice.model,
    });
    if (!reserved.ok) {
      this.logger.log({ msg: 'memory extraction skipped: key limit reached', conversationId, limit: reserved.limit });
      return 'limited';
    }

    const started = Date.now();
    let completion: LlmCompletion;
    try {
      completion = await this.secrets.withSecret(
        choice.key.id,
        conv.ownerUserId,
        ApiKeyUsePurpose.MemoryExtraction,
        (secret, key) =>
          this.llm.complete({
            key,
            secret,
            model: choice.model,
            messages: prompt,
            temperature: EXTRACTION_TEMPERATURE,
            maxTokens: EXTRACTION_MAX_TOKENS,
            userTag: this.llm.userTag(conv.ownerUserId),
          }),
      );
    } catch (err) {
      if (!(err instanceof LlmUpstreamError)) {
        await this.usage.release(reserved.reservation);
        if (!(err instanceof AppError)) throw err;
        // KEY_DECRYPT_FAILED / API_KEY_NOT_FOUND: retrying cannot help
        this.logger.warn({ msg: 'memory extraction skipped: key unusable', conversationId, code: err.code });
        return 'no_key';
      }
      await this.dataSource.transaction((em) =>
        this.recordUse(em, conversationId, choice, reserved.reservation, started, null, err),
      );
      this.logger.warn({ msg: 'memory extraction call failed', conversationId, code: err.code });
      if (err.retryable) throw err; // the queue retries with backoff
      return 'upstream_failed';
    }

    let parsed: ExtractionResult;
    try {
      parsed = parseExtraction(completion.content);
    } catch (err) {
      // The call itself succeeded and is billed; the job is retried for a usable answer.
      await this.dataSource.transaction((em) =>
        this.recordUse(em, conversationId, choice, reserved.reservation, started, completion, null),
      );
      throw err;
    }

    const outcome = await this.dataSource.transaction(async (em): Promise<ExtractionOutcome | 'stale'> => {
      await this.recordUse(em, conversationId, choice, reserved.reservation, started, completion, null);
      const [locked] = (await em.query(`SELECT last_summarized_seq FROM conversations WHERE id = $1 FOR UPDATE`, [
        conversationId,
      ])) as Array<{ last_summarized_seq: string }>;
      if (!locked || Number(locked.last_summarized_seq) >= toSeq) return 'up_to_date';
      // Another run advanced the watermark meanwhile: keep the usage record, retry on the remaining range only.
      if (Number(locked.last_summarized_seq) !== fromSeq) return 'stale';
      let result: ExtractionOutcome = 'nothing_to_remember';
      if (parsed.memory) {
        result = (await this.isDuplicate(em, conversationId, parsed.memory))
          ? 'duplicate'
          : await this.insertMemory(em, conv, messages, toSeq, parsed);
      }
      await this.advance(em, conversationId, toSeq, parsed.rollingSummary);
      return result;
    });
    if (outcome === 'stale') throw new Error('memory extraction watermark moved during the call; retrying');
    return outcome;
  }

  /** Input rows: (from, to], not confidential, not system, not failed/queued/streaming, not blank. */
  private async sourceMessages(
    em: EntityManager,
    conversationId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<SourceMessage[]> {
    const rows = (await em.query(
      `SELECT seq, author_kind, author_name, content, bot_id, persona_id, api_key_id, model, requested_by_user_id
         FROM messages
        WHERE conversation_id = $1 AND seq > $2 AND seq <= $3
          AND author_kind IN ('user', 'bot') AND message_type <> 'system'
          AND sensitivity_level <> 'confidential'
          AND (generation_status IS NULL OR generation_status IN ('completed', 'cancelled'))
          AND btrim(content) <> ''
        ORDER BY seq`,
      [conversationId, fromSeq, toSeq],
    )) as Array<SourceMessage & { seq: string }>;
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /**
   * The owner's key and model, as a generation would use them: the newest reply in the range generated with the
   * owner's key → the conversation's remembered key → the owner's default key → the owner's most recently used
   * active key. Model: that reply's model, else the conversation's, the key's first preference, the provider
   * default. Keys that are not active or have expired are skipped.
   */
  private async chooseKey(conv: Conversation, messages: SourceMessage[]): Promise<KeyChoice | null> {
    const repo = this.dataSource.getRepository(ApiKey);
    const usable = (k: ApiKey | null): k is ApiKey =>
      !!k &&
      k.userId === conv.ownerUserId &&
      k.status === ApiKeyStatus.Active &&
      (!k.expiresAt || k.expiresAt > new Date());
    const reply = [...messages]
      .reverse()
      .find((m) => m.author_kind === 'bot' && m.api_key_id && m.requested_by_user_id === conv.ownerUserId);
    const candidates: Array<{ id: string | null; model: string | null }> = [
      { id: reply?.api_key_id ?? null, model: reply?.model ?? null },
      { id: conv.apiKeyId, model: conv.model },
    ];
    for (const c of candidates) {
      if (!c.id) continue;
      const key = await repo.findOneBy({ id: c.id });
      if (usable(key)) return { key, model: modelFor(key, c.model ?? conv.model) };
    }
    const fallback = await repo
      .createQueryBuilder('k')
      .where('k.user_id = :owner AND k.status = :active', { owner: conv.ownerUserId, active: ApiKeyStatus.Active })
      .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
      .orderBy('k.is_default', 'DESC')
      .addOrderBy('k.last_used_at', 'DESC', 'NULLS LAST')
      .addOrderBy('k.created_at', 'DESC')
      .getOne();
    return usable(fallback) ? { key: fallback, model: modelFor(fallback, conv.model) } : null;
  }

  private async recordUse(
    em: EntityManager,
    conversationId: string,
    choice: KeyChoice,
    reservation: UsageReservation,
    started: number,
    completion: LlmCompletion | null,
    error: LlmUpstreamError | null,
  ): Promise<void> {
    await this.usage.recordUse(em, {
      apiKeyId: choice.key.id,
      reservation,
      ok: !error,
      purpose: ApiKeyUsePurpose.MemoryExtraction,
      model: choice.model,
      conversationId,
      httpStatus: error?.status ?? (error ? null : 200),
      inputTokens: completion?.usage?.inputTokens ?? 0,
      outputTokens: completion?.usage?.outputTokens ?? (completion ? estimateTokens(completion.content) : 0),
      latencyMs: Date.now() - started,
      costUsd: completion?.usage ? cost(choice.key, completion.usage.inputTokens, completion.usage.outputTokens) : null,
      errorCode: error?.code ?? null,
    });
  }

  /** Keyword Jaccard ≥ 0.6 with any of the conversation's 10 newest memories. */
  private async isDuplicate(em: EntityManager, conversationId: string, content: string): Promise<boolean> {
    const recent = await em.getRepository(Memory).find({
      where: { conversationId },
      select: { id: true, content: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: DEDUPE_WINDOW,
    });
    const words = keywords(content);
    return recent.some((m) => jaccard(words, keywords(m.content)) >= DEDUPE_SIMILARITY);
  }

  private async insertMemory(
    em: EntityManager,
    conv: Conversation,
    messages: SourceMessage[],
    toSeq: number,
    parsed: ExtractionResult,
  ): Promise<ExtractionOutcome> {
    const content = parsed.memory!;
    const inserted = (await em
      .createQueryBuilder()
      .insert()
      .into(Memory)
      .values({
        userId: conv.ownerUserId,
        conversationId: conv.id,
        type: MemoryType.ShortTerm,
        origin: MemoryOrigin.Extracted,
        content,
        importance: parsed.importance,
        emotionalContext: emotionalContext(parsed.emotions),
        tokenCount: estimateTokens(content),
        sourceFromSeq: messages[0].seq,
        sourceToSeq: toSeq,
      })
      .orIgnore() // ux_memories_extracted_range: a concurrent run of the same range already wrote it
      .returning(['id'])
      .execute()) as { raw: Array<{ id: string }> };
    const memoryId = inserted.raw[0]?.id;
    if (!memoryId) return 'duplicate';
    // Only bots and personas that still exist (their messages keep history with a null id otherwise).
    const botIds = (
      (await em.query(`SELECT id FROM bots WHERE id = ANY($1::uuid[])`, [
        distinct(messages.filter((m) => m.author_kind === 'bot').map((m) => m.bot_id)),
      ])) as Array<{ id: string }>
    ).map((r) => r.id);
    const personaIds = (
      (await em.query(`SELECT id FROM personas WHERE id = ANY($1::uuid[]) AND owner_id = $2`, [
        distinct(messages.filter((m) => m.author_kind === 'user').map((m) => m.persona_id)),
        conv.ownerUserId,
      ])) as Array<{ id: string }>
    ).map((r) => r.id);
    if (botIds.length) await em.getRepository(MemoryBot).insert(botIds.map((botId) => ({ memoryId, botId })));
    if (personaIds.length) {
      await em.getRepository(MemoryPersona).insert(personaIds.map((personaId) => ({ memoryId, personaId })));
    }
    await recordMemoryCreated(
      this.analytics,
      em,
      { id: memoryId, userId: conv.ownerUserId, conversationId: conv.id },
      botIds,
    );
    return 'created';
  }

  /** Watermark forward (never back) and, when given, the rolling summary. */
  private async advance(em: EntityManager, conversationId: string, toSeq: number, summary: string | null) {
    await em.query(
      `UPDATE conversations
          SET last_summarized_seq = GREATEST(last_summarized_seq, LEAST($2::bigint, last_message_seq)),
              summary = CASE WHEN $3::text IS NULL THEN summary ELSE $3::text END,
              summary_updated_at = CASE WHEN $3::text IS NULL THEN summary_updated_at ELSE now() END
        WHERE id = $1`,
      [conversationId, toSeq, summary],
    );
  }
}

function distinct(ids: Array<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => !!id))];
}

function modelFor(key: ApiKey, preferred: string | null): string {
  return preferred ?? key.modelPreferences[0] ?? PROVIDERS[key.provider].defaultModel ?? 'default';
}

/** USD from the key's per-million prices; null when either price is unset (api-keys.md §6.6). */
function cost(key: ApiKey, input: number, output: number): number | null {
  if (key.inputPricePerMtokUsd == null || key.outputPricePerMtokUsd == null) return null;
  return Math.round(((input * key.inputPricePerMtokUsd + output * key.outputPricePerMtokUsd) / 1_000_000) * 1e6) / 1e6;
}

/** The extraction request: instructions, the previous summary, and the transcript of the range. */
export function buildExtractionPrompt(previousSummary: string | null, messages: SourceMessage[]): LlmChatMessage[] {
  const lines = messages.map((m) => `${m.author_name}: ${m.content}`);
  let transcript = lines.join('\n');
  if (transcript.length > TRANSCRIPT_MAX_CHARS) transcript = transcript.slice(-TRANSCRIPT_MAX_CHARS);
  const system = [
    'You maintain the long-term memory of a chat between a user and one or more characters.',
    'Read the new part of the conversation and answer with one JSON object only, no prose, with these keys:',
    '"memory": one or two sentences with the most important new fact about the user, their life, preferences or',
    'relationship with the characters ("" if nothing is worth remembering);',
    '"importance": an integer 1-10 (10 = essential to remember);',
    '"emotions": a list of up to five single-word emotions present (e.g. ["joy", "nostalgia"]);',
    '"rolling_summary": an updated summary of the whole conversation so far in at most 300 words, merging the',
    'previous summary with the new messages.',
  ].join(' ');
  const user = [`Previous summary:\n${previousSummary?.trim() || '(none)'}`, `New messages:\n${transcript}`].join(
    '\n\n',
  );
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
