import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, Not } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { canUse } from '../../../common/access/access-level.js';
import { AccessPolicy } from '../../../common/access/access.policy.js';
import type { Env } from '../../../common/config/env.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import { EmbeddingBackend } from '../embedding/embedding-backend.js';
import { BotKnowledgeCollection } from '../entities/bot-knowledge-collection.entity.js';
import { KnowledgeActivationLog } from '../entities/knowledge-activation-log.entity.js';
import { KnowledgeCollection } from '../entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import { KnowledgeBotsGateway } from '../knowledge-bots.gateway.js';
import { asShareable } from '../knowledge-collections.service.js';
import { KnowledgeActivationMethod, KnowledgeActivationMode, KnowledgeExclusionReason } from '../knowledge.enums.js';
import {
  type ActivationEntry,
  type ActivationHit,
  type ActivationMessage,
  type EngineOutput,
  type ExcludedHit,
  runActivation,
} from './activation-engine.js';
import { type CompiledKeys, compileEntryKeys } from './key-matcher.js';
import { type RandomSource, seededRandom } from './seeded-random.js';

export const DEFAULT_CONTEXT_WINDOW = 8192;

export interface ActivateInput {
  bot_id: string;
  persona_id?: string | null;
  conversation_id?: string | null;
  /** chat seq of the reply being generated */
  message_seq: number;
  /** oldest → newest, up to 20 */
  messages: ActivationMessage[];
  /** e.g. the user's own tome chosen for the conversation; must be readable by the conversation owner (the caller checks) */
  extra_collection_ids?: string[];
  budget_tokens?: number;
  /** used for the default budget when budget_tokens is absent */
  context_window?: number;
  persona_description?: string | null;
  dry_run?: boolean;
  /** tests only: replaces the seeded PRNG */
  random?: RandomSource;
}

export interface LinkState {
  collection_id: string;
  enabled: boolean;
  /** the bot owner can still read the collection */
  active: boolean;
}

export interface ActivationResult extends EngineOutput {
  links: LinkState[];
  /** collection id of every candidate entry (for previews that hide unreadable ones) */
  candidateCollections: Map<string, string>;
}

/**
 * KnowledgeActivationService (knowledge.md §4.1): loads candidates of the bot's effective links, the timed state from
 * the activation log and the vector hits, runs the pure engine, and logs the run. Called by the prompt assembler once
 * per reply, and by the preview endpoint with dry_run.
 */
@Injectable()
export class KnowledgeActivationService {
  /** compiled keys per collection, valid while its last_entry_change_at is unchanged */
  private readonly matcherCache = new Map<string, { stamp: number; keys: Map<string, CompiledKeys> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly access: AccessPolicy,
    private readonly bots: KnowledgeBotsGateway,
    private readonly backend: EmbeddingBackend,
  ) {}

  /** min(window × KNOWLEDGE_BUDGET_PERCENT / 100, KNOWLEDGE_BUDGET_CAP). */
  defaultBudget(contextWindow = DEFAULT_CONTEXT_WINDOW): number {
    const percent = this.config.get('KNOWLEDGE_BUDGET_PERCENT', { infer: true });
    const cap = this.config.get('KNOWLEDGE_BUDGET_CAP', { infer: true });
    return Math.min(Math.floor((contextWindow * percent) / 100), cap);
  }

