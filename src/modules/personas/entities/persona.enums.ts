/** Enums of the personas module (bots.md §4). Postgres type names are the `*_ENUM` constants. */

export enum PersonaGender {
  Male = 'male',
  Female = 'female',
  NonBinary = 'non_binary',
  Unspecified = 'unspecified',
  Other = 'other',
}
export const PERSONA_GENDER_ENUM = 'persona_gender';

export enum PersonaVisualTheme {
  Classic = 'classic',
  Modern = 'modern',
  Fantasy = 'fantasy',
  Minimalist = 'minimalist',
  Vintage = 'vintage',
  Futuristic = 'futuristic',
}
export const PERSONA_VISUAL_THEME_ENUM = 'persona_visual_theme';
