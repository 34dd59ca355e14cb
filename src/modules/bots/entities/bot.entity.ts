import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import {
  GRANT_LEVEL_ENUM,
  GrantLevel,
  MODERATION_STATUS_ENUM,
  ModerationStatus,
  RESOURCE_VISIBILITY_ENUM,
  ResourceVisibility,
} from '../../../common/access/access.enums.js';
import { CharacterTraitsEntity } from '../../../common/database/character-traits.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Media } from '../../media/entities/media.entity.js';
import {
  BOT_BACKROOMS_CLASS_ENUM,
  BOT_CLASSIFICATION_ENUM,
  BOT_DEFINITION_VISIBILITY_ENUM,
  BOT_FORK_KIND_ENUM,
  BOT_GENDER_ENUM,
  BOT_VENUE_ENUM,
  BotBackroomsClass,
  BotClassification,
  BotDefinitionVisibility,
  BotForkKind,
  BotGender,
  BotVenue,
} from './bot.enums.js';

/** Explore lists only public, visible bots; their sort indexes are partial on this (bots.md §1.2). */
const PUBLIC_VISIBLE = `visibility = 'public' AND moderation_status = 'visible'`;

/** A character definition users chat with (bots.md §1). */
@Entity('bots')
@Index('ux_bots_owner_slug', ['ownerId', 'slug'], { unique: true })
@Index('ix_bots_owner_updated', ['ownerId', 'updatedAt', 'id'])
@Index('ix_bots_pub_recent', ['publishedAt', 'id'], { where: PUBLIC_VISIBLE })
@Index('ix_bots_pub_popular', ['likesCount', 'id'], { where: PUBLIC_VISIBLE })
@Index('ix_bots_pub_favorites', ['favoritesCount', 'id'], { where: PUBLIC_VISIBLE })
@Index('ix_bots_pub_name', ['nameSort', 'id'], { where: PUBLIC_VISIBLE })
@Index('ix_bots_featured', ['featuredAt'], { where: 'is_featured' })
@Index('ix_bots_forked_from', ['forkedFromBotId'], { where: 'forked_from_bot_id IS NOT NULL' })
@Index('ix_bots_picture_media', ['pictureMediaId'], { where: 'picture_media_id IS NOT NULL' })
@Index('ix_bots_featured_by', ['featuredById'], { where: 'featured_by_id IS NOT NULL' })
@Index('ix_bots_moderated_by', ['moderatedById'], { where: 'moderated_by_id IS NOT NULL' })
@Index('ix_bots_tags', ['tags'], { type: 'gin' })
@Index('ix_bots_classifications', ['classifications'], { type: 'gin' })
@Index('ix_bots_backrooms_cls', ['backroomsClassifications'], { type: 'gin' })
@Index('ix_bots_search', ['searchVector'], { type: 'gin' })
@Check('ck_bots_slug', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('ck_bots_name', `char_length(btrim(name)) >= 1`)
@Check('ck_bots_age', 'age BETWEEN 1 AND 9999')
@Check('ck_bots_description', 'char_length(description) <= 5000')
@Check('ck_bots_system_prompt', 'char_length(system_prompt) BETWEEN 1 AND 32000')
@Check('ck_bots_greeting', 'char_length(greeting) <= 10000')
@Check('ck_bots_alt_greetings', 'cardinality(alternate_greetings) <= 19')
@Check('ck_bots_speech_examples', 'cardinality(speech_examples) <= 50')
@Check('ck_bots_signature_phrases', 'cardinality(signature_phrases) <= 20')
@Check('ck_bots_tags', 'cardinality(tags) <= 20')
@Check('ck_bots_classifications', 'cardinality(classifications) <= 10')
@Check('ck_bots_backrooms_cls', `cardinality(backrooms_classifications) = 0 OR venue <> 'main'`)
@Check('ck_bots_remix_needs_copy', 'NOT allow_remixing OR allow_copying')
@Check('ck_bots_definition_copy', `NOT allow_copying OR definition_visibility = 'viewers'`)
@Check('ck_bots_max_collaborators', 'max_collaborators BETWEEN 1 AND 50')
@Check('ck_bots_featured_public', `NOT is_featured OR visibility = 'public'`)
@Check(
  'ck_bots_counters',
  'likes_count >= 0 AND favorites_count >= 0 AND conversation_count >= 0 AND copy_count >= 0 AND view_count >= 0',
)
@Check('ck_bots_import_metadata', 'octet_length(import_metadata::text) <= 65536')
export class Bot extends CharacterTraitsEntity {
  @Column({ type: 'uuid' }) ownerId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_bots_owner' })
  owner?: Relation<User>;

  @Column({ type: 'varchar', length: 80 }) slug!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** lower(name), for the name sorts and their index. */
  @Column({
    type: 'varchar',
    length: 100,
    generatedType: 'STORED',
    asExpression: 'lower(name)',
    insert: false,
    update: false,
  })
  nameSort!: string;

  @Column({ type: 'uuid', nullable: true }) pictureMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'picture_media_id', foreignKeyConstraintName: 'fk_bots_picture_media' })
  pictureMedia?: Relation<Media> | null;

  @Column({ type: 'enum', enum: BotGender, enumName: BOT_GENDER_ENUM, nullable: true }) gender!: BotGender | null;
  @Column({ type: 'smallint', nullable: true }) age!: number | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'text' }) systemPrompt!: string;
  @Column({ type: 'text', nullable: true }) greeting!: string | null;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) alternateGreetings!: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) speechExamples!: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) signaturePhrases!: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` }) tags!: string[];
  @Column({
    type: 'enum',
    enum: BotClassification,
    enumName: BOT_CLASSIFICATION_ENUM,
    array: true,
    default: () => `'{}'`,
  })
  classifications!: BotClassification[];
  @Column({ type: 'enum', enum: BotVenue, enumName: BOT_VENUE_ENUM, default: BotVenue.Main }) venue!: BotVenue;
  @Column({
    type: 'enum',
    enum: BotBackroomsClass,
    enumName: BOT_BACKROOMS_CLASS_ENUM,
    array: true,
    default: () => `'{}'`,
  })
  backroomsClassifications!: BotBackroomsClass[];

  @Column({
    type: 'enum',
    enum: ResourceVisibility,
    enumName: RESOURCE_VISIBILITY_ENUM,
    default: ResourceVisibility.Private,
  })
  visibility!: ResourceVisibility;
  @Column({
    type: 'enum',
    enum: BotDefinitionVisibility,
    enumName: BOT_DEFINITION_VISIBILITY_ENUM,
    default: BotDefinitionVisibility.Editors,
  })
  definitionVisibility!: BotDefinitionVisibility;
  @Column({ type: 'boolean', default: false }) allowCopying!: boolean;
  @Column({ type: 'boolean', default: false }) allowRemixing!: boolean;
  @Column({ type: 'boolean', default: true }) requireAttribution!: boolean;
  @Column({ type: 'timestamptz', nullable: true }) shareExpiresAt!: Date | null;
  @Column({ type: 'boolean', default: false }) allowCollaboration!: boolean;
  @Column({ type: 'enum', enum: GrantLevel, enumName: GRANT_LEVEL_ENUM, default: GrantLevel.View })
  defaultCollaboratorLevel!: GrantLevel;
  @Column({ type: 'smallint', default: 5 }) maxCollaborators!: number;

  @Column({ type: 'uuid', nullable: true }) forkedFromBotId!: string | null;
  @ManyToOne('Bot', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'forked_from_bot_id', foreignKeyConstraintName: 'fk_bots_forked_from' })
  forkedFrom?: Relation<Bot> | null;
  @Column({ type: 'enum', enum: BotForkKind, enumName: BOT_FORK_KIND_ENUM, nullable: true })
  forkKind!: BotForkKind | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) attributionText!: string | null;

  @Column({ type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ type: 'boolean', default: false }) isFeatured!: boolean;
  @Column({ type: 'varchar', length: 500, nullable: true }) featuredReason!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) featuredAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) featuredById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'featured_by_id', foreignKeyConstraintName: 'fk_bots_featured_by' })
  featuredBy?: Relation<User> | null;

  @Column({
    type: 'enum',
    enum: ModerationStatus,
    enumName: MODERATION_STATUS_ENUM,
    default: ModerationStatus.Visible,
  })
  moderationStatus!: ModerationStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) moderationReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) moderatedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'moderated_by_id', foreignKeyConstraintName: 'fk_bots_moderated_by' })
  moderatedBy?: Relation<User> | null;
  @Column({ type: 'timestamptz', nullable: true }) moderatedAt!: Date | null;

  @Column({ type: 'integer', default: 0 }) likesCount!: number;
  @Column({ type: 'integer', default: 0 }) favoritesCount!: number;
  @Column({ type: 'integer', default: 0 }) conversationCount!: number;
  @Column({ type: 'integer', default: 0 }) copyCount!: number;
  /** bigint: the pg driver returns it as a string. */
  @Column({ type: 'bigint', default: 0 }) viewCount!: string;
  @Column({ type: 'timestamptz', nullable: true }) lastViewedAt!: Date | null;

  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple'::regconfig, name || ' ' || coalesce(description, ''))`,
    insert: false,
    update: false,
    select: false,
  })
  searchVector?: string;

  /** Card fields without a column (interop.md §2), kept for lossless export only; never in API responses. */
  @Column({ type: 'jsonb', nullable: true, select: false }) importMetadata?: Record<string, unknown> | null;
}
