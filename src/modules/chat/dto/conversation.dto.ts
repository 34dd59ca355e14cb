import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { NO_NUL } from './message.dto.js';
import { ConversationStatus, ConversationType } from '../chat.enums.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTags = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)))] : value;

export class CreateConversationDto {
  /** 1–8 distinct bots the caller may chat with; the first is the primary bot. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(8) @ArrayUnique() @IsUUID('all', { each: true }) bot_ids!: string[];
  /** One of the caller's personas to chat as. */
  @IsOptional() @IsUUID() persona_id?: string;
  /** Title (1–200 chars after trimming); null → client shows bot names. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL) title?: string;
  /** Explicit type; default from the bot count. */
  @ApiPropertyOptional({ enum: ConversationType, enumName: 'ConversationType' })
  @IsOptional()
  @IsEnum(ConversationType)
  conversation_type?: ConversationType;
  /** One of the caller's API keys to remember for generation. */
  @IsOptional() @IsUUID() api_key_id?: string;
  /** Model id to remember for generation. */
  @IsOptional() @IsString() @Length(1, 200) model?: string;
}

export class UpdateConversationDto {
  /** New title; null clears it. */
  @Transform(trim)
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 200)
  @Matches(NO_NUL)
  title?: string | null;
  /** active, archived, muted or pinned. */
  @ApiPropertyOptional({ enum: ConversationStatus, enumName: 'ConversationStatus' })
  @IsOptional()
  @IsEnum(ConversationStatus)
  status?: ConversationStatus;
  /** Type; must agree with the participants. */
  @ApiPropertyOptional({ enum: ConversationType, enumName: 'ConversationType' })
  @IsOptional()
  @IsEnum(ConversationType)
  conversation_type?: ConversationType;
  /** The owner's persona to use; null → none. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() persona_id?: string | null;
  /** The owner's API key to remember; null → none. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() api_key_id?: string | null;
  /** Remembered model id; null → none. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 200) model?: string | null;
  /** Sampling temperature 0–2; null → 0.7. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(2)
  temperature?: number | null;
  /** Output token cap 1–32768; null → model default. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(32768) max_output_tokens?: number | null;
  /** Owner's labels (≤ 20, each 1–40 chars, lower-cased, distinct). */
  @Transform(lowerTags)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  @Matches(NO_NUL, { each: true })
  tags?: string[];
  /** Whether attachments are allowed. */
  @IsOptional() @IsBoolean() allow_file_sharing?: boolean;
  /** Delete messages older than this many days (1–3650); null keeps them. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(3650) message_retention_days?: number | null;
  /** Automatic memory extraction on/off. */
  @IsOptional() @IsBoolean() memory_enabled?: boolean;
}

export const CONVERSATION_STATUS_FILTERS = ['active', 'archived', 'muted', 'pinned', 'all'] as const;

export class ListConversationsDto extends PageQueryDto {
  /** Status filter; default = every status but archived. */
  @ApiPropertyOptional({ enum: CONVERSATION_STATUS_FILTERS })
  @IsOptional()
  @IsIn(CONVERSATION_STATUS_FILTERS)
  status?: (typeof CONVERSATION_STATUS_FILTERS)[number];
  /** Only conversations with this bot as a participant. */
  @IsOptional() @IsUUID() bot_id?: string;
  /** Only conversations with this tag. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsOptional()
  @IsString()
  @Length(1, 40)
  @Matches(NO_NUL)
  tag?: string;
  /** Title contains this text (case-insensitive). */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL) q?: string;
}

export class DeleteConversationQueryDto {
  /** Also delete the memories that came from this conversation (default: they stay, unlinked). */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  purge_memories?: boolean;
}

export class MarkReadDto {
  /** Highest seq the caller has read. */
  @Type(() => Number) @IsInt() @Min(0) seq!: number;
}
