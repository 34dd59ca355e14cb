import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Persona } from '../../personas/entities/persona.entity.js';

/** PersonaAnalytics: how the owner uses a persona per UTC day (analytics.md §2.3). */
@Entity('persona_daily_stats')
@Check(
  'ck_persona_daily_stats_counters',
  'messages_sent >= 0 AND conversations >= 0 AND bots_chatted >= 0 AND starts >= 0 AND switches_in >= 0 AND ' +
    'replies_received >= 0',
)
export class PersonaDailyStat {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_persona_daily_stats' }) personaId!: string;
  @ManyToOne('Persona', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_persona_daily_stats_persona' })
  persona?: Relation<Persona>;
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_persona_daily_stats' }) day!: string;
  @Column({ type: 'integer', default: 0 }) messagesSent!: number;
  @Column({ type: 'integer', default: 0 }) conversations!: number;
  @Column({ type: 'integer', default: 0 }) botsChatted!: number;
  @Column({ type: 'integer', default: 0 }) starts!: number;
  @Column({ type: 'integer', default: 0 }) switchesIn!: number;
  @Column({ type: 'integer', default: 0 }) repliesReceived!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
