import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { keysetPage, mapPage, type Page } from '../../common/pagination/page.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { Media, MediaKind } from '../media/entities/media.entity.js';
import { ActorCache } from './actor-cache.js';
import { assertPasswordNotEmail, AuthService, emailTaken, usernameTaken } from './auth.service.js';
import { AuthTokenService } from './auth-token.service.js';
import {
  toUserAccount,
  toUserLookup,
  toUserRecord,
  type UserAccountDto,
  type UserLookupDto,
  type UserRecordDto,
} from './dto/user-response.dto.js';
import type {
  ChangeEmailDto,
  ChangePasswordDto,
  ListUsersQueryDto,
  SuspendUserDto,
  UpdateMeDto,
} from './dto/users.dto.js';
import { AuthTokenPurpose } from './entities/auth-token.entity.js';
import { Pronouns, User, UserStatus } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { UserPolicy } from './user.policy.js';
import { escapeLike, uniqueViolation } from './tokens.js';

export const USERNAME_CHANGE_INTERVAL_DAYS = 30;
const DAY_MS = 86_400_000;

const userNotFound = () => new NotFoundError('USER_NOT_FOUND', 'No such user.');
const wrongPassword = () => new ForbiddenError('WRONG_PASSWORD', 'The password is incorrect.');
const invalidField = (field: string, message: string) =>
  new InvalidError('VALIDATION_FAILED', 'The request has invalid or unknown fields.', [{ field, message }]);

