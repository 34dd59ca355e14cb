import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The daily salt of anonymous viewer keys (analytics.md §1): `anon:` + a hash of ip + user agent + the day's salt.
 * One row per UTC day, created on first use; `analytics.prune-events` drops salts older than 48 h, after which a
 * key can no longer be linked to an address. Unique viewers are therefore per day only.
 */
@Entity('analytics_view_salts')
export class AnalyticsViewSalt {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_analytics_view_salts' }) day!: string;
  @Column({ type: 'bytea' }) salt!: Buffer;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
