import { ApiProperty } from '@nestjs/swagger';
import type { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import {
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgeEmbeddingStatus,
  KnowledgeEntryVisibility,
  KnowledgeFilterMode,
  KnowledgeKeywordLogic,
  KnowledgeOrigin,
  KnowledgePosition,
  KnowledgeType,
} from '../knowledge.enums.js';

export class BotFilterResponseDto {
  /** Bot id. */
  bot_id!: string;
  /** allow or exclude. */
  @ApiProperty({ enum: KnowledgeFilterMode, enumName: 'KnowledgeFilterMode' }) mode!: KnowledgeFilterMode;
}

export class PersonaFilterResponseDto {
  /** Persona id. */
  persona_id!: string;
  /** allow or exclude. */
  @ApiProperty({ enum: KnowledgeFilterMode, enumName: 'KnowledgeFilterMode' }) mode!: KnowledgeFilterMode;
}

export class EntryResponseDto {
  /** Entry id. */
  id!: string;
  /** Collection id. */
  collection_id!: string;
  /** Who wrote it. */
  author_id!: string | null;
  /** Title. */
  title!: string | null;
  /** Type. */
  @ApiProperty({ enum: KnowledgeType, enumName: 'KnowledgeType' }) type!: KnowledgeType;
  /** The lore text. */
  content!: string;
  /** Source URL. */
  source_url!: string | null;
  /** Source media. */
  source_media_id!: string | null;
  /** Source author. */
  source_author!: string | null;
  /** Language. */
  language!: string | null;
  /** authored, imported or memory. */
  @ApiProperty({ enum: KnowledgeOrigin, enumName: 'KnowledgeOrigin' }) origin!: KnowledgeOrigin;
  /** inherit or editors_only. */
  @ApiProperty({ enum: KnowledgeEntryVisibility, enumName: 'KnowledgeEntryVisibility' })
  visibility!: KnowledgeEntryVisibility;
  /** Tags. */
  tags!: string[];
  /** ceil(characters / 4). */
  token_cost!: number;
  /** Words. */
  word_count!: number;
  /** sha256 of the content. */
  content_hash!: string;
  /** Embedding state. */
  @ApiProperty({ enum: KnowledgeEmbeddingStatus, enumName: 'KnowledgeEmbeddingStatus' })
  embedding_status!: KnowledgeEmbeddingStatus;
  /** Last embedding error. */
  embedding_error!: string | null;
  /** Chunks embedded. */
  chunk_count!: number;
  /** When it was embedded. */
  embedded_at!: Date | null;
  /** Views. */
  view_count!: number;
  /** Included activations. */
  activation_count!: number;
  /** Last included activation. */
  last_activated_at!: Date | null;
  /** Activation mode. */
  @ApiProperty({ enum: KnowledgeActivationMode, enumName: 'KnowledgeActivationMode' })
  activation_mode!: KnowledgeActivationMode;
  /** Primary keys. */
  primary_keys!: string[];
  /** Secondary keys. */
  secondary_keys!: string[];
  /** Secondary key logic. */
  @ApiProperty({ enum: KnowledgeKeywordLogic, enumName: 'KnowledgeKeywordLogic' })
  keyword_logic!: KnowledgeKeywordLogic;
  /** Case-sensitive keys. */
  case_sensitive!: boolean;
  /** Whole-word keys. */
  match_whole_words!: boolean;
  /** Regex keys. */
  use_regex!: boolean;
  /** Messages scanned. */
  scan_depth!: number;
  /** Scan user messages. */
  match_user_messages!: boolean;
  /** Scan bot messages. */
  match_bot_messages!: boolean;
  /** Scan the system prompt. */
  match_system_prompt!: boolean;
  /** Scan the bot description. */
  match_bot_description!: boolean;
  /** Scan the bot personality. */
  match_bot_personality!: boolean;
  /** Scan the persona description. */
  match_persona_description!: boolean;
  /** Similarity threshold. */
  vector_threshold!: number;
  /** Vector results. */
  max_vector_results!: number;
  /** Roll the probability. */
  use_probability!: boolean;
  /** Probability in percent. */
  probability!: number;
  /** Placement. */
  @ApiProperty({ enum: KnowledgePosition, enumName: 'KnowledgePosition' }) position!: KnowledgePosition;
  /** Depth for at_depth. */
  depth!: number;
  /** Role for at_depth. */
  @ApiProperty({ enum: KnowledgeDepthRole, enumName: 'KnowledgeDepthRole' }) depth_role!: KnowledgeDepthRole;
  /** Higher goes first. */
  insertion_order!: number;
  /** Sticky messages. */
  sticky!: number;
  /** Cooldown messages. */
  cooldown!: number;
  /** Delay (message seq). */
  delay!: number;
  /** Bot filters on. */
  filter_by_bots!: boolean;
  /** Persona filters on. */
  filter_by_personas!: boolean;
  /** Inclusion group. */
  inclusion_group!: string | null;
  /** Group weight. */
  group_weight!: number;
  /** Group winner by order. */
  group_prioritize!: boolean;
  /** Not triggered by other entries. */
  exclude_recursion!: boolean;
  /** Does not trigger other entries. */
  prevent_recursion!: boolean;
  /** Only in recursion passes. */
  delay_until_recursion!: boolean;
  /** Outside the budget. */
  ignore_budget!: boolean;
  /** Token cap when injected. */
  max_tokens!: number;
  /** Created. */
  created_at!: Date;
  /** Updated. */
  updated_at!: Date;
  /** Bot filters (detail responses). */
  bot_filters?: BotFilterResponseDto[];
  /** Persona filters (detail responses). */
  persona_filters?: PersonaFilterResponseDto[];
}

export class EntryPageDto {
  /** One page. */
  items!: EntryResponseDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
}

export function toEntryResponse(e: KnowledgeEntry, withFilters = false): EntryResponseDto {
  const out: EntryResponseDto = {
    id: e.id,
    collection_id: e.collectionId,
    author_id: e.authorId,
    title: e.title,
    type: e.type,
    content: e.content,
    source_url: e.sourceUrl,
    source_media_id: e.sourceMediaId,
    source_author: e.sourceAuthor,
    language: e.language,
    origin: e.origin,
    visibility: e.visibility,
    tags: e.tags,
    token_cost: e.tokenCost,
    word_count: e.wordCount,
    content_hash: e.contentHash,
    embedding_status: e.embeddingStatus,
    embedding_error: e.embeddingError,
    chunk_count: e.chunkCount,
    embedded_at: e.embeddedAt,
    view_count: e.viewCount,
    activation_count: e.activationCount,
    last_activated_at: e.lastActivatedAt,
    activation_mode: e.activationMode,
    primary_keys: e.primaryKeys,
    secondary_keys: e.secondaryKeys,
    keyword_logic: e.keywordLogic,
    case_sensitive: e.caseSensitive,
    match_whole_words: e.matchWholeWords,
    use_regex: e.useRegex,
    scan_depth: e.scanDepth,
    match_user_messages: e.matchUserMessages,
    match_bot_messages: e.matchBotMessages,
    match_system_prompt: e.matchSystemPrompt,
    match_bot_description: e.matchBotDescription,
    match_bot_personality: e.matchBotPersonality,
    match_persona_description: e.matchPersonaDescription,
    vector_threshold: Math.round(e.vectorThreshold * 1e6) / 1e6,
    max_vector_results: e.maxVectorResults,
    use_probability: e.useProbability,
    probability: e.probability,
    position: e.position,
    depth: e.depth,
    depth_role: e.depthRole,
    insertion_order: e.insertionOrder,
    sticky: e.sticky,
    cooldown: e.cooldown,
    delay: e.delay,
    filter_by_bots: e.filterByBots,
    filter_by_personas: e.filterByPersonas,
    inclusion_group: e.inclusionGroup,
    group_weight: e.groupWeight,
    group_prioritize: e.groupPrioritize,
    exclude_recursion: e.excludeRecursion,
    prevent_recursion: e.preventRecursion,
    delay_until_recursion: e.delayUntilRecursion,
    ignore_budget: e.ignoreBudget,
    max_tokens: e.maxTokens,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
  if (withFilters) {
    out.bot_filters = (e.botFilters ?? []).map((f) => ({ bot_id: f.botId, mode: f.mode }));
    out.persona_filters = (e.personaFilters ?? []).map((f) => ({ persona_id: f.personaId, mode: f.mode }));
  }
  return out;
}
