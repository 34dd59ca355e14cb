import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { Env } from '../../common/config/env.js';
import { UnauthorizedError } from '../../common/errors/app-error.js';
import type { ClientInfo } from './client-info.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { accountSuspended, isSuspended, newOpaqueToken, sha256Hex } from './tokens.js';

type RotateOutcome =
  | { kind: 'ok'; user: User; token: string }
  | { kind: 'invalid' }
  | { kind: 'suspended'; user: User }
  | { kind: 'reuse'; userId: string; familyId: string };

export const invalidRefreshToken = () =>
  new UnauthorizedError('INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked; sign in again.');

/**
 * Refresh tokens: opaque 256-bit values, stored as SHA-256, 30-day life, rotated on every use. A token presented
 * after it was rotated means two parties hold the family (theft or a replay): the whole family is revoked.
 */
@Injectable()
export class RefreshTokenService {
  private readonly logger = new Logger(RefreshTokenService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** Starts a new family (sign-in) or continues one (rotation); returns the raw token, which is never stored. */
  async issue(
    em: EntityManager,
    userId: string,
    client: ClientInfo,
    familyId: string = randomUUID(),
  ): Promise<{ token: string; row: RefreshToken }> {
    const token = newOpaqueToken();
    const row = em.create(RefreshToken, {
      userId,
      familyId,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + this.config.get('REFRESH_TOKEN_TTL_SECONDS') * 1000),
      revokedAt: null,
      replacedById: null,
      userAgent: client.userAgent,
      ip: client.ip,
    });
    await em.insert(RefreshToken, row);
    return { token, row };
  }

  /** Exchanges a refresh token for a new one of the same family; returns the (current) user. */
  async rotate(presented: string, client: ClientInfo): Promise<{ user: User; token: string }> {
    const hash = sha256Hex(presented);
    const outcome = await this.dataSource.transaction(async (em): Promise<RotateOutcome> => {
      const row = await em.findOne(RefreshToken, { where: { tokenHash: hash }, lock: { mode: 'pessimistic_write' } });
      if (!row) return { kind: 'invalid' };
      if (row.revokedAt) {
        return row.replacedById ? { kind: 'reuse', userId: row.userId, familyId: row.familyId } : { kind: 'invalid' };
      }
      if (row.expiresAt <= new Date()) return { kind: 'invalid' };
      const user = await em.findOneBy(User, { id: row.userId });
      if (!user) return { kind: 'invalid' };
      if (isSuspended(user)) return { kind: 'suspended', user };
      const next = await this.issue(em, row.userId, client, row.familyId);
      await em.update(RefreshToken, { id: row.id }, { revokedAt: new Date(), replacedById: next.row.id });
      return { kind: 'ok', user, token: next.token };
    });
    switch (outcome.kind) {
      case 'ok':
        return { user: outcome.user, token: outcome.token };
      case 'reuse':
        await this.revokeFamily(this.dataSource.manager, outcome.familyId);
        this.logger.warn({
          msg: 'refresh token reuse detected; session family revoked',
          userId: outcome.userId,
          familyId: outcome.familyId,
        });
        throw invalidRefreshToken();
      case 'suspended':
        throw accountSuspended(outcome.user);
      case 'invalid':
        throw invalidRefreshToken();
    }
  }

  /** Revokes the family of a presented token if it belongs to `userId` (logout); silent otherwise. */
  async revokeFamilyOf(userId: string, presented: string): Promise<void> {
    const row = await this.dataSource.manager.findOne(RefreshToken, {
      where: { tokenHash: sha256Hex(presented), userId },
      select: { id: true, familyId: true },
    });
    if (row) await this.revokeFamily(this.dataSource.manager, row.familyId);
  }

  async revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every session of the user (logout-all, password change or reset). */
  async revokeAll(em: EntityManager, userId: string): Promise<void> {
    await em.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
