import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { KnowledgeFilterMode } from '../knowledge.enums.js';
import type { Persona } from '../../personas/entities/persona.entity.js';
import type { KnowledgeEntry } from './knowledge-entry.entity.js';

/** Per-entry persona filter (knowledge.md §3.2). */
@Entity('knowledge_persona_filters')
@Index('ix_kpf_persona', ['personaId'])
export class KnowledgePersonaFilter {
  @PrimaryColumn({ type: 'uuid' }) entryId!: string;
  @ManyToOne('KnowledgeEntry', (e: KnowledgeEntry) => e.personaFilters, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_kpf_entry' })
  entry?: Relation<KnowledgeEntry>;

  @PrimaryColumn({ type: 'uuid' }) personaId!: string;
  @ManyToOne('Persona', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_kpf_persona' })
  persona?: Relation<Persona>;

  @Column({ type: 'enum', enum: KnowledgeFilterMode, enumName: 'knowledge_filter_mode' }) mode!: KnowledgeFilterMode;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
