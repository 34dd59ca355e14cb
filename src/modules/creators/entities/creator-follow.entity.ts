import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';
import type { CreatorProfile } from './creator-profile.entity.js';

/** A user following a creator profile (creators.md §2). The PK also serves "whom do I follow". */
@Entity('creator_follows')
@Index('ix_cf_profile_created', ['creatorProfileId', 'createdAt', 'followerId'])
@Index('ix_cf_follower_created', ['followerId', 'createdAt', 'creatorProfileId'])
export class CreatorFollow {
  @PrimaryColumn({ type: 'uuid' }) followerId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'follower_id', foreignKeyConstraintName: 'fk_cf_follower' })
  follower?: Relation<User>;

  @PrimaryColumn({ type: 'uuid' }) creatorProfileId!: string;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_cf_creator_profile' })
  creatorProfile?: Relation<CreatorProfile>;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
