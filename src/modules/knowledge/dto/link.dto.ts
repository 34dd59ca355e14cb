import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import {
  KnowledgeActivationMethod,
  KnowledgeDepthRole,
  KnowledgeExclusionReason,
  KnowledgePosition,
} from '../knowledge.enums.js';
import { CollectionResponseDto } from './collection-response.dto.js';

export class UpsertLinkDto {
  /** Pause the link without removing it (default true). */
  @IsOptional() @IsBoolean() enabled?: boolean;
}

export class LinkResponseDto {
  /** Collection id. */
  collection_id!: string;
  /** The collection, as the caller may see it. */
  collection!: CollectionResponseDto;
  /** Link enabled. */
  enabled!: boolean;
  /** Editors of the bot only: false when the bot owner can no longer read the collection (its lore is skipped). */
  active?: boolean;
  /** When it was linked. */
  created_at!: Date;
}

export class LinkListDto {
  /** Links to collections the caller can read. */
  items!: LinkResponseDto[];
  /** Links to collections the caller cannot read. */
  other_count!: number;
}

export class PreviewEntryDto {
  /** true when the caller cannot read this entry: every other field is then absent. */
  hidden?: boolean;
  /** Entry id. */
  entry_id?: string;
  /** Collection id. */
  collection_id?: string;
  /** Title. */
  title?: string | null;
  /** Placement. */
  @ApiProperty({ enum: KnowledgePosition, enumName: 'KnowledgePosition', required: false })
  position?: KnowledgePosition;
  /** Depth for at_depth. */
  depth?: number;
  /** Role for at_depth. */
  @ApiProperty({ enum: KnowledgeDepthRole, enumName: 'KnowledgeDepthRole', required: false })
  depth_role?: KnowledgeDepthRole;
  /** Insertion order. */
  insertion_order?: number;
  /** How it activated. */
  @ApiProperty({
    enum: KnowledgeActivationMethod,
    enumName: 'KnowledgeActivationMethod',
    required: false,
    nullable: true,
  })
  method?: KnowledgeActivationMethod | null;
  /** Score. */
  score?: number;
  /** Matched keys. */
  matched_keywords?: string[];
  /** Similarity (vector only). */
  similarity?: number | null;
  /** Tokens it costs when injected. */
  tokens?: number;
  /** Content as injected (cut to max_tokens, {{char}}/{{user}} replaced). */
  content?: string;
  /** Why it was dropped (excluded list only). */
  @ApiProperty({
    enum: [...Object.values(KnowledgeExclusionReason), 'filter_excluded', 'delay_not_met'],
    required: false,
  })
  reason?: string;
}

export class PreviewLinkDto {
  /** Collection id. */
  collection_id!: string;
  /** Link enabled. */
  enabled!: boolean;
  /** false when the bot owner cannot read the collection any more. */
  active!: boolean;
  /** true when the caller cannot read the collection. */
  hidden!: boolean;
}

export class ActivationPreviewResponseDto {
  /** Included entries, insertion_order desc. */
  included!: PreviewEntryDto[];
  /** Included entries grouped by position. */
  positions!: Record<string, PreviewEntryDto[]>;
  /** Dropped entries with their reason. */
  excluded!: PreviewEntryDto[];
  /** Tokens of the included entries. */
  tokens_used!: number;
  /** The budget applied. */
  budget_tokens!: number;
  /** Recursion passes run. */
  recursion_passes!: number;
  /** The message seq simulated. */
  message_seq!: number;
  /** The bot's links and whether each counts. */
  links!: PreviewLinkDto[];
}

export class ActivationLogQueryDto {
  /** Only rows of this reply. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) message_seq?: number;
}

export class ActivationLogDto {
  /** Row id. */
  id!: string;
  /** Reply seq. */
  message_seq!: number;
  /** Entry id. */
  entry_id!: string;
  /** Bot id. */
  bot_id!: string | null;
  /** How it activated. */
  @ApiProperty({ enum: KnowledgeActivationMethod, enumName: 'KnowledgeActivationMethod' })
  method!: KnowledgeActivationMethod;
  /** Score. */
  score!: number;
  /** Matched keys. */
  matched_keywords!: string[];
  /** Similarity (vector only). */
  similarity!: number | null;
  /** Placement. */
  @ApiProperty({ enum: KnowledgePosition, enumName: 'KnowledgePosition' }) position!: KnowledgePosition;
  /** Tokens. */
  tokens_used!: number;
  /** Included in the prompt. */
  was_included!: boolean;
  /** Why not. */
  @ApiProperty({ enum: KnowledgeExclusionReason, enumName: 'KnowledgeExclusionReason', nullable: true })
  exclusion_reason!: KnowledgeExclusionReason | null;
  /** When. */
  created_at!: Date;
}
