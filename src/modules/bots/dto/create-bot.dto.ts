import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
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
  MinLength,
} from 'class-validator';
import { GrantLevel, ResourceVisibility } from '../../../common/access/access.enums.js';
import {
  BehaviorCreativity,
  BehaviorKnowledgeSharing,
  BehaviorResponseLength,
  TraitCommunication,
  TraitFormality,
  TraitHumor,
  TraitTone,
} from '../../../common/enums/character.enums.js';
import { CharacterTrait } from '../../../common/enums/character-trait.decorator.js';
import {
  BotBackroomsClass,
  BotClassification,
  BotDefinitionVisibility,
  BotForkKind,
  BotGender,
  BotVenue,
} from '../entities/bot.enums.js';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrimAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/** Fields of a bot the owner and editors may write (bots.md §1.4 "content fields"). */
export class BotContentDto {
  /** Name shown in the catalogue. @example "Captain Mira" */
  @Transform(trim) @IsString() @Length(1, 100) name!: string;
  /** Picture: an image you uploaded (or the one the bot already has). */
  @IsOptional() @IsUUID('all') picture_media_id?: string | null;
  /** Gender; null = unspecified. */
  @ApiPropertyOptional({ enum: BotGender, enumName: 'BotGender', nullable: true })
  @IsOptional()
  @IsEnum(BotGender)
  gender?: BotGender | null;
  /** Age in years (1–9999). */
  @IsOptional() @IsInt() @Min(1) @Max(9999) age?: number | null;
  /** Public blurb. */
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  /** Instructions sent to the model before every conversation (part of the hidden definition). */
  @IsString() @Length(1, 32000) system_prompt!: string;
  /** First message. */
  @IsOptional() @IsString() @MaxLength(10000) greeting?: string | null;
  /** Other first messages offered as swipes of the greeting (≤ 19). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(19)
  @IsString({ each: true })
  @MaxLength(10000, { each: true })
  alternate_greetings?: string[];
  /** Example lines (part of the hidden definition; ≤ 50). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  speech_examples?: string[];
  /** Catch phrases (≤ 20). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  signature_phrases?: string[];
  /** Tone trait. */
  @CharacterTrait(TraitTone, 'TraitTone') tone?: TraitTone | null;
  /** Formality trait. */
  @CharacterTrait(TraitFormality, 'TraitFormality') formality?: TraitFormality | null;
  /** Humour trait. */
  @CharacterTrait(TraitHumor, 'TraitHumor') humor?: TraitHumor | null;
  /** Communication style. */
  @CharacterTrait(TraitCommunication, 'TraitCommunication') communication?: TraitCommunication | null;
  /** Preferred reply length. */
  @CharacterTrait(BehaviorResponseLength, 'BehaviorResponseLength') response_length?: BehaviorResponseLength | null;
  /** Creativity. */
  @CharacterTrait(BehaviorCreativity, 'BehaviorCreativity') creativity?: BehaviorCreativity | null;
  /** How freely the bot shares knowledge. */
  @CharacterTrait(BehaviorKnowledgeSharing, 'BehaviorKnowledgeSharing')
  knowledge_sharing?: BehaviorKnowledgeSharing | null;
  /** Tags (≤ 20, each 1–40 characters; stored lower-case, distinct). */
  @IsOptional()
  @Transform(lowerTrimAll)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  @ArrayUnique()
  tags?: string[];
  /** Classifications (≤ 10, distinct). */
  @ApiPropertyOptional({ enum: BotClassification, enumName: 'BotClassification', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsEnum(BotClassification, { each: true })
  @ArrayUnique()
  classifications?: BotClassification[];
  /** Which site lists it. */
  @ApiPropertyOptional({ enum: BotVenue, enumName: 'BotVenue' })
  @IsOptional()
  @IsEnum(BotVenue)
  venue?: BotVenue;
  /** Backrooms classifications (only when venue is not main). */
  @ApiPropertyOptional({ enum: BotBackroomsClass, enumName: 'BotBackroomsClass', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsEnum(BotBackroomsClass, { each: true })
  @ArrayUnique()
  backrooms_classifications?: BotBackroomsClass[];
}

/** A new bot: content fields plus the owner's settings (bots.md §1.2). */
export class CreateBotDto extends BotContentDto {
  /** URL slug, unique per creator (default: derived from the name). @example "captain-mira" */
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case words joined by hyphens' })
  slug?: string;
  /** Who may read it (default private; public needs a verified email). */
  @ApiPropertyOptional({ enum: ResourceVisibility, enumName: 'ResourceVisibility' })
  @IsOptional()
  @IsEnum(ResourceVisibility)
  visibility?: ResourceVisibility;
  /** Who may read system_prompt and speech_examples. */
  @ApiPropertyOptional({ enum: BotDefinitionVisibility, enumName: 'BotDefinitionVisibility' })
  @IsOptional()
  @IsEnum(BotDefinitionVisibility)
  definition_visibility?: BotDefinitionVisibility;
  /** Readers may make a private copy (needs definition_visibility=viewers). */
  @IsOptional() @IsBoolean() allow_copying?: boolean;
  /** Copies may be published (needs allow_copying). */
  @IsOptional() @IsBoolean() allow_remixing?: boolean;
  /** Copies carry a fixed attribution. */
  @IsOptional() @IsBoolean() require_attribution?: boolean;
  /** After this time all grants on the bot stop working. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  share_expires_at?: Date | null;
  /** false ⇒ only view grants. */
  @IsOptional() @IsBoolean() allow_collaboration?: boolean;
  /** Level of new grants when the request omits it. */
  @ApiPropertyOptional({ enum: GrantLevel, enumName: 'GrantLevel' })
  @IsOptional()
  @IsEnum(GrantLevel)
  default_collaborator_level?: GrantLevel;
  /** Cap on active edit/manage grants (1–50). */
  @IsOptional() @IsInt() @Min(1) @Max(50) max_collaborators?: number;
}

/** Partial update; owner-only fields by anyone else → 403 naming the field. */
export class UpdateBotDto extends PartialType(CreateBotDto) {}

/** Field names of BotOwnerSettingsDto, for the field-level rule of PATCH. */
export const OWNER_ONLY_FIELDS = [
  'slug',
  'visibility',
  'definition_visibility',
  'allow_copying',
  'allow_remixing',
  'require_attribution',
  'share_expires_at',
  'allow_collaboration',
  'default_collaborator_level',
  'max_collaborators',
] as const;

export class CopyBotDto {
  /** copy (private forever) or remix (may be published; needs allow_remixing). */
  @ApiProperty({ enum: BotForkKind, enumName: 'BotForkKind' })
  @IsEnum(BotForkKind)
  kind!: BotForkKind;
  /** Name of the new bot (default: the source's name). */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 100) name?: string;
  /** Slug of the new bot (default: derived from the name). */
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case words joined by hyphens' })
  slug?: string;
}

export class FeatureBotDto {
  /** Why it is featured (shown to staff). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}

export class ModerateBotDto {
  /** visible, or hidden (taken down). */
  @ApiProperty({ enum: ['visible', 'hidden'], enumName: 'ModerationStatus' })
  @IsIn(['visible', 'hidden'])
  status!: 'visible' | 'hidden';
  /** Reason shown to the owner (required when hiding). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}
