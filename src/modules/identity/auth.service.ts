import { MailTokenSealer } from './mail/mail-token-sealer.js';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, InvalidError, UnauthorizedError } from '../../common/errors/app-error.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import type { MailTemplate } from '../../common/queue/jobs.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { AccessTokenService } from './access-token.service.js';
import { ActorCache } from './actor-cache.js';
import { AuthTokenService } from './auth-token.service.js';
import type { ClientInfo } from './client-info.js';
import type { AuthResponseDto, LoginDto, RegisterDto, TokenPairDto } from './dto/auth.dto.js';
import { toUserAccount } from './dto/user-response.dto.js';
import { AuthTokenPurpose } from './entities/auth-token.entity.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { usernameFromEmail } from './reserved-usernames.js';
import { accountSuspended, isSuspended, uniqueViolation } from './tokens.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 10;
const GENERATED_USERNAME_ATTEMPTS = 8;

export const invalidCredentials = () =>
  new UnauthorizedError('INVALID_CREDENTIALS', 'The email or password is incorrect.');

export const emailTaken = () => new ConflictError('EMAIL_TAKEN', 'An account with this email already exists.');
export const usernameTaken = () => new ConflictError('USERNAME_TAKEN', 'This username is taken.');

/** 400 when a password equals the account's email (identity.md §1: 10–128 characters, not the email). */
export function assertPasswordNotEmail(password: string, email: string, field: string): void {
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw new InvalidError('VALIDATION_FAILED', 'The request has invalid or unknown fields.', [
      { field, message: `${field} must not be the email address` },
    ]);
  }
}

