import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { CreatorProgram } from './creator-program.entity.js';
import { ProgramBenefitCategory } from './creator.enums.js';

/** One benefit a programme offers (creators.md §3.1). */
@Entity('creator_program_benefits')
@Index('ix_cpb_program_position', ['programId', 'position'])
@Check('ck_cpb_position', `position >= 0`)
export class CreatorProgramBenefit extends TimestampedEntity {
  @Column({ type: 'uuid' }) programId!: string;
  @ManyToOne('CreatorProgram', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_cpb_program' })
  program?: Relation<CreatorProgram>;
  @Column({ type: 'enum', enum: ProgramBenefitCategory, enumName: 'program_benefit_category' })
  category!: ProgramBenefitCategory;
  @Column({ type: 'varchar', length: 1000 }) description!: string;
  @Column({ type: 'smallint' }) position!: number;
}
