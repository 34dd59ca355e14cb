import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { CreatorProgram } from './creator-program.entity.js';

/** A level inside a programme (creators.md §3.1). */
@Entity('creator_program_tiers')
@Index('ux_cpt_level', ['programId', 'level'], { unique: true })
@Check('ck_cpt_level', `level >= 1`)
@Check('ck_cpt_benefits', `cardinality(benefits) <= 20`)
export class CreatorProgramTier extends TimestampedEntity {
  @Column({ type: 'uuid' }) programId!: string;
  @ManyToOne('CreatorProgram', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_cpt_program' })
  program?: Relation<CreatorProgram>;
  @Column({ type: 'smallint' }) level!: number;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 2000 }) description!: string;
  @Column({ type: 'varchar', length: 2000, nullable: true }) requirements!: string | null;
  @Column({ type: 'text', array: true, default: '{}' }) benefits!: string[];
}
