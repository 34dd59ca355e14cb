import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { CreatorProgram } from './creator-program.entity.js';
import { ProgramQuestionType } from './creator.enums.js';

/** A question of a programme's application form (creators.md §3.1). */
@Entity('creator_program_questions')
@Index('ux_cpq_position', ['programId', 'position'], { unique: true })
@Check('ck_cpq_options', `(question_type = 'multiple_choice') = (cardinality(options) >= 2)`)
@Check('ck_cpq_position', `position >= 0`)
export class CreatorProgramQuestion extends TimestampedEntity {
  @Column({ type: 'uuid' }) programId!: string;
  @ManyToOne('CreatorProgram', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_cpq_program' })
  program?: Relation<CreatorProgram>;
  @Column({ type: 'smallint' }) position!: number;
  @Column({ type: 'varchar', length: 500 }) prompt!: string;
  @Column({ type: 'enum', enum: ProgramQuestionType, enumName: 'program_question_type' })
  questionType!: ProgramQuestionType;
  @Column({ type: 'boolean', default: false }) isRequired!: boolean;
  @Column({ type: 'text', array: true, default: '{}' }) options!: string[];
}
