import { createHash, randomBytes } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { ForbiddenError } from '../../common/errors/app-error.js';
import { UserStatus } from './entities/user.entity.js';

/** A fresh opaque 256-bit token (base64url, 43 characters). Only its SHA-256 is ever stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Status suspended, and either indefinite or not yet over (the same rule as the request guard). */
export function isSuspended(
  user: { status: UserStatus; suspendedUntil: Date | null },
  now: Date = new Date(),
): boolean {
  return user.status === UserStatus.Suspended && (!user.suspendedUntil || user.suspendedUntil > now);
}

/** 403 ACCOUNT_SUSPENDED, with the end of the suspension (null: indefinite). */
export function accountSuspended(user: { suspendedUntil: Date | null }): ForbiddenError {
  return new ForbiddenError('ACCOUNT_SUSPENDED', 'This account is suspended.', {
    suspended_until: user.suspendedUntil?.toISOString() ?? null,
  });
}

/** The name of the unique constraint a failed insert/update violated, if that is what happened. */
export function uniqueViolation(err: unknown): string | null {
  if (!(err instanceof QueryFailedError)) return null;
  const driver = (err as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' ? (driver.constraint ?? 'unknown') : null;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
