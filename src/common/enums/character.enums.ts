/**
 * Character enums shared by bots and personas (bots.md §0). Postgres type names are the `*_ENUM` constants; use
 * them as `enumName` on every column so both tables share one type.
 */

export enum TraitTone {
  Friendly = 'friendly',
  Professional = 'professional',
  Playful = 'playful',
  Mysterious = 'mysterious',
  Wise = 'wise',
  Humorous = 'humorous',
  Empathetic = 'empathetic',
  Authoritative = 'authoritative',
}
export const TRAIT_TONE_ENUM = 'trait_tone';

export enum TraitFormality {
  VeryCasual = 'very_casual',
  Casual = 'casual',
  Neutral = 'neutral',
  Formal = 'formal',
  VeryFormal = 'very_formal',
}
export const TRAIT_FORMALITY_ENUM = 'trait_formality';

export enum TraitHumor {
  None = 'none',
  Light = 'light',
  Moderate = 'moderate',
  Dark = 'dark',
  Sarcastic = 'sarcastic',
}
export const TRAIT_HUMOR_ENUM = 'trait_humor';

export enum TraitCommunication {
  Direct = 'direct',
  Elaborate = 'elaborate',
  Concise = 'concise',
  Storytelling = 'storytelling',
  Questioning = 'questioning',
}
export const TRAIT_COMMUNICATION_ENUM = 'trait_communication';

export enum BehaviorResponseLength {
  VeryShort = 'very_short',
  Short = 'short',
  Medium = 'medium',
  Long = 'long',
  VeryLong = 'very_long',
}
export const BEHAVIOR_RESPONSE_LENGTH_ENUM = 'behavior_response_length';

export enum BehaviorCreativity {
  Conservative = 'conservative',
  Moderate = 'moderate',
  Creative = 'creative',
  HighlyCreative = 'highly_creative',
}
export const BEHAVIOR_CREATIVITY_ENUM = 'behavior_creativity';

export enum BehaviorKnowledgeSharing {
  VeryLimited = 'very_limited',
  Limited = 'limited',
  Balanced = 'balanced',
  Generous = 'generous',
  VeryGenerous = 'very_generous',
}
export const BEHAVIOR_KNOWLEDGE_SHARING_ENUM = 'behavior_knowledge_sharing';
