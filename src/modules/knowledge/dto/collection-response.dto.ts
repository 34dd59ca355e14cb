import { ApiProperty } from '@nestjs/swagger';
import { ModerationStatus, ResourceVisibility } from '../../../common/access/access.enums.js';
import type { AccessLevel } from '../../../common/access/access-level.js';
import { type Actor, isStaff } from '../../../common/auth/actor.js';
import { toUserCard, UserCardDto } from '../../access/dto/user-card.dto.js';
import type { KnowledgeCollection } from '../entities/knowledge-collection.entity.js';
import { KnowledgeCategory, KnowledgeDifficulty } from '../knowledge.enums.js';

/** A bot that links the collection, as a reader of the collection may see it. */
export class LinkedBotDto {
  /** Bot id. */
  id!: string;
  /** Bot name. */
  name!: string;
  /** Bot slug. */
  slug!: string;
  /** Link enabled. */
  enabled!: boolean;
}

export class CollectionResponseDto {
  /** Collection id. */
  id!: string;
  /** The owner. */
  owner!: UserCardDto;
  /** Name. */
  name!: string;
  /** Description. */
  description!: string | null;
  /** Category. */
  @ApiProperty({ enum: KnowledgeCategory, enumName: 'KnowledgeCategory' }) category!: KnowledgeCategory;
  /** private, shared or public. */
  @ApiProperty({ enum: ResourceVisibility, enumName: 'ResourceVisibility' }) visibility!: ResourceVisibility;
  /** Edit/manage grants allowed. */
  allow_collaboration!: boolean;
  /** Readers may fork. */
  allow_fork!: boolean;
  /** Grants stop working after it (owner, managers, admins only; else null). */
  share_expires_at!: Date | null;
  /** A share password is set (the password itself is never returned). */
  has_share_password!: boolean;
  /** BCP 47 language. */
  language!: string;
  /** Difficulty. */
  @ApiProperty({ enum: KnowledgeDifficulty, enumName: 'KnowledgeDifficulty' }) difficulty_level!: KnowledgeDifficulty;
  /** Tags. */
  tags!: string[];
  /** When the owner asked for a public listing. */
  publication_requested_at!: Date | null;
  /** Approved by a moderator. */
  is_curated!: boolean;
  /** Curator notes (owner, moderators, admins; else null). */
  curator_notes!: string | null;
  /** When it was curated. */
  curated_at!: Date | null;
  /** Featured. */
  is_featured!: boolean;
  /** When it was featured. */
  featured_at!: Date | null;
  /** visible or hidden. */
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' }) moderation_status!: ModerationStatus;
  /** Reason of a moderation action (owner, moderators, admins; else null). */
  moderation_reason!: string | null;
  /** The collection this one was forked from. */
  forked_from_collection_id!: string | null;
  /** Number of entries. */
  entry_count!: number;
  /** Words over all entries. */
  total_words!: number;
  /** Characters over all entries. */
  total_chars!: number;
  /** Views. */
  view_count!: number;
  /** Forks made of it. */
  fork_count!: number;
  /** Last entry write. */
  last_entry_change_at!: Date;
  /** Created. */
  created_at!: Date;
  /** Updated. */
  updated_at!: Date;
  /** The caller's effective access: owner, manage, edit, view, public, moderation (null when anonymous on public). */
  @ApiProperty({ enum: ['owner', 'manage', 'edit', 'view', 'public', 'moderation'], nullable: true })
  my_access!: Exclude<AccessLevel, null> | null;
}

export class CollectionDetailDto extends CollectionResponseDto {
  /** Bots linking this collection that the caller can read. */
  linked_bots!: LinkedBotDto[];
  /** Linking bots the caller cannot read. */
  other_linked_bot_count!: number;
}

export class CollectionPageDto {
  /** One page. */
  items!: CollectionResponseDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
}

export class RedemptionResponseDto {
  /** The grant id. */
  grant_id!: string;
  /** Collection id. */
  collection_id!: string;
  /** Always view. */
  level!: string;
  /** When the grant stops working (the collection's share_expires_at). */
  expires_at!: Date | null;
}

type CollectionWithOwner = KnowledgeCollection & {
  owner?: { id: string; username: string; avatarMediaId?: string | null } | null;
};

export function toCollectionResponse(
  c: CollectionWithOwner,
  actor: Actor | null | undefined,
  level: AccessLevel,
): CollectionResponseDto {
  const privileged = level === 'owner' || isStaff(actor);
  const sharing = level === 'owner' || level === 'manage';
  return {
    id: c.id,
    owner: toUserCard(c.owner ?? { id: c.ownerId, username: '' }),
    name: c.name,
    description: c.description,
    category: c.category,
    visibility: c.visibility,
    allow_collaboration: c.allowCollaboration,
    allow_fork: c.allowFork,
    share_expires_at: sharing ? c.shareExpiresAt : null,
    has_share_password: !!c.sharePasswordHash,
    language: c.language,
    difficulty_level: c.difficultyLevel,
    tags: c.tags,
    publication_requested_at: c.publicationRequestedAt,
    is_curated: c.isCurated,
    curator_notes: privileged ? c.curatorNotes : null,
    curated_at: c.curatedAt,
    is_featured: c.isFeatured,
    featured_at: c.featuredAt,
    moderation_status: c.moderationStatus,
    moderation_reason: privileged ? c.moderationReason : null,
    forked_from_collection_id: c.forkedFromCollectionId,
    entry_count: c.entryCount,
    total_words: c.totalWords,
    total_chars: c.totalChars,
    view_count: Number(c.viewCount),
    fork_count: c.forkCount,
    last_entry_change_at: c.lastEntryChangeAt,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    my_access: level,
  };
}
