import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../../common/database/timestamped.entity.js';
import type { User } from '../../../identity/entities/user.entity.js';
import { CRISIS_CATEGORY_ENUM, CRISIS_SEVERITY_ENUM, CrisisCategory, CrisisSeverity } from './crisis.enums.js';

/** A staff-maintained phrase that triggers a crisis notice (wellbeing.md §4.2). Stored normalized. */
@Entity('crisis_keywords')
@Index('ux_crisis_kw', ['language', 'phrase'], { unique: true })
@Index('ix_crisis_kw_active', ['isActive'])
@Index('ix_crisis_kw_created_by', ['createdById'])
export class CrisisKeyword extends TimestampedEntity {
  @Column({ type: 'varchar', length: 100 }) phrase!: string;
  @Column({ type: 'varchar', length: 12 }) language!: string;
  @Column({ type: 'enum', enum: CrisisCategory, enumName: CRISIS_CATEGORY_ENUM }) category!: CrisisCategory;
  @Column({ type: 'enum', enum: CrisisSeverity, enumName: CRISIS_SEVERITY_ENUM, default: CrisisSeverity.Elevated })
  severity!: CrisisSeverity;
  @Column({ type: 'boolean', default: true }) isActive!: boolean;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'fk_crisis_kw_created_by' })
  createdBy?: Relation<User>;
}
