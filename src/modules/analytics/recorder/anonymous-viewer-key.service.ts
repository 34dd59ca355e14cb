import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** `anon:` + 32 hex characters for a signed-out viewer (analytics.md §1); the raw address is never stored. */
@Injectable()
export class AnonymousViewerKey {
  private cached: { day: string; salt: Buffer } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forViewer(ip: string, userAgent: string | undefined, now = new Date()): Promise<string> {
    const salt = await this.saltOf(now.toISOString().slice(0, 10));
    const digest = createHash('sha256')
      .update(salt)
      .update(ip)
      .update('\n')
      .update(userAgent ?? '')
      .digest('hex');
    return `anon:${digest.slice(0, 32)}`;
  }

  /** Every instance uses the same salt for a day: the first one to ask creates it. */
  private async saltOf(day: string): Promise<Buffer> {
    if (this.cached?.day === day) return this.cached.salt;
    await this.dataSource.query(
      `INSERT INTO analytics_view_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`,
      [day, randomBytes(32)],
    );
    const [row] = await this.dataSource.query(`SELECT salt FROM analytics_view_salts WHERE day = $1`, [day]);
    this.cached = { day, salt: row.salt as Buffer };
    return this.cached.salt;
  }
}
