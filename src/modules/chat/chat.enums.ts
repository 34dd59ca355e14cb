/** Postgres enum types of the chat module (chat.md §1–§3). */
export enum ConversationType {
  SingleBot = 'single_bot',
  MultiBot = 'multi_bot',
  GroupChat = 'group_chat',
}
export const CONVERSATION_TYPE_ENUM = 'chat_conversation_type';

export enum ConversationStatus {
  Active = 'active',
  Archived = 'archived',
  Muted = 'muted',
  Pinned = 'pinned',
}
export const CONVERSATION_STATUS_ENUM = 'chat_conversation_status';

export enum ParticipantKind {
  User = 'user',
  Bot = 'bot',
}
export const PARTICIPANT_KIND_ENUM = 'chat_participant_kind';

export enum ParticipantRole {
  Owner = 'owner',
  Member = 'member',
  Primary = 'primary',
  Secondary = 'secondary',
  Moderator = 'moderator',
}
export const PARTICIPANT_ROLE_ENUM = 'chat_participant_role';

export enum AuthorKind {
  User = 'user',
  Bot = 'bot',
  System = 'system',
}
export const AUTHOR_KIND_ENUM = 'chat_author_kind';

export enum MessageType {
  Text = 'text',
  Image = 'image',
  File = 'file',
  System = 'system',
  Code = 'code',
}
export const MESSAGE_TYPE_ENUM = 'chat_message_type';

export enum DeliveryStatus {
  Sent = 'sent',
  Delivered = 'delivered',
  Read = 'read',
  Failed = 'failed',
}
export const DELIVERY_STATUS_ENUM = 'chat_delivery_status';

export enum GenerationStatus {
  Queued = 'queued',
  Streaming = 'streaming',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}
export const GENERATION_STATUS_ENUM = 'chat_generation_status';

export enum TokenCountSource {
  Provider = 'provider',
  Estimated = 'estimated',
}
export const TOKEN_COUNT_SOURCE_ENUM = 'chat_token_count_source';

export enum Sensitivity {
  Public = 'public',
  Private = 'private',
  Confidential = 'confidential',
}
export const SENSITIVITY_ENUM = 'chat_sensitivity';
