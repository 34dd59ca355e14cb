import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import {
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgeEntryVisibility,
  KnowledgeFilterMode,
  KnowledgeKeywordLogic,
  KnowledgePosition,
  KnowledgeType,
} from '../knowledge.enums.js';
import { BCP47, normaliseTags, trimOrNull } from './collection.dto.js';

export class BotFilterDto {
  /** A bot the editor can read. */
  @IsUUID('all') bot_id!: string;
  /** allow or exclude. */
  @ApiProperty({ enum: KnowledgeFilterMode, enumName: 'KnowledgeFilterMode' })
  @IsEnum(KnowledgeFilterMode)
  mode!: KnowledgeFilterMode;
}

export class PersonaFilterDto {
  /** One of the editor's own personas. */
  @IsUUID('all') persona_id!: string;
  /** allow or exclude. */
  @ApiProperty({ enum: KnowledgeFilterMode, enumName: 'KnowledgeFilterMode' })
  @IsEnum(KnowledgeFilterMode)
  mode!: KnowledgeFilterMode;
}

const trimKeys = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((k) => (typeof k === 'string' ? k.trim() : k)) : value;

/** Content and activation fields of an entry (knowledge.md §2.1–2.2); every activation field has its default. */
export class CreateEntryDto {
  /** Title (a world book's "comment"). */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(200) title?: string | null;
  /** text, document, url, image, audio or video. */
  @ApiPropertyOptional({ enum: KnowledgeType, enumName: 'KnowledgeType' })
  @IsOptional()
  @IsEnum(KnowledgeType)
  type?: KnowledgeType;
  /** The lore text (1–32000 characters). */
  @IsString() @Length(1, 32000) content!: string;
  /** http(s) source; required when type is url. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  source_url?: string | null;
  /** An uploaded document or image of the caller. */
  @IsOptional() @IsUUID('all') source_media_id?: string | null;
  /** Author of the source. */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(200) source_author?: string | null;
  /** BCP 47 language. */
  @IsOptional() @IsString() @MaxLength(35) @Matches(BCP47, { message: 'language must be a BCP 47 tag' }) language?:
    string | null;
  /** inherit (readers of the collection) or editors_only (hidden from viewers; still activates in chats). */
  @ApiPropertyOptional({ enum: KnowledgeEntryVisibility, enumName: 'KnowledgeEntryVisibility' })
  @IsOptional()
  @IsEnum(KnowledgeEntryVisibility)
  visibility?: KnowledgeEntryVisibility;
  /** Up to 20 tags of ≤40 characters. */
  @IsOptional()
  @Transform(normaliseTags)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];

  /** keyword, vector (default), hybrid, constant or disabled. */
  @ApiPropertyOptional({ enum: KnowledgeActivationMode, enumName: 'KnowledgeActivationMode' })
  @IsOptional()
  @IsEnum(KnowledgeActivationMode)
  activation_mode?: KnowledgeActivationMode;
  /** Primary keys (≤50, each 1–200); required for keyword and hybrid. Regex keys: `/body/flags` or a plain body. */
  @IsOptional()
  @Transform(trimKeys)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  primary_keys?: string[];
  /** Secondary keys (≤50), combined by keyword_logic. */
  @IsOptional()
  @Transform(trimKeys)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  secondary_keys?: string[];
  /** and_any (default), and_all, not_any, not_all. */
  @ApiPropertyOptional({ enum: KnowledgeKeywordLogic, enumName: 'KnowledgeKeywordLogic' })
  @IsOptional()
  @IsEnum(KnowledgeKeywordLogic)
  keyword_logic?: KnowledgeKeywordLogic;
  /** Keys match case-sensitively (default false). */
  @IsOptional() @IsBoolean() case_sensitive?: boolean;
  /** Plain keys must be bounded by non-word characters (default false). */
  @IsOptional() @IsBoolean() match_whole_words?: boolean;
  /** Keys are RE2 regular expressions (default false). */
  @IsOptional() @IsBoolean() use_regex?: boolean;
  /** Messages scanned for keys (1–20, default 2). */
  @IsOptional() @IsInt() @Min(1) @Max(20) scan_depth?: number;
  /** Scan user messages (default true). */
  @IsOptional() @IsBoolean() match_user_messages?: boolean;
  /** Scan bot messages (default true). */
  @IsOptional() @IsBoolean() match_bot_messages?: boolean;
  /** Also scan the bot's system prompt. */
  @IsOptional() @IsBoolean() match_system_prompt?: boolean;
  /** Also scan the bot's description. */
  @IsOptional() @IsBoolean() match_bot_description?: boolean;
  /** Also scan the bot's personality traits. */
  @IsOptional() @IsBoolean() match_bot_personality?: boolean;
  /** Also scan the persona's description. */
  @IsOptional() @IsBoolean() match_persona_description?: boolean;
  /** Minimum similarity (0–1, default 0.4). */
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1) vector_threshold?: number;
  /** Results asked from the vector backend (1–20, default 5). */
  @IsOptional() @IsInt() @Min(1) @Max(20) max_vector_results?: number;
  /** Roll `probability` before including (default false). */
  @IsOptional() @IsBoolean() use_probability?: boolean;
  /** Chance in percent (0–100, default 100). */
  @IsOptional() @IsInt() @Min(0) @Max(100) probability?: number;
  /** Where it is injected (default before_character). */
  @ApiPropertyOptional({ enum: KnowledgePosition, enumName: 'KnowledgePosition' })
  @IsOptional()
  @IsEnum(KnowledgePosition)
  position?: KnowledgePosition;
  /** For at_depth: messages from the end (0–100, default 0). */
  @IsOptional() @IsInt() @Min(0) @Max(100) depth?: number;
  /** For at_depth: role of the inserted message (default system). */
  @ApiPropertyOptional({ enum: KnowledgeDepthRole, enumName: 'KnowledgeDepthRole' })
  @IsOptional()
  @IsEnum(KnowledgeDepthRole)
  depth_role?: KnowledgeDepthRole;
  /** 0–1000, higher goes first (default 100). */
  @IsOptional() @IsInt() @Min(0) @Max(1000) insertion_order?: number;
  /** Stays active this many messages after triggering (0–50). */
  @IsOptional() @IsInt() @Min(0) @Max(50) sticky?: number;
  /** Cannot trigger for this many messages after its sticky window (0–50). */
  @IsOptional() @IsInt() @Min(0) @Max(50) cooldown?: number;
  /** Activates only from this message seq on (0–100). */
  @IsOptional() @IsInt() @Min(0) @Max(100) delay?: number;
  /** Apply bot_filters. */
  @IsOptional() @IsBoolean() filter_by_bots?: boolean;
  /** Apply persona_filters. */
  @IsOptional() @IsBoolean() filter_by_personas?: boolean;
  /** Entries sharing a group compete; one wins. */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(100) inclusion_group?: string | null;
  /** Weight in the group draw (1–1000, default 100). */
  @IsOptional() @IsInt() @Min(1) @Max(1000) group_weight?: number;
  /** Group winner by insertion_order instead of a weighted draw. */
  @IsOptional() @IsBoolean() group_prioritize?: boolean;
  /** Cannot be triggered by other entries' text. */
  @IsOptional() @IsBoolean() exclude_recursion?: boolean;
  /** Its text does not trigger other entries. */
  @IsOptional() @IsBoolean() prevent_recursion?: boolean;
  /** Only activates in a recursion pass. */
  @IsOptional() @IsBoolean() delay_until_recursion?: boolean;
  /** Always included, outside the budget. */
  @IsOptional() @IsBoolean() ignore_budget?: boolean;
  /** Content is cut to this many tokens when injected (0–8000, default 1000; 0 = no cap). */
  @IsOptional() @IsInt() @Min(0) @Max(8000) max_tokens?: number;

  /** Bot filters (replace-all). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BotFilterDto)
  bot_filters?: BotFilterDto[];
  /** Persona filters (replace-all). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PersonaFilterDto)
  persona_filters?: PersonaFilterDto[];
}

export class UpdateEntryDto extends PartialType(CreateEntryDto) {
  /** Move the entry to another collection (needs edit on both). */
  @IsOptional() @IsUUID('all') collection_id?: string;
}

