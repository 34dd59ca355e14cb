import type { Actor } from '../../../common/auth/actor.js';
import type { WellbeingNoticeDto } from '../../wellbeing/self-moderation/dto/wellbeing-notice.dto.js';
import type {
  AuthorKind,
  ConversationStatus,
  ConversationType,
  DeliveryStatus,
  GenerationStatus,
  MessageType,
  ParticipantKind,
  ParticipantRole,
  Sensitivity,
  TokenCountSource,
} from '../chat.enums.js';
import type { ConversationParticipant } from '../entities/conversation-participant.entity.js';
import type { Conversation } from '../entities/conversation.entity.js';
import type { MessageEdit } from '../entities/message-edit.entity.js';
import type { Message } from '../entities/message.entity.js';

export class ParticipantResponseDto {
  id!: string;
  participant_kind!: ParticipantKind;
  user_id!: string | null;
  bot_id!: string | null;
  role!: ParticipantRole;
  is_active!: boolean;
  joined_at!: string;
  left_at!: string | null;
  /** Bot name, or the user's nickname ?? display name ?? username. */
  name!: string | null;
  /** Bot picture / user avatar media id. */
  avatar_media_id!: string | null;
}

export class ConversationResponseDto {
  id!: string;
  owner_user_id!: string;
  title!: string | null;
  conversation_type!: ConversationType;
  status!: ConversationStatus;
  persona_id!: string | null;
  tags!: string[];
  message_count!: number;
  participant_count!: number;
  total_tokens!: number;
  last_message_seq!: number;
  last_activity_at!: string;
  allow_file_sharing!: boolean;
  message_retention_days!: number | null;
  summary!: string | null;
  /** last_message_seq − the caller's last_read_seq (0 for non-participants). */
  unread_count!: number;
  /** Owner only. */
  api_key_id?: string | null;
  model?: string | null;
  temperature?: number | null;
  max_output_tokens?: number | null;
  memory_enabled?: boolean;
  last_summarized_seq?: number;
  participants?: ParticipantResponseDto[];
  created_at!: string;
  updated_at!: string;
}

/** An attached file; its bytes are served by `url` to whoever can read the message. */
export class MessageAttachmentResponseDto {
  media_id!: string;
  position!: number;
  kind!: string;
  mime_type!: string;
  original_filename!: string;
  size_bytes!: number;
  width!: number | null;
  height!: number | null;
  alt_text!: string | null;
  url!: string;
}

/** PUT/DELETE /messages/:id/reactions/:emoji: the message's reactions after the change. */
export class MessageReactionsResponseDto {
  message_id!: string;
  /** Count by emoji. */
  reactions!: Record<string, number>;
  /** The caller's own emojis. */
  mine!: string[];
}

/** What toMessageResponse adds from the satellite tables (loaded in batches, never per message). */
export interface MessageExtras {
  attachments: MessageAttachmentResponseDto[];
  reactions: Record<string, number>;
  mine: string[];
}

