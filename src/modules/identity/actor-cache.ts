import { Injectable } from '@nestjs/common';
import type { UserRole } from '../../common/auth/actor.js';
import type { UserStatus } from './entities/user.entity.js';

/** The users columns the JWT guard checks on every request (UserActorLoader). */
export interface ActorRow {
  id: string;
  role: UserRole;
  username: string;
  status: UserStatus;
  suspendedUntil: Date | null;
  tokenVersion: number;
  emailVerifiedAt: Date | null;
}

interface Entry {
  row: ActorRow;
  expiresAt: number;
}

/**
 * The guard's "short cache" of identity.md §1: the actor columns of recently seen users, per process, so an
 * authenticated request does not read the users row every time.
 *
 * Freshness:
 * - In this process every write that changes a cached column (role, status, suspended_until, token_version,
 *   username, email_verified_at, or deletes the user) calls `invalidate(userId)` AFTER its transaction commits, so
 *   suspension, role changes, password changes and logout-all take effect on the very next request here.
 *   A load that read the row before such an invalidation never stores its (possibly stale) row: `set` is refused
 *   when any invalidation happened since the load's `generation()` snapshot.
 * - Other processes (further API replicas, the worker, the admin CLI) cannot reach this map. There a change is seen
 *   at the latest after TTL_MS (5 s). That is acceptable: it is far below the 15-minute access-token lifetime that
 *   bounds a stale token anyway, it only delays (never skips) the refusal of a suspended or revoked token, and the
 *   spec asks for exactly this ("the guard loads the user (short cache)"). Nothing but the guard reads this cache:
 *   authorisation decisions on data (grants, ownership) always hit the database.
 *
 * Bounded: at most MAX_ENTRIES rows, least recently used evicted first (Map keeps insertion order).
 */
@Injectable()
export class ActorCache {
  static readonly TTL_MS = 5_000;
  static readonly MAX_ENTRIES = 10_000;

  private readonly entries = new Map<string, Entry>();
  private gen = 0;

  /** The cached row, or undefined when absent or older than TTL_MS. */
  get(userId: string, now = Date.now()): ActorRow | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    this.entries.delete(userId);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(userId, entry); // most recently used last
    return entry.row;
  }

  /** Take this BEFORE reading the row from the database; pass it to `set`. */
  generation(): number {
    return this.gen;
  }

  /** Stores a row read from the database, unless an invalidation ran since `generation` was taken. */
  set(row: ActorRow, generation: number, now = Date.now()): void {
    if (generation !== this.gen) return;
    this.entries.delete(row.id);
    if (this.entries.size >= ActorCache.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(row.id, { row, expiresAt: now + ActorCache.TTL_MS });
  }

  /** Call after the transaction that changed the user's actor columns (or deleted the user) has committed. */
  invalidate(userId: string): void {
    this.gen += 1;
    this.entries.delete(userId);
  }

  /** Drops everything (bulk changes, tests). */
  clear(): void {
    this.gen += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
