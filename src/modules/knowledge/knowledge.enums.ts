/** Enums of the knowledge module (knowledge.md §1–4). Postgres types are named in the entities (`enumName`). */

export enum KnowledgeCategory {
  Lore = 'lore',
  Memories = 'memories',
  General = 'general',
}

export enum KnowledgeDifficulty {
  Beginner = 'beginner',
  Intermediate = 'intermediate',
  Advanced = 'advanced',
  Expert = 'expert',
}

export enum KnowledgeType {
  Text = 'text',
  Document = 'document',
  Url = 'url',
  Image = 'image',
  Audio = 'audio',
  Video = 'video',
}

export enum KnowledgeOrigin {
  Authored = 'authored',
  Imported = 'imported',
  Memory = 'memory',
}

export enum KnowledgeEntryVisibility {
  Inherit = 'inherit',
  EditorsOnly = 'editors_only',
}

export enum KnowledgeEmbeddingStatus {
  Pending = 'pending',
  Processing = 'processing',
  Ready = 'ready',
  Failed = 'failed',
  Skipped = 'skipped',
}

export enum KnowledgeActivationMode {
  Keyword = 'keyword',
  Vector = 'vector',
  Hybrid = 'hybrid',
  Constant = 'constant',
  Disabled = 'disabled',
}

export enum KnowledgeKeywordLogic {
  AndAny = 'and_any',
  AndAll = 'and_all',
  NotAny = 'not_any',
  NotAll = 'not_all',
}

export enum KnowledgePosition {
  BeforeCharacter = 'before_character',
  AfterCharacter = 'after_character',
  BeforeExamples = 'before_examples',
  AfterExamples = 'after_examples',
  AtDepth = 'at_depth',
  SystemTop = 'system_top',
  SystemBottom = 'system_bottom',
}

export enum KnowledgeDepthRole {
  System = 'system',
  User = 'user',
  Assistant = 'assistant',
}

export enum KnowledgeFilterMode {
  Allow = 'allow',
  Exclude = 'exclude',
}

export enum KnowledgeActivationMethod {
  Keyword = 'keyword',
  Vector = 'vector',
  Constant = 'constant',
  Sticky = 'sticky',
  Recursion = 'recursion',
}

/** Reasons stored in the activation log (§4.2). */
export enum KnowledgeExclusionReason {
  BudgetExceeded = 'budget_exceeded',
  CooldownActive = 'cooldown_active',
  ProbabilityFailed = 'probability_failed',
  GroupLost = 'group_lost',
}

/** Every reason an activation run can report; `filter_excluded` and `delay_not_met` appear only in previews. */
export type ActivationExclusionReason = `${KnowledgeExclusionReason}` | 'filter_excluded' | 'delay_not_met';