export function toConversationResponse(
  actor: Actor,
  c: Conversation,
  lastReadSeq: number | null,
  participants?: ParticipantResponseDto[],
): ConversationResponseDto {
  const dto: ConversationResponseDto = {
    id: c.id,
    owner_user_id: c.ownerUserId,
    title: c.title,
    conversation_type: c.conversationType,
    status: c.status,
    persona_id: c.personaId,
    tags: c.tags,
    message_count: c.messageCount,
    participant_count: c.participantCount,
    total_tokens: c.totalTokens,
    last_message_seq: c.lastMessageSeq,
    last_activity_at: c.lastActivityAt.toISOString(),
    allow_file_sharing: c.allowFileSharing,
    message_retention_days: c.messageRetentionDays,
    summary: c.summary,
    unread_count: lastReadSeq === null ? 0 : Math.max(0, c.lastMessageSeq - lastReadSeq),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
  if (actor.id === c.ownerUserId) {
    dto.api_key_id = c.apiKeyId;
    dto.model = c.model;
    dto.temperature = c.temperature === null ? null : Number(c.temperature);
    dto.max_output_tokens = c.maxOutputTokens;
    dto.memory_enabled = c.memoryEnabled;
    dto.last_summarized_seq = c.lastSummarizedSeq;
  }
  if (participants) dto.participants = participants;
  return dto;
}

export function toParticipantResponse(
  p: ConversationParticipant,
  names: { name: string | null; avatar: string | null },
): ParticipantResponseDto {
  return {
    id: p.id,
    participant_kind: p.participantKind,
    user_id: p.userId,
    bot_id: p.botId,
    role: p.role,
    is_active: p.isActive,
    joined_at: p.joinedAt.toISOString(),
    left_at: p.leftAt?.toISOString() ?? null,
    name: names.name,
    avatar_media_id: names.avatar,
  };
}

export class MessageResponseDto {
  id!: string;
  conversation_id!: string;
  seq!: number;
  author_kind!: AuthorKind;
  author_user_id!: string | null;
  requested_by_user_id!: string | null;
  bot_id!: string | null;
  persona_id!: string | null;
  author_name!: string;
  message_type!: MessageType;
  content!: string;
  reasoning_content!: string | null;
  is_ai_generated!: boolean;
  provider!: string | null;
  model!: string | null;
  input_tokens!: number;
  output_tokens!: number;
  total_tokens!: number;
  token_count_source!: TokenCountSource;
  processing_time_ms!: number | null;
  first_token_ms!: number | null;
  finish_reason!: string | null;
  reply_to_message_id!: string | null;
  thread_depth!: number;
  reply_count!: number;
  delivery_status!: DeliveryStatus;
  generation_status!: GenerationStatus | null;
  error_code!: string | null;
  active_alternative_id!: string | null;
  alternative_count!: number;
  is_edited!: boolean;
  edited_at!: string | null;
  edit_count!: number;
  sensitivity_level!: Sensitivity;
  /** Only to requested_by_user_id. */
  api_key_id?: string | null;
  /** USD; only to requested_by_user_id. */
  cost_estimate?: number | null;
  created_at!: string;
  updated_at!: string;
  /** Attached files in position order (chat.md §3.1). */
  attachments!: MessageAttachmentResponseDto[];
  /** Reaction counts by emoji. */
  reactions!: Record<string, number>;
  /** The emojis the caller reacted with. */
  my_reactions!: string[];
}

export function toMessageResponse(actor: Actor, m: Message, extras?: MessageExtras): MessageResponseDto {
  const dto: MessageResponseDto = {
    id: m.id,
    conversation_id: m.conversationId,
    seq: m.seq,
    author_kind: m.authorKind,
    author_user_id: m.authorUserId,
    requested_by_user_id: m.requestedByUserId,
    bot_id: m.botId,
    persona_id: m.personaId,
    author_name: m.authorName,
    message_type: m.messageType,
    content: m.content,
    reasoning_content: m.reasoningContent,
    is_ai_generated: m.isAiGenerated,
    provider: m.provider,
    model: m.model,
    input_tokens: m.inputTokens,
    output_tokens: m.outputTokens,
    total_tokens: m.totalTokens,
    token_count_source: m.tokenCountSource,
    processing_time_ms: m.processingTimeMs,
    first_token_ms: m.firstTokenMs,
    finish_reason: m.finishReason,
    reply_to_message_id: m.replyToMessageId,
    thread_depth: m.threadDepth,
    reply_count: m.replyCount,
    delivery_status: m.deliveryStatus,
    generation_status: m.generationStatus,
    error_code: m.errorCode,
    active_alternative_id: m.activeAlternativeId,
    alternative_count: m.alternativeCount,
    is_edited: m.editedAt !== null,
    edited_at: m.editedAt?.toISOString() ?? null,
    edit_count: m.editCount,
    sensitivity_level: m.sensitivityLevel,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    attachments: extras?.attachments ?? [],
    reactions: extras?.reactions ?? {},
    my_reactions: extras?.mine ?? [],
  };
  if (m.requestedByUserId !== null && m.requestedByUserId === actor.id) {
    dto.api_key_id = m.apiKeyId;
    dto.cost_estimate = m.costEstimate === null ? null : Number(m.costEstimate);
  }
  return dto;
}

export class MessagePageDto {
  items!: MessageResponseDto[];
  next_cursor!: string | null;
  has_more!: boolean;
}

/** One queued bot reply of a send; open `stream_path` (under /api/v1) to generate and stream it. */
export class ReplyPlaceholderDto {
  message_id!: string;
  alternative_id!: string;
  bot_id!: string;
  /** `/messages/{id}/stream`. */
  stream_path!: string;
}

export class SendMessageResponseDto {
  message!: MessageResponseDto;
  /** Queued bot replies, in reply order (empty for respond=none). */
  replies!: ReplyPlaceholderDto[];
  /** Self-moderation notices (wellbeing.md §3.3); left out when empty. */
  wellbeing?: WellbeingNoticeDto;
}

/** PATCH /messages/:id: the edited message; a user message's new text is scanned for crisis phrases. */
export class EditMessageResponseDto extends MessageResponseDto {
  /** Crisis notice (wellbeing.md §4.3) when the new text matches; left out otherwise. */
  wellbeing?: WellbeingNoticeDto;
}

export class ConversationPageDto {
  items!: ConversationResponseDto[];
  next_cursor!: string | null;
}

export class MessageEditResponseDto {
  id!: string;
  message_id!: string;
  previous_content!: string;
  edited_by_user_id!: string | null;
  edit_reason!: string | null;
  created_at!: string;
}

export function toMessageEditResponse(e: MessageEdit): MessageEditResponseDto {
  return {
    id: e.id,
    message_id: e.messageId,
    previous_content: e.previousContent,
    edited_by_user_id: e.editedByUserId,
    edit_reason: e.editReason,
    created_at: e.createdAt.toISOString(),
  };
}

export class MessageSearchHitDto {
  message_id!: string;
  conversation_id!: string;
  conversation_title!: string | null;
  seq!: number;
  author_kind!: AuthorKind;
  author_name!: string;
  bot_id!: string | null;
  message_type!: MessageType;
  created_at!: string;
  rank!: number;
  /** ts_headline over the HTML-escaped content; only `<mark>` is markup. */
  snippet!: string;
}

export class MessageSearchPageDto {
  items!: MessageSearchHitDto[];
  next_cursor!: string | null;
}

export class TruncateResultDto {
  /** Number of messages removed. */
  deleted!: number;
}
