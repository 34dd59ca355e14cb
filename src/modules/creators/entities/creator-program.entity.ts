import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Media } from '../../media/entities/media.entity.js';
import {
  CreatorProgramStatus,
  CreatorProgramType,
  CreatorSpecialty,
  ProgramApplicationMethod,
  ProgramStanding,
} from './creator.enums.js';

/** A platform-run programme creators apply to (creators.md §3.1). */
@Entity('creator_programs')
@Index('ux_creator_programs_slug', ['slug'], { unique: true })
@Index('ix_cpg_status_created', ['status', 'createdAt', 'id'])
@Index('ix_cpg_type', ['programType'])
@Index('ix_cpg_banner_media', ['bannerMediaId'])
@Index('ix_cpg_icon_media', ['iconMediaId'])
@Index('ix_cpg_created_by', ['createdById'])
@Check('ck_cpg_slug', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('ck_cpg_min_bot_count', `min_bot_count >= 0`)
@Check('ck_cpg_min_conversations', `min_conversations >= 0`)
@Check('ck_cpg_max_participants', `max_participants IS NULL OR max_participants >= 1`)
@Check(
  'ck_cpg_renewal',
  `(renewal_required AND renewal_period_months BETWEEN 1 AND 36) OR (NOT renewal_required AND renewal_period_months IS NULL)`,
)
@Check('ck_cpg_tags', `cardinality(tags) <= 20`)
@Check('ck_cpg_internal_notes', `char_length(internal_notes) <= 5000`)
export class CreatorProgram extends TimestampedEntity {
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 80 }) slug!: string;
  @Column({ type: 'enum', enum: CreatorProgramType, enumName: 'creator_program_type' })
  programType!: CreatorProgramType;
  @Column({
    type: 'enum',
    enum: CreatorProgramStatus,
    enumName: 'creator_program_status',
    default: CreatorProgramStatus.Draft,
  })
  status!: CreatorProgramStatus;
  @Column({ type: 'varchar', length: 500 }) shortDescription!: string;
  @Column({ type: 'varchar', length: 2000 }) description!: string;

  @Column({ type: 'uuid', nullable: true }) bannerMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'banner_media_id', foreignKeyConstraintName: 'fk_creator_programs_banner_media' })
  bannerMedia?: Relation<Media> | null;
  @Column({ type: 'uuid', nullable: true }) iconMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'icon_media_id', foreignKeyConstraintName: 'fk_creator_programs_icon_media' })
  iconMedia?: Relation<Media> | null;

  @Column({ type: 'smallint', default: 1 }) minBotCount!: number;
  @Column({ type: 'integer', default: 0 }) minConversations!: number;
  @Column({ type: 'enum', enum: CreatorSpecialty, enumName: 'creator_specialty', array: true, default: '{}' })
  requiredSpecialties!: CreatorSpecialty[];
  @Column({ type: 'boolean', default: false }) verificationRequired!: boolean;
  @Column({ type: 'boolean', default: true }) portfolioReview!: boolean;
  @Column({ type: 'enum', enum: ProgramStanding, enumName: 'program_standing', default: ProgramStanding.Good })
  communityStanding!: ProgramStanding;
  @Column({
    type: 'enum',
    enum: ProgramApplicationMethod,
    enumName: 'program_application_method',
    default: ProgramApplicationMethod.Form,
  })
  applicationMethod!: ProgramApplicationMethod;
  @Column({ type: 'timestamptz', nullable: true }) applicationDeadline!: Date | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) reviewProcess!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) reviewTimeline!: string | null;
  @Column({ type: 'integer', nullable: true }) maxParticipants!: number | null;
  @Column({ type: 'boolean', default: false }) renewalRequired!: boolean;
  @Column({ type: 'smallint', nullable: true }) renewalPeriodMonths!: number | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) autoAcceptCriteria!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) launchDate!: Date | null;
  @Column({ type: 'text', array: true, default: '{}' }) tags!: string[];
  @Column({ type: 'text', nullable: true }) internalNotes!: string | null;

  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'fk_creator_programs_created_by' })
  createdBy?: Relation<User> | null;
}
