/** analytics.md §1: the measurable things producers record (Postgres type `analytics_event_type`). */
export enum AnalyticsEventType {
  ConversationStarted = 'conversation_started',
  ConversationEnded = 'conversation_ended',
  MessageSent = 'message_sent',
  ReplyGenerated = 'reply_generated',
  ReplyFailed = 'reply_failed',
  BotViewed = 'bot_viewed',
  BotLiked = 'bot_liked',
  BotUnliked = 'bot_unliked',
  BotFavorited = 'bot_favorited',
  BotUnfavorited = 'bot_unfavorited',
  BotCreated = 'bot_created',
  PersonaUsed = 'persona_used',
  MemoryCreated = 'memory_created',
  MemoryRecalled = 'memory_recalled',
  MoodLogged = 'mood_logged',
  MoodUpdated = 'mood_updated',
  MoodDeleted = 'mood_deleted',
  UserRegistered = 'user_registered',
  CrisisNoticeShown = 'crisis_notice_shown',
}
export const ANALYTICS_EVENT_TYPE_ENUM = 'analytics_event_type';

/** analytics.md §2.6 (Postgres type `mood_trend`). */
export enum MoodTrend {
  Improving = 'improving',
  Declining = 'declining',
  Stable = 'stable',
  InsufficientData = 'insufficient_data',
}
export const MOOD_TREND_ENUM = 'mood_trend';

/** Largest serialized `properties` object an event may carry (analytics.md §1). */
export const MAX_EVENT_PROPERTIES_BYTES = 2048;
