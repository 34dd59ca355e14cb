import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import {
  MODERATION_STATUS_ENUM,
  ModerationStatus,
  RESOURCE_VISIBILITY_ENUM,
  ResourceVisibility,
} from '../../../common/access/access.enums.js';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import { KnowledgeCategory, KnowledgeDifficulty } from '../knowledge.enums.js';

/** A named lore book ("tome"): the unit of sharing, forking and linking to bots (knowledge.md §1). */
@Entity('knowledge_collections')
@Index('ix_kc_owner_updated', ['ownerId', 'updatedAt', 'id'])
@Index('ix_kc_pub_updated', ['updatedAt', 'id'], {
  where: `visibility = 'public' AND moderation_status = 'visible'`,
})
@Index('ix_kc_featured', ['featuredAt'], { where: 'is_featured' })
@Index('ix_kc_forked_from', ['forkedFromCollectionId'])
@Index('ix_kc_curated_by', ['curatedById'], { where: 'curated_by_id IS NOT NULL' })
@Index('ix_kc_pub_requested', ['publicationRequestedAt', 'id'], { where: 'publication_requested_at IS NOT NULL' })
@Index('ix_kc_tags', ['tags'], { type: 'gin' })
@Index('ix_kc_search', ['searchVector'], { type: 'gin' })
@Check('ck_kc_name', `char_length(btrim(name)) >= 1`)
@Check('ck_kc_description', 'char_length(description) <= 2000')
@Check('ck_kc_tags', 'cardinality(tags) <= 20')
@Check('ck_kc_featured_public', `NOT is_featured OR visibility = 'public'`)
@Check(
  'ck_kc_counters',
  'entry_count >= 0 AND total_words >= 0 AND total_chars >= 0 AND view_count >= 0 AND fork_count >= 0',
)
export class KnowledgeCollection extends TimestampedEntity {
  @Column({ type: 'uuid' }) ownerId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_kc_owner' })
  owner?: Relation<User>;

  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'enum', enum: KnowledgeCategory, enumName: 'kc_category', default: KnowledgeCategory.Lore })
  category!: KnowledgeCategory;
  @Column({
    type: 'enum',
    enum: ResourceVisibility,
    enumName: RESOURCE_VISIBILITY_ENUM,
    default: ResourceVisibility.Private,
  })
  visibility!: ResourceVisibility;
  @Column({ type: 'boolean', default: true }) allowCollaboration!: boolean;
  @Column({ type: 'boolean', default: true }) allowFork!: boolean;
  @Column({ type: 'timestamptz', nullable: true }) shareExpiresAt!: Date | null;
  /** argon2id; never returned (the API shows has_share_password). */
  @Column({ type: 'varchar', length: 255, nullable: true }) sharePasswordHash!: string | null;
  @Column({ type: 'varchar', length: 35, default: 'en' }) language!: string;
  @Column({
    type: 'enum',
    enum: KnowledgeDifficulty,
    enumName: 'kc_difficulty',
    default: KnowledgeDifficulty.Intermediate,
  })
  difficultyLevel!: KnowledgeDifficulty;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) tags!: string[];

  @Column({ type: 'timestamptz', nullable: true }) publicationRequestedAt!: Date | null;
  @Column({ type: 'boolean', default: false }) isCurated!: boolean;
  @Column({ type: 'varchar', length: 2000, nullable: true }) curatorNotes!: string | null;
  @Column({ type: 'uuid', nullable: true }) curatedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'curated_by_id', foreignKeyConstraintName: 'fk_kc_curated_by' })
  curatedBy?: Relation<User> | null;
  @Column({ type: 'timestamptz', nullable: true }) curatedAt!: Date | null;
  @Column({ type: 'boolean', default: false }) isFeatured!: boolean;
  @Column({ type: 'timestamptz', nullable: true }) featuredAt!: Date | null;
  @Column({
    type: 'enum',
    enum: ModerationStatus,
    enumName: MODERATION_STATUS_ENUM,
    default: ModerationStatus.Visible,
  })
  moderationStatus!: ModerationStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) moderationReason!: string | null;

  @Column({ type: 'uuid', nullable: true }) forkedFromCollectionId!: string | null;
  @ManyToOne('KnowledgeCollection', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'forked_from_collection_id', foreignKeyConstraintName: 'fk_kc_forked_from' })
  forkedFrom?: Relation<KnowledgeCollection> | null;

  @Column({ type: 'integer', default: 0 }) entryCount!: number;
  @Column({ type: 'integer', default: 0 }) totalWords!: number;
  @Column({ type: 'integer', default: 0 }) totalChars!: number;
  @Column({ type: 'bigint', default: 0 }) viewCount!: string;
  @Column({ type: 'integer', default: 0 }) forkCount!: number;
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' }) lastEntryChangeAt!: Date;

  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple'::regconfig, name || ' ' || coalesce(description, ''))`,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;
}
