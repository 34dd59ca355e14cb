import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { CreatorProfile } from './creator-profile.entity.js';
import type { CreatorProgramTier } from './creator-program-tier.entity.js';
import type { CreatorProgram } from './creator-program.entity.js';
import { CreatorSpecialty, CreatorVerification, ProgramApplicationStatus } from './creator.enums.js';

/** One submitted answer, with the question's wording at submission time. */
export interface ApplicationAnswer {
  question_id: string;
  prompt: string;
  answer: string | boolean;
}

/** What the reviewer sees about the applicant as of the submission. */
export interface EligibilitySnapshot {
  public_bot_count: number;
  total_conversations: number;
  verification_status: CreatorVerification;
  specialties: CreatorSpecialty[];
  standing: 'active' | 'suspended';
}

/** An application to a programme and its review workflow (creators.md §3.2, §3.5). */
@Entity('creator_program_applications')
@Index('ux_cpa_open', ['programId', 'creatorProfileId'], {
  unique: true,
  where: `status IN ('submitted', 'under_review')`,
})
@Index('ix_cpa_program_status', ['programId', 'status', 'createdAt'])
@Index('ix_cpa_profile', ['creatorProfileId', 'createdAt'])
@Index('ix_cpa_status_created', ['status', 'createdAt', 'id'])
@Index('ix_cpa_requested_tier', ['requestedTierId'])
@Index('ix_cpa_reviewer', ['reviewerId'])
@Check('ck_cpa_motivation', `char_length(motivation) <= 5000`)
@Check('ck_cpa_reviewer_notes', `char_length(reviewer_notes) <= 5000`)
@Check('ck_cpa_rejection_reason', `status <> 'rejected' OR decision_reason IS NOT NULL`)
export class CreatorProgramApplication extends TimestampedEntity {
  @Column({ type: 'uuid' }) programId!: string;
  @ManyToOne('CreatorProgram', { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_cpa_program' })
  program?: Relation<CreatorProgram>;

  @Column({ type: 'uuid' }) creatorProfileId!: string;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_cpa_creator_profile' })
  creatorProfile?: Relation<CreatorProfile>;

  @Column({
    type: 'enum',
    enum: ProgramApplicationStatus,
    enumName: 'program_application_status',
    default: ProgramApplicationStatus.Submitted,
  })
  status!: ProgramApplicationStatus;
  @Column({ type: 'text', nullable: true }) motivation!: string | null;
  /** JSONB: an immutable snapshot of the submitted form (question wording included), read as a whole. */
  @Column({ type: 'jsonb', default: () => `'[]'` }) answers!: ApplicationAnswer[];
  /** JSONB: the applicant's standing at submission, for the reviewer. */
  @Column({ type: 'jsonb' }) eligibilitySnapshot!: EligibilitySnapshot;

  @Column({ type: 'uuid', nullable: true }) requestedTierId!: string | null;
  @ManyToOne('CreatorProgramTier', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'requested_tier_id', foreignKeyConstraintName: 'fk_cpa_requested_tier' })
  requestedTier?: Relation<CreatorProgramTier> | null;

  @Column({ type: 'uuid', nullable: true }) reviewerId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'reviewer_id', foreignKeyConstraintName: 'fk_cpa_reviewer' })
  reviewer?: Relation<User> | null;

  @Column({ type: 'timestamptz', nullable: true }) reviewStartedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) withdrawnAt!: Date | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) decisionReason!: string | null;
  @Column({ type: 'text', nullable: true }) reviewerNotes!: string | null;
}
