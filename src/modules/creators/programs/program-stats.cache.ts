import { Injectable } from '@nestjs/common';
import type { ProgramStatsDto } from '../dto/creator-program.dto.js';

const TTL_MS = 60_000;

/**
 * Programme statistics are computed on read and cached for 60 s (creators.md §3.7), per programme and audience
 * (public / staff). Writes that change them (applications, decisions, memberships) invalidate the programme's entry,
 * so a reader never waits a minute to see their own change.
 */
@Injectable()
export class ProgramStatsCache {
  private readonly entries = new Map<string, { at: number; stats: ProgramStatsDto }>();

  get(programId: string, staff: boolean): ProgramStatsDto | undefined {
    const hit = this.entries.get(`${programId}-${staff}`);
    if (!hit || Date.now() - hit.at > TTL_MS) return undefined;
    return hit.stats;
  }

  set(programId: string, staff: boolean, stats: ProgramStatsDto): void {
    if (this.entries.size > 1000) this.entries.clear();
    this.entries.set(`${programId}-${staff}`, { at: Date.now(), stats });
  }

  invalidate(programId: string): void {
    this.entries.delete(`${programId}-true`);
    this.entries.delete(`${programId}-false`);
  }
}
