import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import {
  ACCESS_RESOURCE_TYPE_ENUM,
  AccessResourceType,
  GRANT_LEVEL_ENUM,
  GRANT_METHOD_ENUM,
  GrantLevel,
  GrantMethod,
} from '../../../common/access/access.enums.js';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { CreatorProfile } from '../../creators/entities/creator-profile.entity.js';
import type { KnowledgeCollection } from '../../knowledge/entities/knowledge-collection.entity.js';

/**
 * One user's permission of a given level on one shareable resource (bots.md §3.2). Exactly one typed resource column
 * is set (the one matching resource_type); `resource_id` is a stored generated coalesce of them, used for lookups and
 * in the API. Deleting the resource deletes its grants (FK CASCADE).
 */
@Entity('access_grants')
@Index('ux_access_grants_active', ['resourceType', 'resourceId', 'granteeId'], {
  unique: true,
  where: 'revoked_at IS NULL',
})
@Index('ix_access_grants_grantee', ['granteeId', 'resourceType'], { where: 'revoked_at IS NULL' })
@Index('ix_access_grants_resource_created', ['resourceType', 'resourceId', 'createdAt', 'id'])
@Index('ix_access_grants_bot', ['botId'], { where: 'bot_id IS NOT NULL' })
@Index('ix_access_grants_kc', ['knowledgeCollectionId'], { where: 'knowledge_collection_id IS NOT NULL' })
@Index('ix_access_grants_cp', ['creatorProfileId'], { where: 'creator_profile_id IS NOT NULL' })
@Index('ix_access_grants_granted_by', ['grantedById'], { where: 'granted_by_id IS NOT NULL' })
@Index('ix_access_grants_revoked_by', ['revokedById'], { where: 'revoked_by_id IS NOT NULL' })
@Check(
  'ck_access_grants_one_resource',
  `num_nonnulls(bot_id, knowledge_collection_id, creator_profile_id) = 1 AND ` +
    `(resource_type <> 'bot' OR bot_id IS NOT NULL) AND ` +
    `(resource_type <> 'knowledge_collection' OR knowledge_collection_id IS NOT NULL) AND ` +
    `(resource_type <> 'creator_profile' OR creator_profile_id IS NOT NULL)`,
)
@Check('ck_access_grants_use_count', 'use_count >= 0')
export class AccessGrant extends TimestampedEntity {
  @Column({ type: 'enum', enum: AccessResourceType, enumName: ACCESS_RESOURCE_TYPE_ENUM })
  resourceType!: AccessResourceType;

  @Column({ type: 'uuid', nullable: true }) botId!: string | null;
  @ManyToOne('Bot', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_access_grants_bot' })
  bot?: Relation<Bot> | null;

  @Column({ type: 'uuid', nullable: true }) knowledgeCollectionId!: string | null;
  @ManyToOne('KnowledgeCollection', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'knowledge_collection_id', foreignKeyConstraintName: 'fk_access_grants_knowledge_collection' })
  knowledgeCollection?: Relation<KnowledgeCollection> | null;

  @Column({ type: 'uuid', nullable: true }) creatorProfileId!: string | null;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_access_grants_creator_profile' })
  creatorProfile?: Relation<CreatorProfile> | null;

  @Column({
    type: 'uuid',
    generatedType: 'STORED',
    asExpression: 'coalesce(bot_id, knowledge_collection_id, creator_profile_id)',
    insert: false,
    update: false,
  })
  resourceId!: string;

  @Column({ type: 'uuid' }) granteeId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'grantee_id', foreignKeyConstraintName: 'fk_access_grants_grantee' })
  grantee?: Relation<User>;

  @Column({ type: 'enum', enum: GrantLevel, enumName: GRANT_LEVEL_ENUM }) level!: GrantLevel;
  @Column({ type: 'enum', enum: GrantMethod, enumName: GRANT_METHOD_ENUM, default: GrantMethod.DirectShare })
  grantMethod!: GrantMethod;

  @Column({ type: 'uuid', nullable: true }) grantedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'granted_by_id', foreignKeyConstraintName: 'fk_access_grants_granted_by' })
  grantedBy?: Relation<User> | null;

  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) note!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true }) revokedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'revoked_by_id', foreignKeyConstraintName: 'fk_access_grants_revoked_by' })
  revokedBy?: Relation<User> | null;

  @Column({ type: 'varchar', length: 500, nullable: true }) revokeReason!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) useCount!: number;
}
