import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { Bot } from './bot.entity.js';

/**
 * Buffered views (README decision 17): one row per counted view, taken by the `bots.flush-views` job with
 * DELETE … RETURNING and added to bots.view_count in the same statement, so a retried job finds nothing to add twice.
 */
@Entity('bot_view_buffer')
@Index('ix_bot_view_buffer_bot', ['botId'])
export class BotViewBuffer {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_bot_view_buffer' }) id!: string;
  @Column({ type: 'uuid' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bot_view_buffer_bot' })
  bot?: Relation<Bot>;
  @Column({ type: 'timestamptz', default: () => 'now()' }) viewedAt!: Date;
}

/**
 * Who was last counted viewing a bot, so one user or IP counts at most once per bot per 10 minutes. viewer_key is
 * `u-<user id>` or `ip-<sha256 of the IP>` (no raw addresses stored). Rows older than the window are pruned by the
 * flush job.
 */
@Entity('bot_view_marks')
@Index('ix_bot_view_marks_counted', ['countedAt'])
export class BotViewMark {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_view_marks' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bot_view_marks_bot' })
  bot?: Relation<Bot>;
  @PrimaryColumn({ type: 'varchar', length: 80, primaryKeyConstraintName: 'pk_bot_view_marks' }) viewerKey!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) countedAt!: Date;
}