  async activate(input: ActivateInput): Promise<ActivationResult> {
    const em = this.dataSource.manager;
    const bot = await em.getRepository<Bot>('Bot').findOneByOrFail({ id: input.bot_id });
    const { links, collections } = await this.effectiveCollections(em, bot, input.extra_collection_ids ?? []);
    const active = collections.filter((c) => c.active).map((c) => c.collection);

    const entries = active.length
      ? await em.getRepository(KnowledgeEntry).find({
          where: { collectionId: In(active.map((c) => c.id)), activationMode: Not(KnowledgeActivationMode.Disabled) },
          relations: { botFilters: true, personaFilters: true },
        })
      : [];
    const candidates = entries.map(toActivationEntry);
    const byCollection = new Map(active.map((c) => [c.id, c]));

    const lastTriggers = input.conversation_id
      ? await this.lastTriggers(
          em,
          input.conversation_id,
          input.message_seq,
          candidates.map((c) => c.id),
        )
      : new Map<string, number>();
    const vectorSimilarities = await this.vectorHits(candidates, input.messages);

    const output = runActivation({
      entries: candidates,
      botId: bot.id,
      personaId: input.persona_id ?? null,
      messageSeq: input.message_seq,
      messages: input.messages.slice(-20),
      extraTexts: {
        systemPrompt: bot.systemPrompt,
        botDescription: bot.description,
        botPersonality: personalityText(bot),
        personaDescription: input.persona_description ?? null,
      },
      budgetTokens: input.budget_tokens ?? this.defaultBudget(input.context_window),
      lastTriggers,
      vectorSimilarities,
      random: input.random ?? seededRandom(input.conversation_id, input.message_seq),
      maxRecursion: this.config.get('KNOWLEDGE_MAX_RECURSION', { infer: true }),
      compiledKeys: (e) => this.compiled(byCollection.get(e.collectionId)!, e),
    });

    if (!input.dry_run && input.conversation_id) await this.log(input, bot.id, output);
    return { ...output, links, candidateCollections: new Map(candidates.map((c) => [c.id, c.collectionId])) };
  }

  /** Enabled links whose collection the bot owner still reads (public or a real grant), plus extra collections. */
  private async effectiveCollections(
    em: EntityManager,
    bot: Bot,
    extraIds: string[],
  ): Promise<{ links: LinkState[]; collections: { collection: KnowledgeCollection; active: boolean }[] }> {
    const rows = await em.getRepository(BotKnowledgeCollection).find({
      where: { botId: bot.id },
      relations: { collection: true },
      order: { createdAt: 'ASC' },
    });
    const owner = await this.bots.ownerActor(bot.ownerId, em);
    const levels = await this.access.levelsFor(
      owner,
      rows.map((r) => asShareable(r.collection!)),
      em,
    );
    const links = rows.map((r) => ({
      collection_id: r.collectionId,
      enabled: r.enabled,
      active: r.enabled && canUse(levels.get(r.collectionId) ?? null),
    }));
    const collections = rows.map((r, i) => ({ collection: r.collection!, active: links[i].active }));
    const extra = extraIds.filter((id) => !rows.some((r) => r.collectionId === id));
    if (extra.length) {
      const found = await em.getRepository(KnowledgeCollection).findBy({ id: In(extra) });
      collections.push(...found.map((collection) => ({ collection, active: true })));
    }
    return { links, collections };
  }

  /** Seq of each entry's last inclusion that started a sticky window (not itself sticky), before this reply. */
  private async lastTriggers(
    em: EntityManager,
    conversationId: string,
    messageSeq: number,
    entryIds: string[],
  ): Promise<Map<string, number>> {
    if (!entryIds.length) return new Map();
    const rows: { entry_id: string; seq: string }[] = await em.query(
      `SELECT entry_id, max(message_seq) AS seq FROM knowledge_activation_logs
        WHERE conversation_id = $1 AND entry_id = ANY($2::uuid[]) AND was_included AND method <> 'sticky'
          AND message_seq < $3
        GROUP BY entry_id`,
      [conversationId, entryIds, messageSeq],
    );
    return new Map(rows.map((r) => [r.entry_id, Number(r.seq)]));
  }

  /** Vector/hybrid candidates: query the backend with the newest user message, top-k = max max_vector_results (≤20). */
  private async vectorHits(candidates: ActivationEntry[], messages: ActivationMessage[]): Promise<Map<string, number>> {
    const vector = candidates.filter(
      (c) => c.activationMode === KnowledgeActivationMode.Vector || c.activationMode === KnowledgeActivationMode.Hybrid,
    );
    const query = [...messages].reverse().find((m) => m.role === 'user')?.text ?? '';
    if (!vector.length || !query.trim()) return new Map();
    const topK = Math.min(20, Math.max(...vector.map((c) => c.maxVectorResults)));
    return this.backend.search(
      query,
      vector.map((c) => c.id),
      topK,
    );
  }

