import { createHash } from 'node:crypto';
import { estimateTokens } from './activation/activation-engine.js';
import { keyError } from './activation/key-matcher.js';
import type { CreateEntryDto } from './dto/entry.dto.js';
import type { KnowledgeEntry } from './entities/knowledge-entry.entity.js';
import { KnowledgeActivationMode, KnowledgeType } from './knowledge.enums.js';

/** Wire name → entity property for every plain entry field (filters and collection_id are handled separately). */
export const ENTRY_FIELD_MAP = {
  title: 'title',
  type: 'type',
  content: 'content',
  source_url: 'sourceUrl',
  source_media_id: 'sourceMediaId',
  source_author: 'sourceAuthor',
  language: 'language',
  visibility: 'visibility',
  tags: 'tags',
  activation_mode: 'activationMode',
  primary_keys: 'primaryKeys',
  secondary_keys: 'secondaryKeys',
  keyword_logic: 'keywordLogic',
  case_sensitive: 'caseSensitive',
  match_whole_words: 'matchWholeWords',
  use_regex: 'useRegex',
  scan_depth: 'scanDepth',
  match_user_messages: 'matchUserMessages',
  match_bot_messages: 'matchBotMessages',
  match_system_prompt: 'matchSystemPrompt',
  match_bot_description: 'matchBotDescription',
  match_bot_personality: 'matchBotPersonality',
  match_persona_description: 'matchPersonaDescription',
  vector_threshold: 'vectorThreshold',
  max_vector_results: 'maxVectorResults',
  use_probability: 'useProbability',
  probability: 'probability',
  position: 'position',
  depth: 'depth',
  depth_role: 'depthRole',
  insertion_order: 'insertionOrder',
  sticky: 'sticky',
  cooldown: 'cooldown',
  delay: 'delay',
  filter_by_bots: 'filterByBots',
  filter_by_personas: 'filterByPersonas',
  inclusion_group: 'inclusionGroup',
  group_weight: 'groupWeight',
  group_prioritize: 'groupPrioritize',
  exclude_recursion: 'excludeRecursion',
  prevent_recursion: 'preventRecursion',
  delay_until_recursion: 'delayUntilRecursion',
  ignore_budget: 'ignoreBudget',
  max_tokens: 'maxTokens',
} as const satisfies Partial<Record<keyof CreateEntryDto, keyof KnowledgeEntry>>;

/** Activation fields compared by export → import round trips (§5). */
export const ACTIVATION_FIELDS = [
  'activationMode',
  'primaryKeys',
  'secondaryKeys',
  'keywordLogic',
  'caseSensitive',
  'matchWholeWords',
  'useRegex',
  'scanDepth',
  'matchUserMessages',
  'matchBotMessages',
  'matchSystemPrompt',
  'matchBotDescription',
  'matchBotPersonality',
  'matchPersonaDescription',
  'vectorThreshold',
  'maxVectorResults',
  'useProbability',
  'probability',
  'position',
  'depth',
  'depthRole',
  'insertionOrder',
  'sticky',
  'cooldown',
  'delay',
  'filterByBots',
  'filterByPersonas',
  'inclusionGroup',
  'groupWeight',
  'groupPrioritize',
  'excludeRecursion',
  'preventRecursion',
  'delayUntilRecursion',
  'ignoreBudget',
  'maxTokens',
] as const satisfies readonly (keyof KnowledgeEntry)[];

/** Copies the fields present in `dto` onto the entity. */
export function applyEntryDto(entry: Partial<KnowledgeEntry>, dto: Partial<CreateEntryDto>): void {
  const target = entry as Record<string, unknown>;
  for (const [wire, prop] of Object.entries(ENTRY_FIELD_MAP)) {
    const value = (dto as Record<string, unknown>)[wire];
    if (value !== undefined) target[prop] = value;
  }
}

export interface ContentStats {
  tokenCost: number;
  wordCount: number;
  contentHash: string;
  chars: number;
}

export function contentStats(content: string): ContentStats {
  return {
    tokenCost: estimateTokens(content),
    wordCount: content.trim() ? content.trim().split(/\s+/u).length : 0,
    contentHash: createHash('sha256').update(content, 'utf8').digest('hex'),
    chars: [...content].length,
  };
}

export const usesVectors = (mode: KnowledgeActivationMode): boolean =>
  mode === KnowledgeActivationMode.Vector || mode === KnowledgeActivationMode.Hybrid;

/**
 * Rules across fields that class-validator cannot see on a partial update: keys required for keyword/hybrid, regex
 * keys must compile on RE2 (each bad key named), a url entry needs its source_url. `prefix` namespaces the field
 * names (imports report `worldbook.entries.<uid>.key[0]`).
 */
export function entryRuleErrors(
  e: Pick<
    KnowledgeEntry,
    | 'activationMode'
    | 'primaryKeys'
    | 'secondaryKeys'
    | 'useRegex'
    | 'caseSensitive'
    | 'matchWholeWords'
    | 'type'
    | 'sourceUrl'
  >,
  names: { primary: string; secondary: string; prefix?: string } = {
    primary: 'primary_keys',
    secondary: 'secondary_keys',
  },
): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const p = names.prefix ?? '';
  if (
    (e.activationMode === KnowledgeActivationMode.Keyword || e.activationMode === KnowledgeActivationMode.Hybrid) &&
    e.primaryKeys.length === 0
  ) {
    errors.push({
      field: `${p}${names.primary}`,
      message: `${e.activationMode} activation needs at least one primary key`,
    });
  }
  if (e.useRegex) {
    for (const [list, name] of [
      [e.primaryKeys, names.primary],
      [e.secondaryKeys, names.secondary],
    ] as const) {
      list.forEach((key, i) => {
        const error = keyError(key, e);
        if (error) errors.push({ field: `${p}${name}[${i}]`, message: `key "${key}": ${error}` });
      });
    }
  }
  if (e.type === KnowledgeType.Url && !e.sourceUrl) {
    errors.push({ field: `${p}source_url`, message: 'source_url is required when type is url' });
  }
  return errors;
}
