import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from '../../common/auth/actor-loader.js';
import type { Env } from '../../common/config/env.js';
import type { User } from './entities/user.entity.js';

/** Mints the short-lived access JWT: `sub`, `role`, `tv` (token_version). */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  get ttlSeconds(): number {
    return this.config.get('ACCESS_TOKEN_TTL_SECONDS');
  }

  issue(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, tv: user.tokenVersion };
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds, algorithm: 'HS256' });
  }
}
