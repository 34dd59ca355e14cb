import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../../common/database/timestamped.entity.js';
import type { User } from '../../../identity/entities/user.entity.js';
import {
  CRISIS_CATEGORY_ENUM,
  CRISIS_COST_ENUM,
  CRISIS_FEATURE_ENUM,
  CRISIS_RESOURCE_TYPE_ENUM,
  CRISIS_VERIFICATION_ENUM,
  CrisisCategory,
  CrisisCost,
  CrisisFeature,
  CrisisResourceType,
  CrisisVerification,
} from './crisis.enums.js';
import type { CrisisResourceHours } from './crisis-resource-hours.entity.js';
import type { CrisisResourceRegion } from './crisis-resource-region.entity.js';

/** A verified help service shown publicly and inside crisis notices (wellbeing.md §4.1). */
@Entity('crisis_resources')
@Index('ix_crisis_res_public', ['isActive', 'verificationStatus', 'resourceCategory'])
@Index('ix_crisis_res_languages', ['languages'], { type: 'gin' })
@Index('ix_crisis_res_order', ['isEmergency', 'displayOrder', 'title', 'id'])
@Index('ix_crisis_res_verified_by', ['verifiedById'])
@Index('ix_crisis_res_created_by', ['createdById'])
@Index('ix_crisis_res_updated_by', ['updatedById'])
@Check('ck_crisis_res_contact', 'num_nonnulls(phone_number, text_number, website_url, chat_url, email, app_url) > 0')
@Check('ck_crisis_res_description', 'char_length(description) <= 4000')
@Check('ck_crisis_res_languages', 'cardinality(languages) > 0')
@Check('ck_crisis_res_tags', 'cardinality(tags) <= 20')
export class CrisisResource extends TimestampedEntity {
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'enum', enum: CrisisResourceType, enumName: CRISIS_RESOURCE_TYPE_ENUM })
  resourceType!: CrisisResourceType;
  @Column({ type: 'enum', enum: CrisisCategory, enumName: CRISIS_CATEGORY_ENUM })
  resourceCategory!: CrisisCategory;
  @Column({ type: 'varchar', length: 32, nullable: true }) phoneNumber!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) textNumber!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) textInstructions!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) websiteUrl!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) chatUrl!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) appUrl!: string | null;
  @Column({ type: 'varchar', length: 254, nullable: true }) email!: string | null;
  @Column({ type: 'boolean', default: false }) isWorldwide!: boolean;
  @Column({ name: 'is_24_7', type: 'boolean', default: false }) is24x7!: boolean;
  @Column({ type: 'text', default: 'UTC' }) timezone!: string;
  @Column({ type: 'varchar', length: 300, nullable: true }) hoursNote!: string | null;
  /** Lower-case BCP 47 primary tags. */
  @Column({ type: 'text', array: true }) languages!: string[];
  @Column({ type: 'enum', enum: CrisisCost, enumName: CRISIS_COST_ENUM, default: CrisisCost.Free }) cost!: CrisisCost;
  @Column({ type: 'enum', enum: CrisisFeature, enumName: CRISIS_FEATURE_ENUM, array: true, default: () => `'{}'` })
  features!: CrisisFeature[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) tags!: string[];
  @Column({ type: 'boolean', default: false }) isEmergency!: boolean;
  @Column({ type: 'integer', default: 0 }) displayOrder!: number;
  @Column({ type: 'boolean', default: true }) isActive!: boolean;
  @Column({
    type: 'enum',
    enum: CrisisVerification,
    enumName: CRISIS_VERIFICATION_ENUM,
    default: CrisisVerification.Pending,
  })
  verificationStatus!: CrisisVerification;
  /** Set only by the verify action. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) verifiedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) verificationNotes!: string | null;

  @Column({ type: 'uuid', nullable: true }) verifiedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'verified_by_id', foreignKeyConstraintName: 'fk_crisis_res_verified_by' })
  verifiedBy?: Relation<User>;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'fk_crisis_res_created_by' })
  createdBy?: Relation<User>;
  @Column({ type: 'uuid', nullable: true }) updatedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_id', foreignKeyConstraintName: 'fk_crisis_res_updated_by' })
  updatedBy?: Relation<User>;

  @OneToMany('CrisisResourceRegion', 'resource') regions?: Relation<CrisisResourceRegion[]>;
  @OneToMany('CrisisResourceHours', 'resource') hours?: Relation<CrisisResourceHours[]>;
}
