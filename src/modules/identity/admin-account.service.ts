import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { UserRole } from '../../common/auth/actor.js';
import type { Env } from '../../common/config/env.js';
import { InvalidError } from '../../common/errors/app-error.js';
import { ActorCache } from './actor-cache.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './dto/auth.dto.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { usernameFromEmail } from './reserved-usernames.js';
import { uniqueViolation } from './tokens.js';

export interface AdminAccountResult {
  userId: string;
  outcome: 'created' | 'promoted' | 'unchanged';
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The first admin: created on start from ADMIN_EMAIL / ADMIN_PASSWORD when no admin exists (identity.md §1), and
 * by the `admin:create` CLI, which also promotes an existing account.
 */
@Injectable()
export class AdminAccountService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminAccountService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly config: ConfigService<Env, true>,
    private readonly actorCache: ActorCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    const users = this.dataSource.getRepository(User);
    if (await users.existsBy({ role: UserRole.Admin })) return;
    try {
      const result = await this.createOrPromote(email, password);
      this.logger.log({ msg: 'bootstrap admin ready', userId: result.userId, outcome: result.outcome });
    } catch (err) {
      // Another process (API and worker start together) may have created it first.
      if (uniqueViolation(err)) return;
      throw err;
    }
  }

  /**
   * Makes the account with this email an admin: creates it (verified email, generated username) when missing,
   * else promotes it (token_version + 1) and leaves its password alone.
   */
  async createOrPromote(rawEmail: string, password?: string): Promise<AdminAccountResult> {
    const email = rawEmail.trim().toLowerCase();
    if (!EMAIL_SHAPE.test(email) || email.length > 254) {
      throw new InvalidError('VALIDATION_FAILED', 'The admin email is not a valid address.');
    }
    const users = this.dataSource.getRepository(User);
    const existing = await users.findOne({ where: { email }, select: { id: true, role: true } });
    if (existing) {
      if (existing.role === UserRole.Admin) return { userId: existing.id, outcome: 'unchanged' };
      await users
        .createQueryBuilder()
        .update()
        .set({ role: UserRole.Admin, tokenVersion: () => 'token_version + 1' })
        .where('id = :id', { id: existing.id })
        .execute();
      // Only this process's cache; the CLI runs in its own process, where the API sees the change within 5 s.
      this.actorCache.invalidate(existing.id);
      return { userId: existing.id, outcome: 'promoted' };
    }
    if (!password || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || password === email) {
      throw new InvalidError(
        'VALIDATION_FAILED',
        `A new admin needs a password of ${PASSWORD_MIN}-${PASSWORD_MAX} characters that is not the email.`,
      );
    }
    const passwordHash = await this.hasher.hash(password);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const inserted = await users.insert({
          email,
          username: usernameFromEmail(email),
          passwordHash,
          role: UserRole.Admin,
          emailVerifiedAt: new Date(),
        });
        return { userId: inserted.identifiers[0].id as string, outcome: 'created' };
      } catch (err) {
        if (uniqueViolation(err) === 'ux_users_username' && attempt < 8) continue;
        throw err;
      }
    }
  }
}
