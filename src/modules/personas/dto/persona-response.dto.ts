import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ModerationStatus } from '../../../common/access/access.enums.js';
import {
  BehaviorCreativity,
  BehaviorKnowledgeSharing,
  BehaviorResponseLength,
  TraitCommunication,
  TraitFormality,
  TraitHumor,
  TraitTone,
} from '../../../common/enums/character.enums.js';
import { toUserCard, UserCardDto } from '../../identity/dto/user-response.dto.js';
import { Pronouns, type User } from '../../identity/entities/user.entity.js';
import { mediaContentUrl } from '../../media/media-url.js';
import type { PersonaDetailSection } from '../entities/persona-detail-section.entity.js';
import type { Persona } from '../entities/persona.entity.js';
import { PersonaGender, PersonaVisualTheme } from '../entities/persona.enums.js';

export class PersonaDetailSectionDto {
  /** 0-based order. */
  position!: number;
  /** Heading. */
  label!: string;
  /** Text. */
  content!: string;
}

/** A persona. `custom_instructions`, `usage_count`, `last_used_at` and `moderation_reason` are owner/admin only. */
export class PersonaResponseDto {
  /** Persona id. */
  id!: string;
  /** The owner's user card. */
  owner!: UserCardDto;
  /** What bots call the user. */
  name!: string;
  /** Short description. */
  description!: string;
  @ApiProperty({ enum: PersonaGender, enumName: 'PersonaGender', nullable: true }) gender!: PersonaGender | null;
  /** Age. */
  age!: number | null;
  @ApiProperty({ enum: Pronouns, enumName: 'Pronouns', nullable: true }) pronouns!: Pronouns | null;
  /** Set when pronouns = other. */
  custom_pronouns!: string | null;
  /** Avatar image id. */
  avatar_media_id!: string | null;
  /** Avatar image URL. */
  avatar_url!: string | null;
  @ApiProperty({ enum: PersonaVisualTheme, enumName: 'PersonaVisualTheme', nullable: true })
  visual_theme!: PersonaVisualTheme | null;
  /** Colour scheme. */
  color_scheme!: string | null;
  /** Appearance. */
  appearance_description!: string | null;
  /** Personality. */
  personality!: string | null;
  /** Backstory. */
  backstory!: string | null;
  @ApiProperty({ enum: TraitTone, enumName: 'TraitTone', nullable: true }) tone!: TraitTone | null;
  @ApiProperty({ enum: TraitFormality, enumName: 'TraitFormality', nullable: true })
  formality!: TraitFormality | null;
  @ApiProperty({ enum: TraitHumor, enumName: 'TraitHumor', nullable: true }) humor!: TraitHumor | null;
  @ApiProperty({ enum: TraitCommunication, enumName: 'TraitCommunication', nullable: true })
  communication!: TraitCommunication | null;
  @ApiProperty({ enum: BehaviorResponseLength, enumName: 'BehaviorResponseLength', nullable: true })
  response_length!: BehaviorResponseLength | null;
  @ApiProperty({ enum: BehaviorCreativity, enumName: 'BehaviorCreativity', nullable: true })
  creativity!: BehaviorCreativity | null;
  @ApiProperty({ enum: BehaviorKnowledgeSharing, enumName: 'BehaviorKnowledgeSharing', nullable: true })
  knowledge_sharing!: BehaviorKnowledgeSharing | null;
  /** Preferred topics. */
  preferred_topics!: string[];
  /** Topics to avoid. */
  avoid_topics!: string[];
  /** Conversation starter. */
  conversation_starter!: string | null;
  /** Signature phrases. */
  signature_phrases!: string[];
  /** Owner and admin only. */
  @ApiPropertyOptional({ nullable: true }) custom_instructions?: string | null;
  /** Tags (lower-case). */
  tags!: string[];
  /** The owner's default persona. */
  is_default!: boolean;
  /** Published as a template. */
  is_public!: boolean;
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' }) moderation_status!: ModerationStatus;
  /** Owner, staff and admin only. */
  @ApiPropertyOptional({ nullable: true }) moderation_reason?: string | null;
  /** Conversations started with it; owner and admin only. */
  @ApiPropertyOptional() usage_count?: number;
  /** Owner and admin only. */
  @ApiPropertyOptional({ nullable: true }) last_used_at?: Date | null;
  /** The persona this one was copied from. */
  copied_from_persona_id!: string | null;
  /** Ordered detail sections. */
  detail_sections!: PersonaDetailSectionDto[];
  /** Creation time. */
  created_at!: Date;
  /** Last change. */
  updated_at!: Date;
}

/** One page of personas. */
export class PersonaPageDto {
  /** Personas of this page. */
  items!: PersonaResponseDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
}

export interface PersonaView {
  /** Owner or admin: custom_instructions, usage_count, last_used_at. */
  includePrivate: boolean;
  /** Owner or staff: moderation_reason. */
  includeModeration: boolean;
  /** Creator profile display name of the owner, if any. */
  ownerDisplayName?: string | null;
}

export function toPersonaResponse(
  persona: Persona & { owner?: Pick<User, 'id' | 'username' | 'avatarMediaId'> },
  sections: PersonaDetailSection[],
  view: PersonaView,
): PersonaResponseDto {
  const owner = persona.owner ?? { id: persona.ownerId, username: '', avatarMediaId: null };
  const dto: PersonaResponseDto = {
    id: persona.id,
    owner: toUserCard(owner, view.ownerDisplayName),
    name: persona.name,
    description: persona.description,
    gender: persona.gender,
    age: persona.age,
    pronouns: persona.pronouns,
    custom_pronouns: persona.customPronouns,
    avatar_media_id: persona.avatarMediaId,
    avatar_url: mediaContentUrl(persona.avatarMediaId),
    visual_theme: persona.visualTheme,
    color_scheme: persona.colorScheme,
    appearance_description: persona.appearanceDescription,
    personality: persona.personality,
    backstory: persona.backstory,
    tone: persona.tone,
    formality: persona.formality,
    humor: persona.humor,
    communication: persona.communication,
    response_length: persona.responseLength,
    creativity: persona.creativity,
    knowledge_sharing: persona.knowledgeSharing,
    preferred_topics: persona.preferredTopics,
    avoid_topics: persona.avoidTopics,
    conversation_starter: persona.conversationStarter,
    signature_phrases: persona.signaturePhrases,
    tags: persona.tags,
    is_default: persona.isDefault,
    is_public: persona.isPublic,
    moderation_status: persona.moderationStatus,
    copied_from_persona_id: persona.copiedFromPersonaId,
    detail_sections: [...sections]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ position: s.position, label: s.label, content: s.content })),
    created_at: persona.createdAt,
    updated_at: persona.updatedAt,
  };
  if (view.includePrivate) {
    dto.custom_instructions = persona.customInstructions;
    dto.usage_count = persona.usageCount;
    dto.last_used_at = persona.lastUsedAt;
  }
  if (view.includeModeration) dto.moderation_reason = persona.moderationReason;
  return dto;
}
