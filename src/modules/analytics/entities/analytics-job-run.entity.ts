import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last run of each scheduled analytics job (sweep, nightly, prune), shown by GET /admin/analytics/queue. */
@Entity('analytics_job_runs')
export class AnalyticsJobRun {
  @PrimaryColumn({ type: 'varchar', length: 60, primaryKeyConstraintName: 'pk_analytics_job_runs' }) jobName!: string;
  @Column({ type: 'timestamptz' }) startedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column({ type: 'boolean', nullable: true }) succeeded!: boolean | null;
  @Column({ type: 'integer', nullable: true }) durationMs!: number | null;
  /** Scope of the run (the day a nightly run recomputed), never personal data. */
  @Column({ type: 'jsonb', default: () => `'{}'` }) details!: Record<string, unknown>;
}