  private compiled(collection: KnowledgeCollection, entry: ActivationEntry): CompiledKeys {
    const stamp = collection.lastEntryChangeAt.getTime();
    let cached = this.matcherCache.get(collection.id);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, keys: new Map() };
      this.matcherCache.set(collection.id, cached);
      if (this.matcherCache.size > 5000) this.matcherCache.delete(this.matcherCache.keys().next().value!);
    }
    let keys = cached.keys.get(entry.id);
    if (!keys) {
      keys = compileEntryKeys(entry);
      cached.keys.set(entry.id, keys);
    }
    return keys;
  }

  /** One row per entry that matched in steps 3–8 (filter/delay exclusions are preview-only), and the counters. */
  private async log(input: ActivateInput, botId: string, output: EngineOutput): Promise<void> {
    const logged: ExcludedHit[] = output.excluded.filter(
      (x) => x.reason !== 'filter_excluded' && x.reason !== 'delay_not_met',
    );
    const rows = [
      ...output.included.map((h) => logRow(input, botId, h, true, null)),
      ...logged.map((x) => logRow(input, botId, x, false, x.reason as KnowledgeExclusionReason)),
    ];
    if (!rows.length) return;
    await this.dataSource.transaction(async (em) => {
      await em.getRepository(KnowledgeActivationLog).insert(rows);
      const included = output.included.map((h) => h.entry.id);
      if (included.length) {
        await em.query(
          `UPDATE knowledge_entries SET activation_count = activation_count + 1, last_activated_at = now()
            WHERE id = ANY($1::uuid[])`,
          [included],
        );
      }
    });
  }
}

function logRow(
  input: ActivateInput,
  botId: string,
  hit: ActivationHit | ExcludedHit,
  wasIncluded: boolean,
  reason: KnowledgeExclusionReason | null,
): QueryDeepPartialEntity<KnowledgeActivationLog> {
  return {
    conversationId: input.conversation_id!,
    messageSeq: String(input.message_seq),
    entryId: hit.entry.id,
    botId,
    method: hit.method ?? KnowledgeActivationMethod.Keyword,
    score: hit.score,
    matchedKeywords: hit.matchedKeywords,
    similarity: hit.similarity,
    position: hit.entry.position,
    tokensUsed: hit.tokens,
    wasIncluded,
    exclusionReason: reason,
  };
}

function personalityText(bot: Bot): string {
  return [bot.tone, bot.formality, bot.humor, bot.communication, ...(bot.signaturePhrases ?? [])]
    .filter(Boolean)
    .join(' ');
}

export function toActivationEntry(e: KnowledgeEntry): ActivationEntry {
  return {
    id: e.id,
    collectionId: e.collectionId,
    title: e.title,
    content: e.content,
    tokenCost: e.tokenCost,
    activationMode: e.activationMode,
    primaryKeys: e.primaryKeys,
    secondaryKeys: e.secondaryKeys,
    keywordLogic: e.keywordLogic,
    caseSensitive: e.caseSensitive,
    matchWholeWords: e.matchWholeWords,
    useRegex: e.useRegex,
    scanDepth: e.scanDepth,
    matchUserMessages: e.matchUserMessages,
    matchBotMessages: e.matchBotMessages,
    matchSystemPrompt: e.matchSystemPrompt,
    matchBotDescription: e.matchBotDescription,
    matchBotPersonality: e.matchBotPersonality,
    matchPersonaDescription: e.matchPersonaDescription,
    vectorThreshold: e.vectorThreshold,
    maxVectorResults: e.maxVectorResults,
    useProbability: e.useProbability,
    probability: e.probability,
    position: e.position,
    depth: e.depth,
    depthRole: e.depthRole,
    insertionOrder: e.insertionOrder,
    sticky: e.sticky,
    cooldown: e.cooldown,
    delay: e.delay,
    filterByBots: e.filterByBots,
    filterByPersonas: e.filterByPersonas,
    botFilters: (e.botFilters ?? []).map((f) => ({ id: f.botId, mode: f.mode })),
    personaFilters: (e.personaFilters ?? []).map((f) => ({ id: f.personaId, mode: f.mode })),
    inclusionGroup: e.inclusionGroup,
    groupWeight: e.groupWeight,
    groupPrioritize: e.groupPrioritize,
    excludeRecursion: e.excludeRecursion,
    preventRecursion: e.preventRecursion,
    delayUntilRecursion: e.delayUntilRecursion,
    ignoreBudget: e.ignoreBudget,
    maxTokens: e.maxTokens,
    visibility: e.visibility,
  };
}