/** Own account, staff moderation of accounts, and account deletion (identity.md §1). */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly policy: UserPolicy,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
    private readonly authTokens: AuthTokenService,
    private readonly jobs: JobQueue,
    private readonly actorCache: ActorCache,
  ) {}

  async me(actor: Actor): Promise<UserAccountDto> {
    const user = await this.users.findOneBy({ id: actor.id });
    if (!user) throw userNotFound();
    return toUserAccount(user);
  }

  async updateMe(actor: Actor, dto: UpdateMeDto): Promise<UserAccountDto> {
    try {
      const user = await this.dataSource.transaction(async (em) => {
        const user = await em.findOne(User, { where: { id: actor.id }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw userNotFound();
        const now = new Date();
        const patch: Partial<User> = {};

        if (dto.display_name !== undefined) patch.displayName = dto.display_name;
        if (dto.nickname !== undefined) patch.nickname = dto.nickname;
        if (dto.about_me !== undefined) patch.aboutMe = dto.about_me;
        if (dto.mature_content_opt_in !== undefined) {
          patch.matureContentOptInAt = dto.mature_content_opt_in ? (user.matureContentOptInAt ?? now) : null;
        }
        if (dto.username !== undefined && dto.username !== user.username.toLowerCase()) {
          const last = user.usernameChangedAt;
          if (last && now.getTime() - last.getTime() < USERNAME_CHANGE_INTERVAL_DAYS * DAY_MS) {
            const next = new Date(last.getTime() + USERNAME_CHANGE_INTERVAL_DAYS * DAY_MS);
            throw new ConflictError(
              'USERNAME_CHANGE_TOO_SOON',
              `The username can change once every ${USERNAME_CHANGE_INTERVAL_DAYS} days.`,
              { next_change_at: next.toISOString() },
            );
          }
          if (await em.existsBy(User, { username: dto.username })) throw usernameTaken();
          patch.username = dto.username;
          patch.usernameChangedAt = now;
        }
        if (dto.avatar_media_id !== undefined && dto.avatar_media_id !== user.avatarMediaId) {
          if (dto.avatar_media_id !== null) await this.assertOwnImage(em, actor.id, dto.avatar_media_id);
          patch.avatarMediaId = dto.avatar_media_id;
        }
        this.applyPronouns(user, dto, patch);

        if (Object.keys(patch).length) await em.update(User, { id: user.id }, patch);
        return em.findOneByOrFail(User, { id: user.id });
      });
      if (dto.username !== undefined) this.actorCache.invalidate(actor.id); // the actor carries the username
      return toUserAccount(user);
    } catch (err) {
      if (uniqueViolation(err) === 'ux_users_username') throw usernameTaken();
      throw err;
    }
  }

  /** Current password required; all sessions end and access tokens are invalidated. */
  async changePassword(actor: Actor, dto: ChangePasswordDto): Promise<void> {
    const user = await this.verifiedSelf(actor, dto.current_password);
    assertPasswordNotEmail(dto.new_password, user.email, 'new_password');
    const hash = await this.hasher.hash(dto.new_password);
    await this.dataSource.transaction((em) => this.auth.setPassword(em, user.id, hash));
    this.actorCache.invalidate(user.id); // token_version moved: old access tokens stop on the next request
    this.logger.log({ msg: 'password changed', userId: user.id });
  }

  /** Current password required; the address switches only when the link mailed to the new address is used. */
  async changeEmail(actor: Actor, dto: ChangeEmailDto): Promise<void> {
    const user = await this.verifiedSelf(actor, dto.current_password);
    if (dto.new_email === user.email.toLowerCase()) throw invalidField('new_email', 'new_email is the current email');
    if (await this.users.existsBy({ email: dto.new_email })) throw emailTaken();
    const token = await this.dataSource.transaction((em) =>
      this.authTokens.issue(em, user.id, AuthTokenPurpose.EmailChange, dto.new_email),
    );
    await this.auth.mail('email_change', user.id, token);
  }

  async deleteMe(actor: Actor, password: string): Promise<void> {
    await this.verifiedSelf(actor, password);
    await this.deleteAccount(actor, actor.id);
  }

  async lookup(actor: Actor, username: string): Promise<UserLookupDto> {
    const user = await this.users.findOneBy({ username });
    if (!user) throw userNotFound();
    return toUserLookup(user, this.policy.lookupView(actor));
  }

  /** Staff list: newest first, keyset-paginated; `q` is a case-insensitive prefix of the email or the username. */
  async list(actor: Actor, query: ListUsersQueryDto): Promise<Page<UserRecordDto>> {
    const qb = this.users.createQueryBuilder('u');
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.q) {
      qb.andWhere(`(u.email LIKE :prefix ESCAPE '\\' OR u.username LIKE :prefix ESCAPE '\\')`, {
        prefix: `${escapeLike(query.q.trim().toLowerCase())}%`,
      });
    }
    const page = await keysetPage(
      qb,
      [
        { expr: 'u.created_at', direction: 'DESC', value: (u) => u.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'u.id', direction: 'DESC', value: (u) => u.id, cast: 'uuid' },
      ],
      query,
    );
    return mapPage(page, (u) => toUserRecord(u, this.policy.recordView(actor, u) ?? 'staff'));
  }

  async get(actor: Actor, id: string): Promise<UserRecordDto> {
    const user = await this.users.findOneBy({ id });
    const view = user && this.policy.recordView(actor, user);
    if (!user || !view) throw userNotFound();
    return toUserRecord(user, view);
  }

  /** Suspends until a time (or indefinitely); token_version + 1 so issued access tokens stop at once. */
  async suspend(actor: Actor, id: string, dto: SuspendUserDto): Promise<UserRecordDto> {
    if (dto.until && dto.until <= new Date()) throw invalidField('until', 'until must be in the future');
    return this.moderate(actor, id, 'suspend', async (em, user) => {
      await em
        .createQueryBuilder()
        .update(User)
        .set({
          status: UserStatus.Suspended,
          suspendedUntil: dto.until ?? null,
          suspensionReason: dto.reason,
          tokenVersion: () => 'token_version + 1',
        })
        .where('id = :id', { id: user.id })
        .execute();
    });
  }

  async unsuspend(actor: Actor, id: string): Promise<UserRecordDto> {
    return this.moderate(actor, id, 'suspend', async (em, user) => {
      await em.update(
        User,
        { id: user.id },
        { status: UserStatus.Active, suspendedUntil: null, suspensionReason: null },
      );
    });
  }

  /** Admin only; the last admin cannot lose the role. token_version + 1 so the new role applies at once. */
  async changeRole(actor: Actor, id: string, role: UserRole): Promise<UserRecordDto> {
    return this.moderate(actor, id, 'change_role', async (em, user) => {
      if (user.role === role) return;
      if (user.role === UserRole.Admin) await this.assertNotLastAdmin(em);
      await em
        .createQueryBuilder()
        .update(User)
        .set({ role, tokenVersion: () => 'token_version + 1' })
        .where('id = :id', { id: user.id })
        .execute();
      this.logger.log({ msg: 'role changed', userId: user.id, role, by: actor.id });
    });
  }

  /**
   * Deletes an account and (by cascade) its content in one transaction; the stored files are purged by a job
   * after commit. The last admin cannot be deleted.
   */
  async deleteAccount(actor: Actor, id: string): Promise<void> {
    const storageKeys = await this.dataSource.transaction(async (em) => {
      const user = await em.findOne(User, {
        where: { id },
        select: { id: true, role: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw userNotFound();
      this.policy.assert(actor, 'delete', user);
      if (user.role === UserRole.Admin) await this.assertNotLastAdmin(em);
      const media = await em.find(Media, { where: { ownerId: id }, select: { id: true, storageKey: true } });
      await em.delete(User, { id });
      return media.map((m) => m.storageKey);
    });
    this.actorCache.invalidate(id);
    // analytics.md §1: the account's analytics events are anonymized (the log has no foreign keys).
    await this.jobs
      .enqueue('analytics.forget-user', { userId: id }, { jobId: `fu-${id}` })
      .catch((err: unknown) => this.logger.warn({ msg: 'analytics.forget-user not queued', userId: id, err }));
    if (storageKeys.length) {
      await this.jobs.enqueue('media.purge', { storage_keys: storageKeys }, { jobId: `purge-user-${id}` });
    }
    this.logger.log({ msg: 'account deleted', userId: id, by: actor.id, files: storageKeys.length });
  }

  private async moderate(
    actor: Actor,
    id: string,
    action: 'suspend' | 'change_role',
    change: (em: EntityManager, user: User) => Promise<void>,
  ): Promise<UserRecordDto> {
    const user = await this.dataSource.transaction(async (em) => {
      const user = await em.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw userNotFound();
      this.policy.assert(actor, action, user);
      await change(em, user);
      return em.findOneByOrFail(User, { id });
    });
    // suspension, unsuspension and role changes move status/suspended_until/role/token_version: after commit
    this.actorCache.invalidate(id);
    return toUserRecord(user, this.policy.recordView(actor, user) ?? 'staff');
  }

  /** Locks every admin row, so two concurrent demotions cannot both pass. */
  private async assertNotLastAdmin(em: EntityManager): Promise<void> {
    const admins = await em
      .createQueryBuilder(User, 'u')
      .select('u.id')
      .where('u.role = :role', { role: UserRole.Admin })
      .setLock('pessimistic_write')
      .getMany();
    if (admins.length <= 1) throw new ConflictError('LAST_ADMIN', 'The last admin cannot be removed or demoted.');
  }

  private async verifiedSelf(actor: Actor, password: string): Promise<User> {
    const user = await this.users.findOneBy({ id: actor.id });
    if (!user) throw userNotFound();
    if (!(await this.hasher.verify(user.passwordHash, password))) throw wrongPassword();
    return user;
  }

  private async assertOwnImage(em: EntityManager, ownerId: string, mediaId: string): Promise<void> {
    const media = await em.findOne(Media, { where: { id: mediaId }, select: { id: true, ownerId: true, kind: true } });
    if (!media || media.ownerId !== ownerId || media.kind !== MediaKind.Image) {
      throw invalidField('avatar_media_id', 'avatar_media_id must be an image you uploaded');
    }
  }

  /** pronouns = other requires custom_pronouns, and custom_pronouns requires other; leaving `other` clears it. */
  private applyPronouns(user: User, dto: UpdateMeDto, patch: Partial<User>): void {
    if (dto.pronouns === undefined && dto.custom_pronouns === undefined) return;
    const pronouns = dto.pronouns !== undefined ? dto.pronouns : user.pronouns;
    let custom = dto.custom_pronouns !== undefined ? dto.custom_pronouns : user.customPronouns;
    if (dto.custom_pronouns === undefined && pronouns !== Pronouns.Other) custom = null;
    if (pronouns === Pronouns.Other && !custom) {
      throw invalidField('custom_pronouns', 'custom_pronouns is required when pronouns is other');
    }
    if (pronouns !== Pronouns.Other && custom) {
      throw invalidField('custom_pronouns', 'custom_pronouns is only allowed when pronouns is other');
    }
    patch.pronouns = pronouns;
    patch.customPronouns = custom;
  }
}
