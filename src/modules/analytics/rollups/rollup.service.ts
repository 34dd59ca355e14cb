import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Env } from '../../../common/config/env.js';
import { oldestRecomputableDay } from './days.js';
import {
  botDaySql,
  dayBounds,
  memoryDaySql,
  personaDaySql,
  platformDaySql,
  recomputeWholeDay,
  type RollupTable,
  userDaySql,
} from './rollup-sql.js';

/** The rollup dimensions (analytics.md §3.2), also the `scope` of a backfill. */
export const ROLLUP_DIMENSIONS = ['user', 'bot', 'persona', 'memory', 'platform'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export const ROLLUP_TABLE_OF: Record<RollupDimension, RollupTable> = {
  user: 'user_daily_stats',
  bot: 'bot_daily_stats',
  persona: 'persona_daily_stats',
  memory: 'memory_daily_stats',
  platform: 'platform_daily_stats',
};

/**
 * Recomputes daily rollups from raw events (analytics.md §3.3). Each run rebuilds whole rows and upserts them, so
 * running a job once, twice or concurrently gives the same rows. A per-key recompute holds
 * pg_advisory_xact_lock(hashtext(table || key || day)) (and the day's lock shared); a whole-day recompute holds the
 * day's lock exclusively, so two recomputes of one row never interleave and leave a stale value.
 */
@Injectable()
export class RollupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** False for days whose events may already be pruned: such a job is a no-op, so pruning never zeroes history. */
  isRecomputable(day: string, now = new Date()): boolean {
    return day >= oldestRecomputableDay(now, this.config.get('ANALYTICS_EVENT_RETENTION_DAYS', { infer: true }));
  }

  userDay(userId: string, day: string): Promise<boolean> {
    return this.recomputeOne('user', day, [userId], userDaySql(true));
  }

  botDay(botId: string, day: string): Promise<boolean> {
    return this.recomputeOne('bot', day, [botId], botDaySql(true));
  }

  personaDay(personaId: string, day: string): Promise<boolean> {
    return this.recomputeOne('persona', day, [personaId], personaDaySql(true));
  }

  memoryDay(userId: string, botId: string, day: string): Promise<boolean> {
    return this.recomputeOne('memory', day, [userId, botId], memoryDaySql(true));
  }

  platformDay(day: string): Promise<boolean> {
    return this.recomputeOne('platform', day, [], platformDaySql());
  }

  /** Every row of one dimension for one day, in one statement (nightly run, backfill, benchmark). */
  async recomputeDay(dimension: RollupDimension, day: string): Promise<boolean> {
    if (!this.isRecomputable(day)) return false;
    await this.dataSource.transaction((em) =>
      recomputeWholeDay((sql, params) => em.query(sql, params), ROLLUP_TABLE_OF[dimension], day),
    );
    return true;
  }

  /** Returns false when the day is past retention (nothing was done). */
  private async recomputeOne(dimension: RollupDimension, day: string, keys: string[], sql: string): Promise<boolean> {
    if (!this.isRecomputable(day)) return false;
    const table = ROLLUP_TABLE_OF[dimension];
    await this.dataSource.transaction(async (em: EntityManager) => {
      // The day lock first (shared), then the row lock: a whole-day recompute holds the day lock exclusively.
      await em.query(`SELECT pg_advisory_xact_lock_shared(hashtext($1 || $2))`, [table, day]);
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1 || $2 || $3))`, [table, keys.join('-'), day]);
      await em.query(sql, [...dayBounds(day), ...keys]);
    });
    return true;
  }
}
