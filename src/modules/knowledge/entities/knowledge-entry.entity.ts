import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Media } from '../../media/entities/media.entity.js';
import {
  KnowledgeActivationMode,
  KnowledgeDepthRole,
  KnowledgeEmbeddingStatus,
  KnowledgeEntryVisibility,
  KnowledgeKeywordLogic,
  KnowledgeOrigin,
  KnowledgePosition,
  KnowledgeType,
} from '../knowledge.enums.js';
import type { KnowledgeBotFilter } from './knowledge-bot-filter.entity.js';
import type { KnowledgeCollection } from './knowledge-collection.entity.js';
import type { KnowledgePersonaFilter } from './knowledge-persona-filter.entity.js';

/** One piece of lore plus the rules for when and where it is injected (knowledge.md §2). */
@Entity('knowledge_entries')
@Index('ix_ke_collection_order', ['collectionId', 'insertionOrder', 'id'])
@Index('ix_ke_collection_updated', ['collectionId', 'updatedAt', 'id'])
@Index('ix_ke_collection_title', ['collectionId', 'title', 'id'])
@Index('ix_ke_author', ['authorId'], { where: 'author_id IS NOT NULL' })
@Index('ix_ke_source_media', ['sourceMediaId'], { where: 'source_media_id IS NOT NULL' })
@Index('ix_ke_tags', ['tags'], { type: 'gin' })
@Index('ix_ke_search', ['searchVector'], { type: 'gin' })
@Check('ck_ke_content', 'char_length(content) BETWEEN 1 AND 32000')
@Check(
  'ck_ke_url_source',
  `(type <> 'url' OR source_url IS NOT NULL) AND (source_url IS NULL OR source_url ~* '^https?://')`,
)
@Check('ck_ke_import_metadata', 'import_metadata IS NULL OR octet_length(import_metadata::text) <= 16384')
@Check('ck_ke_tags', 'cardinality(tags) <= 20')
@Check('ck_ke_keys_required', `activation_mode NOT IN ('keyword', 'hybrid') OR cardinality(primary_keys) >= 1`)
@Check('ck_ke_keys', 'cardinality(primary_keys) <= 50 AND cardinality(secondary_keys) <= 50')
@Check('ck_ke_scan_depth', 'scan_depth BETWEEN 1 AND 20')
@Check('ck_ke_vector_threshold', 'vector_threshold >= 0 AND vector_threshold <= 1')
@Check('ck_ke_max_vector_results', 'max_vector_results BETWEEN 1 AND 20')
@Check('ck_ke_probability', 'probability BETWEEN 0 AND 100')
@Check('ck_ke_depth', 'depth BETWEEN 0 AND 100')
@Check('ck_ke_insertion_order', 'insertion_order BETWEEN 0 AND 1000')
@Check('ck_ke_timed', 'sticky BETWEEN 0 AND 50 AND cooldown BETWEEN 0 AND 50 AND delay BETWEEN 0 AND 100')
@Check('ck_ke_group_weight', 'group_weight BETWEEN 1 AND 1000')
@Check('ck_ke_max_tokens', 'max_tokens BETWEEN 0 AND 8000')
@Check(
  'ck_ke_counters',
  'token_cost >= 0 AND word_count >= 0 AND chunk_count >= 0 AND view_count >= 0 AND activation_count >= 0',
)
export class KnowledgeEntry extends TimestampedEntity {
  @Column({ type: 'uuid' }) collectionId!: string;
  @ManyToOne('KnowledgeCollection', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'collection_id', foreignKeyConstraintName: 'fk_ke_collection' })
  collection?: Relation<KnowledgeCollection>;

  @Column({ type: 'uuid', nullable: true }) authorId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_ke_author' })
  author?: Relation<User> | null;

  // --- content (§2.1)
  @Column({ type: 'varchar', length: 200, nullable: true }) title!: string | null;
  @Column({ type: 'enum', enum: KnowledgeType, enumName: 'knowledge_type', default: KnowledgeType.Text })
  type!: KnowledgeType;
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 2048, nullable: true }) sourceUrl!: string | null;
  @Column({ type: 'uuid', nullable: true }) sourceMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'source_media_id', foreignKeyConstraintName: 'fk_ke_source_media' })
  sourceMedia?: Relation<Media> | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) sourceAuthor!: string | null;
  @Column({ type: 'varchar', length: 35, nullable: true }) language!: string | null;
  @Column({ type: 'enum', enum: KnowledgeOrigin, enumName: 'knowledge_origin', default: KnowledgeOrigin.Authored })
  origin!: KnowledgeOrigin;
  /** Opaque provenance (world-book uid, unknown extension fields) kept only for lossless re-export; never queried. */
  @Column({ type: 'jsonb', nullable: true }) importMetadata!: Record<string, unknown> | null;
  @Column({
    type: 'enum',
    enum: KnowledgeEntryVisibility,
    enumName: 'knowledge_entry_visibility',
    default: KnowledgeEntryVisibility.Inherit,
  })
  visibility!: KnowledgeEntryVisibility;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) tags!: string[];
  @Column({ type: 'integer', default: 0 }) tokenCost!: number;
  @Column({ type: 'integer', default: 0 }) wordCount!: number;
  @Column({ type: 'char', length: 64 }) contentHash!: string;
  @Column({
    type: 'enum',
    enum: KnowledgeEmbeddingStatus,
    enumName: 'knowledge_embedding_status',
    default: KnowledgeEmbeddingStatus.Pending,
  })
  embeddingStatus!: KnowledgeEmbeddingStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) embeddingError!: string | null;
  @Column({ type: 'smallint', default: 0 }) chunkCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) embeddedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) viewCount!: number;
  @Column({ type: 'integer', default: 0 }) activationCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) lastActivatedAt!: Date | null;
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || content)`,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;

  // --- activation (§2.2)
  @Column({
    type: 'enum',
    enum: KnowledgeActivationMode,
    enumName: 'knowledge_activation_mode',
    default: KnowledgeActivationMode.Vector,
  })
  activationMode!: KnowledgeActivationMode;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) primaryKeys!: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) secondaryKeys!: string[];
  @Column({
    type: 'enum',
    enum: KnowledgeKeywordLogic,
    enumName: 'knowledge_keyword_logic',
    default: KnowledgeKeywordLogic.AndAny,
  })
  keywordLogic!: KnowledgeKeywordLogic;
  @Column({ type: 'boolean', default: false }) caseSensitive!: boolean;
  @Column({ type: 'boolean', default: false }) matchWholeWords!: boolean;
  @Column({ type: 'boolean', default: false }) useRegex!: boolean;
  @Column({ type: 'smallint', default: 2 }) scanDepth!: number;
  @Column({ type: 'boolean', default: true }) matchUserMessages!: boolean;
  @Column({ type: 'boolean', default: true }) matchBotMessages!: boolean;
  @Column({ type: 'boolean', default: false }) matchSystemPrompt!: boolean;
  @Column({ type: 'boolean', default: false }) matchBotDescription!: boolean;
  @Column({ type: 'boolean', default: false }) matchBotPersonality!: boolean;
  @Column({ type: 'boolean', default: false }) matchPersonaDescription!: boolean;
  @Column({ type: 'real', default: 0.4 }) vectorThreshold!: number;
  @Column({ type: 'smallint', default: 5 }) maxVectorResults!: number;
  @Column({ type: 'boolean', default: false }) useProbability!: boolean;
  @Column({ type: 'smallint', default: 100 }) probability!: number;
  @Column({
    type: 'enum',
    enum: KnowledgePosition,
    enumName: 'knowledge_position',
    default: KnowledgePosition.BeforeCharacter,
  })
  position!: KnowledgePosition;
  @Column({ type: 'smallint', default: 0 }) depth!: number;
  @Column({
    type: 'enum',
    enum: KnowledgeDepthRole,
    enumName: 'knowledge_depth_role',
    default: KnowledgeDepthRole.System,
  })
  depthRole!: KnowledgeDepthRole;
  @Column({ type: 'smallint', default: 100 }) insertionOrder!: number;
  @Column({ type: 'smallint', default: 0 }) sticky!: number;
  @Column({ type: 'smallint', default: 0 }) cooldown!: number;
  @Column({ type: 'smallint', default: 0 }) delay!: number;
  @Column({ type: 'boolean', default: false }) filterByBots!: boolean;
  @Column({ type: 'boolean', default: false }) filterByPersonas!: boolean;
  @Column({ type: 'varchar', length: 100, nullable: true }) inclusionGroup!: string | null;
  @Column({ type: 'smallint', default: 100 }) groupWeight!: number;
  @Column({ type: 'boolean', default: false }) groupPrioritize!: boolean;
  @Column({ type: 'boolean', default: false }) excludeRecursion!: boolean;
  @Column({ type: 'boolean', default: false }) preventRecursion!: boolean;
  @Column({ type: 'boolean', default: false }) delayUntilRecursion!: boolean;
  @Column({ type: 'boolean', default: false }) ignoreBudget!: boolean;
  @Column({ type: 'smallint', default: 1000 }) maxTokens!: number;

  @OneToMany('KnowledgeBotFilter', (f: KnowledgeBotFilter) => f.entry) botFilters?: Relation<KnowledgeBotFilter>[];
  @OneToMany('KnowledgePersonaFilter', (f: KnowledgePersonaFilter) => f.entry)
  personaFilters?: Relation<KnowledgePersonaFilter>[];
}
