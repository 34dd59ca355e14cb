import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { MemoryOrigin, MemoryType } from '../memories.enums.js';
import type { Memory } from '../entities/memory.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** PostgreSQL text cannot hold NUL characters: a client error, not a database failure. */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what is rejected
const NO_NUL = /^[^\u0000]*$/;
/** Types a client may set; `consolidated` is written by the consolidation job only. */
const SETTABLE_TYPES = [MemoryType.ShortTerm, MemoryType.LongTerm] as const;

export class CreateMemoryDto {
  /** The fact to remember (1–4000 characters after trimming). */
  @Transform(trim) @IsString() @Length(1, 4000) @Matches(NO_NUL) content!: string;
  /** Bots this memory belongs to (at least one; each must be a bot you can read). */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ArrayUnique() @IsUUID('all', { each: true }) bot_ids!: string[];
  /** Your personas this memory belongs to. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsUUID('all', { each: true }) persona_ids?: string[];
  /** One of your conversations this memory comes from. */
  @IsOptional() @IsUUID('all') conversation_id?: string;
  /** 1 (trivial) – 10 (essential); default 5. */
  @IsOptional() @IsInt() @Min(1) @Max(10) importance?: number;
  /** Emotions around the memory, e.g. `joy, nostalgia` (≤ 300 characters). */
  @Transform(trim) @IsOptional() @IsString() @MaxLength(300) @Matches(NO_NUL) emotional_context?: string | null;
  /** short_term (default) or long_term (confirmed, never consolidated). */
  @ApiPropertyOptional({ enum: SETTABLE_TYPES, enumName: 'MemorySettableType' })
  @IsOptional()
  @IsIn(SETTABLE_TYPES)
  type?: MemoryType;
}

/** Content or importance changes make the memory long_term unless `type` is given. Links are replaced whole. */
export class UpdateMemoryDto extends PartialType(OmitType(CreateMemoryDto, ['conversation_id'] as const)) {}

export class ListMemoriesDto extends PageQueryDto {
  /** Memories linked to this bot. */
  @IsOptional() @IsUUID('all') bot_id?: string;
  /** Memories linked to this persona. */
  @IsOptional() @IsUUID('all') persona_id?: string;
  /** Memories from this conversation. */
  @IsOptional() @IsUUID('all') conversation_id?: string;
  /** short_term, long_term or consolidated. */
  @ApiPropertyOptional({ enum: MemoryType, enumName: 'MemoryType' })
  @IsOptional()
  @IsIn(Object.values(MemoryType))
  type?: MemoryType;
  /** Only memories at least this important (1–10). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10) min_importance?: number;
  /** Full-text search over content and emotions (english stemming). */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL) q?: string;
}

export class ConvertMemoryDto {
  /** One of your knowledge collections; default: your `memories` collection (created when missing). */
  @IsOptional() @IsUUID('all') knowledge_collection_id?: string;
  /** Entry title (≤ 200 characters); default: the start of the memory. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 200) @Matches(NO_NUL) title?: string;
}

export class ConsolidateMemoriesDto {
  /** Only memories linked to this bot. */
  @IsOptional() @IsUUID('all') bot_id?: string;
}

export class MemoryResponseDto {
  id!: string;
  conversation_id!: string | null;
  @ApiProperty({ enum: MemoryType, enumName: 'MemoryType' }) type!: MemoryType;
  @ApiProperty({ enum: MemoryOrigin, enumName: 'MemoryOrigin' }) origin!: MemoryOrigin;
  content!: string;
  importance!: number;
  emotional_context!: string | null;
  /** ceil(characters / 4). */
  token_count!: number;
  /** Message range (seq) the memory summarises. */
  source_from_seq!: number | null;
  source_to_seq!: number | null;
  /** The consolidated memory this one was merged into. */
  superseded_by_id!: string | null;
  /** The knowledge entry created by convert-to-knowledge. */
  knowledge_entry_id!: string | null;
  converted_at!: string | null;
  /** Times injected into a prompt. */
  use_count!: number;
  last_used_at!: string | null;
  bot_ids!: string[];
  persona_ids!: string[];
  created_at!: string;
  updated_at!: string;
}

export class MemoryPageDto {
  items!: MemoryResponseDto[];
  next_cursor!: string | null;
}

export class ConvertMemoryResponseDto {
  memory!: MemoryResponseDto;
  knowledge_entry_id!: string;
  knowledge_collection_id!: string;
}

export class MemoryJobAcceptedDto {
  /** Deterministic id of the queued job (duplicates collapse). */
  job_id!: string;
  /** Extraction only: the conversation and the message range queued. */
  conversation_id?: string;
  from_seq?: number;
  to_seq?: number;
}

export function toMemoryResponse(m: Memory, botIds: string[], personaIds: string[]): MemoryResponseDto {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    type: m.type,
    origin: m.origin,
    content: m.content,
    importance: m.importance,
    emotional_context: m.emotionalContext,
    token_count: m.tokenCount,
    source_from_seq: m.sourceFromSeq,
    source_to_seq: m.sourceToSeq,
    superseded_by_id: m.supersededById,
    knowledge_entry_id: m.knowledgeEntryId,
    converted_at: m.convertedAt?.toISOString() ?? null,
    use_count: m.useCount,
    last_used_at: m.lastUsedAt?.toISOString() ?? null,
    bot_ids: botIds,
    persona_ids: personaIds,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}
