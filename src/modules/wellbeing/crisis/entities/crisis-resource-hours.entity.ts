import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { CrisisResource } from './crisis-resource.entity.js';

/** One opening slot of a crisis resource in its time zone (wellbeing.md §4.1); closes ≤ opens runs past midnight. */
@Entity('crisis_resource_hours')
@Check('ck_crisis_hours_weekday', 'iso_weekday BETWEEN 1 AND 7')
export class CrisisResourceHours {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_crisis_resource_hours' }) resourceId!: string;
  @ManyToOne('CrisisResource', 'hours', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_crisis_hours_resource' })
  resource?: Relation<CrisisResource>;
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_crisis_resource_hours' }) isoWeekday!: number;
  /** 'HH:MM:SS' */
  @PrimaryColumn({ type: 'time', primaryKeyConstraintName: 'pk_crisis_resource_hours' }) opensAt!: string;
  @Column({ type: 'time' }) closesAt!: string;
}
