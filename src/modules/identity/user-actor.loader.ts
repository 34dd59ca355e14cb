import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ActorLoader, type AccessTokenClaims } from '../../common/auth/actor-loader.js';
import { UnauthorizedError } from '../../common/errors/app-error.js';
import { ActorCache, type ActorRow } from './actor-cache.js';
import { User } from './entities/user.entity.js';
import { accountSuspended, isSuspended } from './tokens.js';

/**
 * Resolves a verified access token to the current user on every request: a token minted before a password change,
 * role change or logout-all (older `tv`) is refused, and suspended accounts get 403 ACCOUNT_SUSPENDED.
 * The row comes from ActorCache (5 s, invalidated on every local write; see there why that is safe) or the database.
 */
@Injectable()
export class UserActorLoader extends ActorLoader {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cache: ActorCache,
  ) {
    super();
  }

  async load(claims: AccessTokenClaims): Promise<Actor> {
    const user = this.cache.get(claims.sub) ?? (await this.fetch(claims.sub));
    if (!user) throw new UnauthorizedError('TOKEN_REVOKED', 'This access token is no longer valid; sign in again.');
    // Suspension is checked before token_version (which the suspension bumped), so the person's existing token
    // is told why (403 ACCOUNT_SUSPENDED) instead of a bare 401. Evaluated per request: suspended_until may pass.
    if (isSuspended(user)) throw accountSuspended(user);
    if (user.tokenVersion !== claims.tv) {
      throw new UnauthorizedError('TOKEN_REVOKED', 'This access token is no longer valid; sign in again.');
    }
    return { id: user.id, role: user.role, username: user.username, emailVerified: !!user.emailVerifiedAt };
  }

  /** Reads the row and caches it (unknown users are not cached: they are refused, and ids are never reused). */
  private async fetch(id: string): Promise<ActorRow | null> {
    const generation = this.cache.generation();
    const user = await this.users.findOne({
      where: { id },
      select: {
        id: true,
        role: true,
        username: true,
        status: true,
        suspendedUntil: true,
        tokenVersion: true,
        emailVerifiedAt: true,
      },
    });
    if (!user) return null;
    const row: ActorRow = {
      id: user.id,
      role: user.role,
      username: user.username,
      status: user.status,
      suspendedUntil: user.suspendedUntil,
      tokenVersion: user.tokenVersion,
      emailVerifiedAt: user.emailVerifiedAt,
    };
    this.cache.set(row, generation);
    return row;
  }
}
