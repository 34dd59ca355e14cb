import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { Persona } from './persona.entity.js';

/** At most this many sections per persona; positions run 0..19, so the unique index enforces the cap. */
export const MAX_DETAIL_SECTIONS = 20;

/** One labelled part of a persona's additional details (bots.md §4), replaced as a whole list by PATCH. */
@Entity('persona_detail_sections')
@Index('ux_persona_detail_sections_pos', ['personaId', 'position'], { unique: true })
@Check('ck_persona_detail_sections_position', `position BETWEEN 0 AND ${MAX_DETAIL_SECTIONS - 1}`)
@Check('ck_persona_detail_sections_label', 'char_length(btrim(label)) >= 1')
@Check('ck_persona_detail_sections_content', 'char_length(content) BETWEEN 1 AND 5000')
export class PersonaDetailSection extends TimestampedEntity {
  @Column({ type: 'uuid' }) personaId!: string;
  @ManyToOne('Persona', 'detailSections', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_persona_detail_sections_persona' })
  persona?: Relation<Persona>;
  @Column({ type: 'smallint' }) position!: number;
  @Column({ type: 'varchar', length: 100 }) label!: string;
  @Column({ type: 'text' }) content!: string;
}
