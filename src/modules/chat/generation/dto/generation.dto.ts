import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { WellbeingNoticeDto } from '../../../wellbeing/self-moderation/dto/wellbeing-notice.dto.js';
import { NO_NUL } from '../../dto/message.dto.js';

export class RegenerateMessageDto {
  /** One of your API keys (default: the conversation's key, then your default key). */
  @IsOptional() @IsUUID() api_key_id?: string;
  /** Model id (default: the conversation's model, then the key's first preference). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NO_NUL, { message: '$property must not contain NUL characters' })
  model?: string;
}

/** 202 of POST /messages/:id/regenerate: the queued alternative and where to stream it. */
export class RegenerateResponseDto {
  message_id!: string;
  alternative_id!: string;
  /** `/messages/{id}/stream` (under /api/v1). */
  stream_path!: string;
  /** Self-moderation notices (wellbeing.md §3.3); left out when empty. */
  wellbeing?: WellbeingNoticeDto;
}