/** Sign-up, sign-in, sessions and the emailed-token flows (identity.md §1). */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private dummyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly authTokens: AuthTokenService,
    private readonly jobs: JobQueue,
    private readonly actorCache: ActorCache,
    private readonly sealer: MailTokenSealer,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /**
   * Creates the account, its first session and a verification token; the verification and welcome mails are
   * queued after commit. `accepted_document_ids` is accepted but not recorded until the legal module exists.
   */
  async register(dto: RegisterDto, client: ClientInfo): Promise<AuthResponseDto> {
    assertPasswordNotEmail(dto.password, dto.email, 'password');
    if (await this.users.existsBy({ email: dto.email })) throw emailTaken();
    if (dto.username && (await this.users.existsBy({ username: dto.username }))) throw usernameTaken();
    const passwordHash = await this.hasher.hash(dto.password);

    for (let attempt = 1; ; attempt += 1) {
      const username = dto.username ?? usernameFromEmail(dto.email);
      try {
        const result = await this.dataSource.transaction(async (em) => {
          const inserted = await em.insert(User, {
            email: dto.email,
            username,
            passwordHash,
            displayName: dto.display_name ?? null,
          });
          const userId = inserted.identifiers[0].id as string;
          await this.analytics.record(em, {
            type: 'user_registered',
            idempotencyKey: `user_new:${userId}`,
            actorUserId: userId,
          });
          const verification = await this.authTokens.issue(em, userId, AuthTokenPurpose.EmailVerification);
          const refresh = await this.refreshTokens.issue(em, userId, client);
          const user = await em.findOneByOrFail(User, { id: userId });
          return { user, verification, refresh: refresh.token };
        });
        await this.mail('email_verification', result.user.id, result.verification);
        await this.mail('welcome', result.user.id);
        this.logger.log({ msg: 'account registered', userId: result.user.id });
        return { user: toUserAccount(result.user), ...this.pair(result.user, result.refresh) };
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'ux_users_email') throw emailTaken();
        if (constraint === 'ux_users_username') {
          if (dto.username || attempt >= GENERATED_USERNAME_ATTEMPTS) throw usernameTaken();
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * Unknown email, wrong password and a locked account all answer the same 401 after one argon2 verification, so
   * neither the body nor the timing tells whether the account exists. Five failures in a row lock it for 10 min.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<AuthResponseDto> {
    const user = await this.users.findOneBy({ email: dto.email });
    if (!user) {
      await this.hasher.verify(await this.getDummyHash(), dto.password);
      throw invalidCredentials();
    }
    const passwordOk = await this.hasher.verify(user.passwordHash, dto.password);
    if (user.lockedUntil && user.lockedUntil > new Date()) throw invalidCredentials();
    if (!passwordOk) {
      await this.recordFailedLogin(user.id);
      throw invalidCredentials();
    }
    if (isSuspended(user)) throw accountSuspended(user);

    const refresh = await this.dataSource.transaction(async (em) => {
      await em.update(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() });
      return this.refreshTokens.issue(em, user.id, client);
    });
    const fresh = await this.users.findOneByOrFail({ id: user.id });
    return { user: toUserAccount(fresh), ...this.pair(fresh, refresh.token) };
  }

  async refresh(presented: string, client: ClientInfo): Promise<TokenPairDto> {
    const { user, token } = await this.refreshTokens.rotate(presented, client);
    return this.pair(user, token);
  }

  /** Ends the session the presented refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(actor: Actor, presented: string): Promise<void> {
    await this.refreshTokens.revokeFamilyOf(actor.id, presented);
  }

  /** Ends every session and invalidates every access token (token_version + 1). */
  async logoutAll(actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.refreshTokens.revokeAll(em, actor.id);
      await this.bumpTokenVersion(em, actor.id);
    });
    this.actorCache.invalidate(actor.id);
  }

  /** Always succeeds (202), whether or not the address has an account. */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findOne({ where: { email }, select: { id: true } });
    if (!user) return;
    const token = await this.dataSource.transaction((em) =>
      this.authTokens.issue(em, user.id, AuthTokenPurpose.PasswordReset),
    );
    await this.mail('password_reset', user.id, token);
  }

  /** Sets a new password from a reset token; every session and access token of the account ends. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const row = await this.authTokens.find(token, [AuthTokenPurpose.PasswordReset]);
    const user = await this.users.findOne({ where: { id: row.userId }, select: { id: true, email: true } });
    if (!user) throw new InvalidError('INVALID_TOKEN', 'This link is invalid, already used or expired.');
    assertPasswordNotEmail(newPassword, user.email, 'new_password');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (em) => {
      await this.authTokens.consume(em, row);
      await this.setPassword(em, user.id, passwordHash);
    });
    this.actorCache.invalidate(user.id);
    this.logger.log({ msg: 'password reset', userId: user.id });
  }

  /** Confirms an address: the verification link marks it verified; an email-change link switches to the new one. */
  async verifyEmail(token: string): Promise<void> {
    const row = await this.authTokens.find(token, [AuthTokenPurpose.EmailVerification, AuthTokenPurpose.EmailChange]);
    try {
      await this.dataSource.transaction(async (em) => {
        await this.authTokens.consume(em, row);
        if (row.purpose === AuthTokenPurpose.EmailChange) {
          await em.update(User, { id: row.userId }, { email: row.newEmail!, emailVerifiedAt: new Date() });
        } else {
          await em
            .createQueryBuilder()
            .update(User)
            .set({ emailVerifiedAt: () => 'COALESCE(email_verified_at, now())' })
            .where('id = :id', { id: row.userId })
            .execute();
        }
      });
      this.actorCache.invalidate(row.userId); // email_verified_at is part of the actor (emailVerified)
    } catch (err) {
      if (uniqueViolation(err) === 'ux_users_email') throw emailTaken();
      throw err;
    }
  }

  /** Sends a new verification link (older ones stop working); nothing is sent when the address is verified. */
  async resendVerification(actor: Actor): Promise<void> {
    const user = await this.users.findOne({ where: { id: actor.id }, select: { id: true, emailVerifiedAt: true } });
    if (!user || user.emailVerifiedAt) return;
    const token = await this.dataSource.transaction((em) =>
      this.authTokens.issue(em, user.id, AuthTokenPurpose.EmailVerification),
    );
    await this.mail('email_verification', user.id, token);
  }

  /** New hash, sessions revoked, token_version + 1, lockout cleared. The caller invalidates ActorCache after commit. */
  async setPassword(em: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({
        passwordHash,
        failedLoginCount: 0,
        lockedUntil: null,
        tokenVersion: () => 'token_version + 1',
      })
      .where('id = :id', { id: userId })
      .execute();
    await this.refreshTokens.revokeAll(em, userId);
  }

  /** token_version + 1 inside the caller's transaction; the caller invalidates ActorCache after commit. */
  async bumpTokenVersion(em: EntityManager, userId: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({ tokenVersion: () => 'token_version + 1' })
      .where('id = :id', { id: userId })
      .execute();
  }

  async mail(template: MailTemplate, userId: string, token?: string): Promise<void> {
    await this.jobs.enqueue('mail.send', {
      template,
      to_user_id: userId,
      ...(token ? { sealed_token: this.sealer.seal(token) } : {}),
    });
  }

  /** Access token for the user's current token_version plus the given refresh token. */
  pair(user: Pick<User, 'id' | 'role' | 'tokenVersion'>, refreshToken: string): TokenPairDto {
    return {
      access_token: this.accessTokens.issue(user),
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
    };
  }

  /** One atomic statement: count the failure, and at the fifth lock the account for 10 minutes (and restart). */
  private async recordFailedLogin(userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE users SET
         locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END,
         failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END
       WHERE id = $1`,
      [userId, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
    );
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
