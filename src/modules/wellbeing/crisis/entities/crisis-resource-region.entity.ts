import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { CrisisResource } from './crisis-resource.entity.js';

/** A country (optionally a subdivision) a crisis resource serves (wellbeing.md §4.1). */
@Entity('crisis_resource_regions')
/** ux_crisis_region (resource_id, country_code, coalesce(subdivision_code, '')) is an expression index: in the migration. */
@Index('ux_crisis_region', { synchronize: false })
@Index('ix_crisis_region_country', ['countryCode', 'subdivisionCode'])
@Check('ck_crisis_region_country', `country_code ~ '^[A-Z]{2}$'`)
@Check('ck_crisis_region_subdivision', `subdivision_code IS NULL OR subdivision_code LIKE country_code || '-%'`)
export class CrisisResourceRegion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) resourceId!: string;
  @ManyToOne('CrisisResource', 'regions', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_crisis_region_resource' })
  resource?: Relation<CrisisResource>;
  @Column({ type: 'char', length: 2 }) countryCode!: string;
  @Column({ type: 'varchar', length: 6, nullable: true }) subdivisionCode!: string | null;
}
