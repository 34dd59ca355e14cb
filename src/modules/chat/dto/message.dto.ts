import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_PAGE_SIZE } from '../../../common/pagination/page-query.dto.js';
import { AuthorKind, MessageType } from '../chat.enums.js';
import { Max } from 'class-validator';

/** PostgreSQL text cannot hold NUL characters: reject them as a client error instead of failing in the database. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what is rejected
export const NO_NUL = /^[^\u0000]*$/;
const noNul = { message: '$property must not contain NUL characters' };

export const POSTABLE_MESSAGE_TYPES = [
  MessageType.Text,
  MessageType.Code,
  MessageType.Image,
  MessageType.File,
] as const;

export const RESPOND_MODES = ['auto', 'none', 'all'] as const;
export type RespondMode = (typeof RESPOND_MODES)[number];

export class SendMessageDto {
  /** Message text (markdown), ≤ 32 000 chars; text/code messages must not be blank. */
  @IsString() @MaxLength(32000) @Matches(NO_NUL, noNul) content!: string;
  /** text (default), code, image or file (image/file need attachments). */
  @ApiPropertyOptional({ enum: POSTABLE_MESSAGE_TYPES })
  @IsOptional()
  @IsIn(POSTABLE_MESSAGE_TYPES)
  message_type?: MessageType;
  /** One of the caller's personas to speak as. */
  @IsOptional() @IsUUID() persona_id?: string;
  /** A message of the same conversation this one replies to. */
  @IsOptional() @IsUUID() reply_to_message_id?: string;
  /** Up to 10 of your own uploaded files to attach, in display order (image/file messages need at least one). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  media_ids?: string[];
  /**
   * Who replies: auto (default; the primary bot, none in a group chat), none, or all active bots. `bot_ids` picks
   * active bots explicitly instead.
   */
  @ApiPropertyOptional({ enum: RESPOND_MODES })
  @IsOptional()
  @IsIn(RESPOND_MODES)
  respond?: RespondMode;
  /** Active bot participants that should reply, answered in reply order (primary, secondary, moderator). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  bot_ids?: string[];
  /** One of your API keys for the replies (default: the conversation's key, then your default key). */
  @IsOptional() @IsUUID() api_key_id?: string;
  /** Model id for the replies (default: the conversation's model, then the key's first preference). */
  @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL, noNul) model?: string;
}

export class EditMessageDto {
  /** New content. */
  @IsString() @MaxLength(32000) @Matches(NO_NUL, noNul) content!: string;
  /** Why it was edited. */
  @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL, noNul) edit_reason?: string;
}

export class ListMessagesDto {
  /** Page length 1–100 (default 50). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  /** Opaque cursor from `next_cursor`. */
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  /** older (default): messages before the cursor; newer: after it. */
  @ApiPropertyOptional({ enum: ['older', 'newer'] })
  @IsOptional()
  @IsIn(['older', 'newer'])
  direction?: 'older' | 'newer';
}

export const SEARCH_SORTS = ['recent', 'relevance'] as const;

export class SearchMessagesDto {
  /** Search words (websearch syntax: quotes, OR, -term), 1–200 chars. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  @Matches(NO_NUL, noNul)
  q!: string;
  /** Only this conversation. */
  @IsOptional() @IsUUID() conversation_id?: string;
  /** Only messages of this bot. */
  @IsOptional() @IsUUID() bot_id?: string;
  /** Only this message type. */
  @ApiPropertyOptional({ enum: MessageType, enumName: 'MessageType' })
  @IsOptional()
  @IsEnum(MessageType)
  message_type?: MessageType;
  /** Only this author kind. */
  @ApiPropertyOptional({ enum: AuthorKind, enumName: 'AuthorKind' })
  @IsOptional()
  @IsEnum(AuthorKind)
  author_kind?: AuthorKind;
  /** Created at or after (ISO 8601). */
  @IsOptional() @IsISO8601() from?: string;
  /** Created before (ISO 8601). */
  @IsOptional() @IsISO8601() to?: string;
  /** recent (default) or relevance. */
  @ApiPropertyOptional({ enum: SEARCH_SORTS })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: (typeof SEARCH_SORTS)[number];
  /** Page length 1–100 (default 20). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  /** Opaque cursor from `next_cursor`. */
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

export class TruncateMessagesDto {
  /** Delete every message with seq ≥ this value. */
  @Type(() => Number) @IsInt() @Min(1) from_seq!: number;
}
