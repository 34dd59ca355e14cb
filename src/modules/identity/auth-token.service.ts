import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import { InvalidError } from '../../common/errors/app-error.js';
import { AuthToken, AuthTokenPurpose } from './entities/auth-token.entity.js';
import { newOpaqueToken, sha256Hex } from './tokens.js';

const HOUR_MS = 3600_000;
/** Lifetimes: reset 1 h, verification 24 h (identity.md §1); an email change link lives as long as a verification. */
export const AUTH_TOKEN_TTL_MS: Record<AuthTokenPurpose, number> = {
  [AuthTokenPurpose.PasswordReset]: HOUR_MS,
  [AuthTokenPurpose.EmailVerification]: 24 * HOUR_MS,
  [AuthTokenPurpose.EmailChange]: 24 * HOUR_MS,
};

export const invalidAuthToken = () =>
  new InvalidError('INVALID_TOKEN', 'This link is invalid, already used or expired.', [
    { field: 'token', message: 'token is invalid, already used or expired' },
  ]);

/** Single-use emailed tokens; issuing one invalidates the user's older unused tokens of the same purpose. */
@Injectable()
export class AuthTokenService {
  constructor(private readonly dataSource: DataSource) {}

  async issue(em: EntityManager, userId: string, purpose: AuthTokenPurpose, newEmail: string | null = null) {
    await em.delete(AuthToken, { userId, purpose, usedAt: IsNull() });
    const token = newOpaqueToken();
    await em.insert(AuthToken, {
      userId,
      purpose,
      tokenHash: sha256Hex(token),
      newEmail,
      expiresAt: new Date(Date.now() + AUTH_TOKEN_TTL_MS[purpose]),
      usedAt: null,
    });
    return token;
  }

  /** The unused, unexpired token row of one of these purposes, or 400 INVALID_TOKEN. Does not consume it. */
  async find(token: string, purposes: AuthTokenPurpose[], em: EntityManager = this.dataSource.manager) {
    const row = await em.findOne(AuthToken, {
      where: { tokenHash: sha256Hex(token), purpose: In(purposes), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (!row) throw invalidAuthToken();
    return row;
  }

  /** Marks the token used inside the caller's transaction; a concurrent use loses with 400 INVALID_TOKEN. */
  async consume(em: EntityManager, row: AuthToken): Promise<void> {
    const result = await em.update(AuthToken, { id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!result.affected) throw invalidAuthToken();
  }
}
