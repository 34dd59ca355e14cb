import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../../common/database/timestamped.entity.js';
import type { User } from '../../../identity/entities/user.entity.js';
import { WELLBEING_INTERVENTION_KIND_ENUM, WellbeingInterventionKind } from './self-moderation.enums.js';

/**
 * An alert raised by a self-moderation trigger (wellbeing.md §2.3): delivered once inside an API answer and kept on
 * the user's dashboard. `ux_wellbeing_interv_day` makes a trigger that fires again a no-op. The history list sorts by
 * (local_date, created_at, id) within a user, served by `ix_wellbeing_interv_user_date`.
 */
@Entity('wellbeing_interventions')
@Index('ux_wellbeing_interv_day', ['userId', 'kind', 'localDate'], { unique: true })
@Index('ix_wellbeing_interv_user_date', ['userId', 'localDate', 'createdAt', 'id'])
export class WellbeingIntervention extends TimestampedEntity {
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_wellbeing_interv_user' })
  user?: Relation<User>;
  @Column({ type: 'enum', enum: WellbeingInterventionKind, enumName: WELLBEING_INTERVENTION_KIND_ENUM })
  kind!: WellbeingInterventionKind;
  /** Local date ('YYYY-MM-DD'); for weekly alerts the week's Monday, for late-night ones the night's evening. */
  @Column({ type: 'date' }) localDate!: string;
  /** The numbers behind the alert (used_minutes, limit_minutes, change_7d…); never text. */
  @Column({ type: 'jsonb', default: () => `'{}'` }) details!: Record<string, unknown>;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) deliveredAt!: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) acknowledgedAt!: Date | null;
}
