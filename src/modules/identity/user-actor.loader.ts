import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ActorLoader, type AccessTokenClaims } from '../../common/auth/actor-loader.js';
import { ForbiddenError, UnauthorizedError } from '../../common/errors/app-error.js';
import { User, UserStatus } from './entities/user.entity.js';

/**
 * Resolves a verified access token to the current user on every request: a token minted before a password change,
 * role change or suspension (older `tv`) is refused, and suspended accounts get 403 ACCOUNT_SUSPENDED.
 */
@Injectable()
export class UserActorLoader extends ActorLoader {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {
    super();
  }

  async load(claims: AccessTokenClaims): Promise<Actor> {
    const user = await this.users.findOne({
      where: { id: claims.sub },
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
    if (!user || user.tokenVersion !== claims.tv) {
      throw new UnauthorizedError('TOKEN_REVOKED', 'This access token is no longer valid; sign in again.');
    }
    if (user.status === UserStatus.Suspended && (!user.suspendedUntil || user.suspendedUntil > new Date())) {
      throw new ForbiddenError('ACCOUNT_SUSPENDED', 'This account is suspended.');
    }
    return { id: user.id, role: user.role, username: user.username, emailVerified: !!user.emailVerifiedAt };
  }
}
