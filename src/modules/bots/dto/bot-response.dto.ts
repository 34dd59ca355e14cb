import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GrantLevel, ModerationStatus, ResourceVisibility } from '../../../common/access/access.enums.js';
import type { AccessLevel } from '../../../common/access/access-level.js';
import { type UserCardDto, toUserCard } from '../../access/dto/user-card.dto.js';
import { mediaContentUrl } from '../../media/media-url.js';
import type { Bot } from '../entities/bot.entity.js';
import {
  BotBackroomsClass,
  BotClassification,
  BotDefinitionVisibility,
  BotForkKind,
  BotGender,
  BotVenue,
} from '../entities/bot.enums.js';

export const MY_ACCESS_VALUES = ['owner', 'manage', 'edit', 'view', 'public', 'moderation'] as const;

export class BotCountersDto {
  /** Likes. */
  likes_count!: number;
  /** Favourites. */
  favorites_count!: number;
  /** Conversations started. */
  conversation_count!: number;
  /** Copies and remixes made. */
  copy_count!: number;
  /** Counted views (buffered; flushed every minute). */
  view_count!: number;
}

export class MyInteractionDto {
  /** I liked it. */
  liked!: boolean;
  /** I favourited it. */
  favorited!: boolean;
}

/** A bot in lists (bots.md §1.4 "card"). */
export class BotCardDto {
  /** Bot id. */
  id!: string;
  /** Slug, unique per creator. */
  slug!: string;
  /** Name. */
  name!: string;
  /** Picture URL or null. */
  picture_url!: string | null;
  /** First 300 characters of the description. */
  description!: string | null;
  /** Tags. */
  tags!: string[];
  /** Classifications. */
  @ApiProperty({ enum: BotClassification, enumName: 'BotClassification', isArray: true })
  classifications!: BotClassification[];
  /** Venue. */
  @ApiProperty({ enum: BotVenue, enumName: 'BotVenue' }) venue!: BotVenue;
  /** Backrooms classifications. */
  @ApiProperty({ enum: BotBackroomsClass, enumName: 'BotBackroomsClass', isArray: true })
  backrooms_classifications!: BotBackroomsClass[];
  /** Gender or null. */
  @ApiProperty({ enum: BotGender, enumName: 'BotGender', nullable: true }) gender!: BotGender | null;
  /** Age or null. */
  age!: number | null;
  /** Counters. */
  counters!: BotCountersDto;
  /** Featured by staff. */
  is_featured!: boolean;
  /** First publication time. */
  published_at!: Date | null;
  /** The creator's user card. */
  creator!: UserCardDto;
  /** My effective access: owner, manage, edit, view, public, or moderation (staff read-only view). */
  @ApiProperty({ enum: MY_ACCESS_VALUES }) my_access!: Exclude<AccessLevel, null>;
  /** My like/favourite state (signed in only). */
  my_interaction?: MyInteractionDto;
}

export class BotTraitsDto {
  /** Tone. */ tone!: string | null;
  /** Formality. */ formality!: string | null;
  /** Humour. */ humor!: string | null;
  /** Communication style. */ communication!: string | null;
}

export class BotBehaviorDto {
  /** Reply length. */ response_length!: string | null;
  /** Creativity. */ creativity!: string | null;
  /** Knowledge sharing. */ knowledge_sharing!: string | null;
}

export class BotAttributionDto {
  /** "based on X by @y" snapshot (read-only). */
  text!: string | null;
  /** Source bot (null once deleted). */
  forked_from_bot_id!: string | null;
  /** copy or remix. */
  @ApiProperty({ enum: BotForkKind, enumName: 'BotForkKind' }) fork_kind!: BotForkKind;
}

export class BotSharingDto {
  /** Visibility. */
  @ApiProperty({ enum: ResourceVisibility, enumName: 'ResourceVisibility' }) visibility!: ResourceVisibility;
  /** Who may read the definition. */
  @ApiProperty({ enum: BotDefinitionVisibility, enumName: 'BotDefinitionVisibility' })
  definition_visibility!: BotDefinitionVisibility;
  /** Grants stop working after this time. */
  share_expires_at!: Date | null;
  /** Edit/manage grants allowed. */
  allow_collaboration!: boolean;
  /** Default level of new grants. */
  @ApiProperty({ enum: GrantLevel, enumName: 'GrantLevel' }) default_collaborator_level!: GrantLevel;
  /** Cap on active edit/manage grants. */
  max_collaborators!: number;
}

export class BotModerationDto {
  /** visible or hidden. */
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' }) status!: ModerationStatus;
  /** Reason (owner, managers, staff). */
  reason!: string | null;
  /** Staff only. */
  moderated_by_id?: string | null;
  /** Staff only. */
  moderated_at?: Date | null;
}

