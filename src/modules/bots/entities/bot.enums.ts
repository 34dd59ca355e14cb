/** Enums of the bots module (bots.md §1.2). Postgres type names are the `*_ENUM` constants. */

export enum BotGender {
  Male = 'male',
  Female = 'female',
  NonBinary = 'non_binary',
  Other = 'other',
}
export const BOT_GENDER_ENUM = 'bot_gender';

export enum BotClassification {
  ConversationalAi = 'conversational_ai',
  CreativeWriting = 'creative_writing',
  FantasyRpg = 'fantasy_rpg',
  Gaming = 'gaming',
  Fanfic = 'fanfic',
  Oc = 'oc',
  ComedyParody = 'comedy_parody',
  LongForm = 'long_form',
  OneShot = 'one_shot',
}
export const BOT_CLASSIFICATION_ENUM = 'bot_classification';

export enum BotVenue {
  Main = 'main',
  Backrooms = 'backrooms',
  Both = 'both',
}
export const BOT_VENUE_ENUM = 'bot_venue';

export enum BotBackroomsClass {
  Experimental = 'experimental',
  DeepLore = 'deep_lore',
  Spicy = 'spicy',
  Unhinged = 'unhinged',
  Wip = 'wip',
  Collab = 'collab',
  Showcase = 'showcase',
  Niche = 'niche',
  DeadDove = 'dead_dove',
}
export const BOT_BACKROOMS_CLASS_ENUM = 'bot_backrooms_class';

export enum BotDefinitionVisibility {
  Editors = 'editors',
  Viewers = 'viewers',
}
export const BOT_DEFINITION_VISIBILITY_ENUM = 'bot_definition_visibility';

export enum BotForkKind {
  Copy = 'copy',
  Remix = 'remix',
}
export const BOT_FORK_KIND_ENUM = 'bot_fork_kind';
