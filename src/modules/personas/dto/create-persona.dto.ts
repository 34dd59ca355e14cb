import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
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
import { Pronouns } from '../../identity/entities/user.entity.js';
import { MAX_DETAIL_SECTIONS } from '../entities/persona-detail-section.entity.js';
import { PersonaGender, PersonaVisualTheme } from '../entities/persona.enums.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Trims each element; lower-cases too when `lower`. Non-arrays pass through for the validators to refuse. */
const trimEach =
  (lower = false) =>
  ({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? (lower ? v.trim().toLowerCase() : v.trim()) : v))
      : value;

/** One labelled section of a persona's additional details. */
export class PersonaDetailSectionInputDto {
  /** Section heading, 1–100 characters. @example "Occupation" */
  @Transform(trim) @IsString() @Length(1, 100) label!: string;
  /** Section text, 1–5000 characters. {{user}}/{{char}} are stored verbatim. */
  @IsString() @Length(1, 5000) content!: string;
}

export class CreatePersonaDto {
  /** What bots call the user (1–100). {{user}}/{{char}} macros are stored verbatim. @example "Captain Ash" */
  @Transform(trim) @IsString() @Length(1, 100) name!: string;
  /** Short description, 1–500 characters. */
  @Transform(trim) @IsString() @Length(1, 500) description!: string;
  @ApiPropertyOptional({ enum: PersonaGender, enumName: 'PersonaGender', nullable: true })
  @IsOptional()
  @IsEnum(PersonaGender)
  gender?: PersonaGender | null;
  /** Age, 1–150. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(150) age?: number | null;
  @ApiPropertyOptional({ enum: Pronouns, enumName: 'Pronouns', nullable: true })
  @IsOptional()
  @IsEnum(Pronouns)
  pronouns?: Pronouns | null;
  /** Required when pronouns = other, refused otherwise; 1–50 characters. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 50) custom_pronouns?: string | null;
  /** An image you uploaded (POST /media), or null to clear. */
  @IsOptional() @IsUUID() avatar_media_id?: string | null;
  @ApiPropertyOptional({ enum: PersonaVisualTheme, enumName: 'PersonaVisualTheme', nullable: true })
  @IsOptional()
  @IsEnum(PersonaVisualTheme)
  visual_theme?: PersonaVisualTheme | null;
  /** Free-form colour scheme, ≤ 50 characters. @example "teal and gold" */
  @Transform(trim) @IsOptional() @IsString() @MaxLength(50) color_scheme?: string | null;
  /** What the persona looks like, ≤ 5000 characters. */
  @IsOptional() @IsString() @MaxLength(5000) appearance_description?: string | null;
  /** Personality in free text, ≤ 5000 characters. */
  @IsOptional() @IsString() @MaxLength(5000) personality?: string | null;
  /** Backstory, ≤ 5000 characters. */
  @IsOptional() @IsString() @MaxLength(5000) backstory?: string | null;
  @CharacterTrait(TraitTone, 'TraitTone') tone?: TraitTone | null;
  @CharacterTrait(TraitFormality, 'TraitFormality') formality?: TraitFormality | null;
  @CharacterTrait(TraitHumor, 'TraitHumor') humor?: TraitHumor | null;
  @CharacterTrait(TraitCommunication, 'TraitCommunication') communication?: TraitCommunication | null;
  @CharacterTrait(BehaviorResponseLength, 'BehaviorResponseLength') response_length?: BehaviorResponseLength | null;
  @CharacterTrait(BehaviorCreativity, 'BehaviorCreativity') creativity?: BehaviorCreativity | null;
  @CharacterTrait(BehaviorKnowledgeSharing, 'BehaviorKnowledgeSharing')
  knowledge_sharing?: BehaviorKnowledgeSharing | null;
  /** Topics the user likes, ≤ 20, each 1–100 characters. */
  @Transform(trimEach())
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  preferred_topics?: string[];
  /** Topics to avoid, ≤ 20, each 1–100 characters. */
  @Transform(trimEach())
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  avoid_topics?: string[];
  /** How the user likes to open a conversation, ≤ 200 characters. */
  @Transform(trim) @IsOptional() @IsString() @MaxLength(200) conversation_starter?: string | null;
  /** Phrases the persona often uses, ≤ 20, each 1–100 characters. */
  @Transform(trimEach())
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  signature_phrases?: string[];
  /** Private instructions injected into the system prompt, ≤ 5000; never shown to others. */
  @IsOptional() @IsString() @MaxLength(5000) custom_instructions?: string | null;
  /** Tags, ≤ 20, each 1–40 characters, stored lower-case. */
  @Transform(trimEach(true))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  @Matches(/^[^,\s][^,]*$/, { each: true, message: 'tags must not contain commas' })
  tags?: string[];
  /** Make this your default persona (unsets the previous default). */
  @IsOptional() @IsBoolean() is_default?: boolean;
  /** Publish as a browsable template others can copy. */
  @IsOptional() @IsBoolean() is_public?: boolean;
  /** Additional details, ≤ 20 sections in order; on PATCH the whole list is replaced. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DETAIL_SECTIONS)
  @ValidateNested({ each: true })
  @Type(() => PersonaDetailSectionInputDto)
  detail_sections?: PersonaDetailSectionInputDto[];
}
