import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { CreatorProfile } from './creator-profile.entity.js';
import type { CreatorProgramApplication } from './creator-program-application.entity.js';
import type { CreatorProgramTier } from './creator-program-tier.entity.js';
import type { CreatorProgram } from './creator-program.entity.js';
import { ProgramMembershipStatus } from './creator.enums.js';

/** A creator's membership in a programme (creators.md §3.3). */
@Entity('creator_program_memberships')
@Index('ux_cpm_active', ['programId', 'creatorProfileId'], { unique: true, where: `status = 'active'` })
@Index('ix_cpm_program_active', ['programId'], { where: `status = 'active'` })
@Index('ix_cpm_program_started', ['programId', 'startedAt', 'id'])
@Index('ix_cpm_profile', ['creatorProfileId', 'status'])
@Index('ux_cpm_application', ['applicationId'], { unique: true })
@Index('ix_cpm_tier', ['tierId'])
@Index('ix_cpm_ended_by', ['endedById'])
@Index('ix_cpm_active_expires', ['expiresAt'], { where: `status = 'active' AND expires_at IS NOT NULL` })
export class CreatorProgramMembership extends TimestampedEntity {
  @Column({ type: 'uuid' }) programId!: string;
  @ManyToOne('CreatorProgram', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_cpm_program' })
  program?: Relation<CreatorProgram>;

  @Column({ type: 'uuid' }) creatorProfileId!: string;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_cpm_creator_profile' })
  creatorProfile?: Relation<CreatorProfile>;

  @Column({ type: 'uuid', nullable: true }) applicationId!: string | null;
  @ManyToOne('CreatorProgramApplication', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_cpm_application' })
  application?: Relation<CreatorProgramApplication> | null;

  @Column({ type: 'uuid', nullable: true }) tierId!: string | null;
  @ManyToOne('CreatorProgramTier', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'tier_id', foreignKeyConstraintName: 'fk_cpm_tier' })
  tier?: Relation<CreatorProgramTier> | null;

  @Column({
    type: 'enum',
    enum: ProgramMembershipStatus,
    enumName: 'program_membership_status',
    default: ProgramMembershipStatus.Active,
  })
  status!: ProgramMembershipStatus;
  @Column({ type: 'timestamptz', default: () => 'now()' }) startedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) endedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'ended_by_id', foreignKeyConstraintName: 'fk_cpm_ended_by' })
  endedBy?: Relation<User> | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) endReason!: string | null;
}