/** One bot in full (bots.md §1.4 "detail"); optional blocks depend on the caller's access. */
export class BotDetailDto extends BotCardDto {
  /** Full description. */
  declare description: string | null;
  /** First message. */
  greeting!: string | null;
  /** Alternative first messages. */
  alternate_greetings!: string[];
  /** Catch phrases. */
  signature_phrases!: string[];
  /** Personality traits. */
  traits!: BotTraitsDto;
  /** Behaviour settings. */
  behavior!: BotBehaviorDto;
  /** Readers may copy. */
  allow_copying!: boolean;
  /** Copies may be published. */
  allow_remixing!: boolean;
  /** Copies carry attribution. */
  require_attribution!: boolean;
  /** Set on copies and remixes. */
  attribution!: BotAttributionDto | null;
  /** Definition: only when the caller may read it (definition_visibility). */
  @ApiPropertyOptional() system_prompt?: string;
  /** Definition: example lines. */
  @ApiPropertyOptional({ type: [String] }) speech_examples?: string[];
  /** Owner and managers. */
  sharing?: BotSharingDto;
  /** Owner, managers and staff. */
  moderation?: BotModerationDto;
  /** Staff only. */
  featured_reason?: string | null;
  /** Created. */
  created_at!: Date;
  /** Last changed. */
  updated_at!: Date;
}

export class BotPageDto {
  /** Bots. */
  items!: BotCardDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
  /** sort=random only: the seed used (send it again with the cursor). */
  seed?: string;
}

export class LikeStateDto {
  /** I like it now. */
  liked!: boolean;
  /** Likes after this request. */
  likes_count!: number;
}

export class FavoriteStateDto {
  /** It is in my favourites now. */
  favorited!: boolean;
  /** Favourites after this request. */
  favorites_count!: number;
}

export class InteractionDto {
  /** I liked it. */
  liked!: boolean;
  /** I favourited it. */
  favorited!: boolean;
  /** When I liked it. */
  liked_at!: Date | null;
  /** When I favourited it. */
  favorited_at!: Date | null;
}

export interface BotView {
  bot: Bot;
  level: Exclude<AccessLevel, null>;
  creatorDisplayName?: string | null;
  interaction?: MyInteractionDto;
  isStaff: boolean;
}

function creatorCard(bot: Bot, displayName?: string | null): UserCardDto {
  return toUserCard({
    id: bot.ownerId,
    username: bot.owner?.username ?? '',
    avatarMediaId: bot.owner?.avatarMediaId ?? null,
    profileDisplayName: displayName,
  });
}

export function toBotCard(view: BotView): BotCardDto {
  const { bot } = view;
  const card: BotCardDto = {
    id: bot.id,
    slug: bot.slug,
    name: bot.name,
    picture_url: mediaContentUrl(bot.pictureMediaId),
    description: bot.description === null ? null : bot.description.slice(0, 300),
    tags: bot.tags,
    classifications: bot.classifications,
    venue: bot.venue,
    backrooms_classifications: bot.backroomsClassifications,
    gender: bot.gender,
    age: bot.age,
    counters: {
      likes_count: bot.likesCount,
      favorites_count: bot.favoritesCount,
      conversation_count: bot.conversationCount,
      copy_count: bot.copyCount,
      view_count: Number(bot.viewCount),
    },
    is_featured: bot.isFeatured,
    published_at: bot.publishedAt,
    creator: creatorCard(bot, view.creatorDisplayName),
    my_access: view.level,
  };
  if (view.interaction) card.my_interaction = view.interaction;
  return card;
}

/** Whether this access level may read system_prompt and speech_examples (bots.md §1.4). */
export function canReadDefinition(bot: Bot, level: AccessLevel): boolean {
  if (level === 'owner' || level === 'manage' || level === 'edit' || level === 'moderation') return true;
  if (level === 'view' || level === 'public') return bot.definitionVisibility === BotDefinitionVisibility.Viewers;
  return false;
}

export function toBotDetail(view: BotView): BotDetailDto {
  const { bot, level } = view;
  const detail: BotDetailDto = {
    ...toBotCard(view),
    description: bot.description,
    greeting: bot.greeting,
    alternate_greetings: bot.alternateGreetings,
    signature_phrases: bot.signaturePhrases,
    traits: { tone: bot.tone, formality: bot.formality, humor: bot.humor, communication: bot.communication },
    behavior: {
      response_length: bot.responseLength,
      creativity: bot.creativity,
      knowledge_sharing: bot.knowledgeSharing,
    },
    allow_copying: bot.allowCopying,
    allow_remixing: bot.allowRemixing,
    require_attribution: bot.requireAttribution,
    attribution: bot.forkKind
      ? { text: bot.attributionText, forked_from_bot_id: bot.forkedFromBotId, fork_kind: bot.forkKind }
      : null,
    created_at: bot.createdAt,
    updated_at: bot.updatedAt,
  };
  if (canReadDefinition(bot, level)) {
    detail.system_prompt = bot.systemPrompt;
    detail.speech_examples = bot.speechExamples;
  }
  const ownerOrManager = level === 'owner' || level === 'manage';
  if (ownerOrManager) {
    detail.sharing = {
      visibility: bot.visibility,
      definition_visibility: bot.definitionVisibility,
      share_expires_at: bot.shareExpiresAt,
      allow_collaboration: bot.allowCollaboration,
      default_collaborator_level: bot.defaultCollaboratorLevel,
      max_collaborators: bot.maxCollaborators,
    };
  }
  if (ownerOrManager || view.isStaff) {
    detail.moderation = { status: bot.moderationStatus, reason: bot.moderationReason };
  }
  if (view.isStaff) {
    detail.moderation = {
      status: bot.moderationStatus,
      reason: bot.moderationReason,
      moderated_by_id: bot.moderatedById,
      moderated_at: bot.moderatedAt,
    };
    detail.featured_reason = bot.featuredReason;
  }
  return detail;
}
