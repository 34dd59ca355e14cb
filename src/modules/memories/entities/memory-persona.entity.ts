import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Persona } from '../../personas/entities/persona.entity.js';
import type { Memory } from './memory.entity.js';

/** Personas a memory belongs to (chat.md §4). */
@Entity('memory_personas')
@Index('ix_memory_personas_persona', ['personaId', 'memoryId'])
export class MemoryPersona {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_personas' }) memoryId!: string;
  @ManyToOne('Memory', (m: Memory) => m.personaLinks, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memory_id', foreignKeyConstraintName: 'fk_memory_personas_memory' })
  memory?: Relation<Memory>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_personas' }) personaId!: string;
  @ManyToOne('Persona', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_memory_personas_persona' })
  persona?: Relation<Persona>;
}