export class ListEntriesQueryDto extends PageQueryDto {
  /** Full-text query over title and content. */
  @IsOptional() @IsString() @MaxLength(200) q?: string;
  /** Only entries with this tag. */
  @IsOptional() @IsString() @MaxLength(40) tag?: string;
  /** Only entries of this activation mode. */
  @ApiPropertyOptional({ enum: KnowledgeActivationMode, enumName: 'KnowledgeActivationMode' })
  @IsOptional()
  @IsEnum(KnowledgeActivationMode)
  activation_mode?: KnowledgeActivationMode;
  /** order (insertion_order desc, default), recent, title. */
  @ApiPropertyOptional({ enum: ['order', 'recent', 'title'] })
  @IsOptional()
  @IsIn(['order', 'recent', 'title'])
  sort?: 'order' | 'recent' | 'title';
}

/** A message given to the activation preview. */
export class PreviewMessageDto {
  /** user, bot or system. */
  @ApiProperty({ enum: ['user', 'bot', 'system'] }) @IsIn(['user', 'bot', 'system']) role!: 'user' | 'bot' | 'system';
  /** The message text. */
  @IsString() @MaxLength(32000) text!: string;
}

export class ActivationPreviewDto {
  /** Recent messages, oldest first (≤20). */
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PreviewMessageDto)
  messages!: PreviewMessageDto[];
  /** Persona of the simulated chat (one of the caller's). */
  @IsOptional() @IsUUID('all') persona_id?: string;
  /** Seq of the simulated reply (default: messages + 1). */
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000) message_seq?: number;
  /** Token budget (default from KNOWLEDGE_BUDGET_PERCENT / KNOWLEDGE_BUDGET_CAP). */
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) budget_tokens?: number;
}
