import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Env } from '../config/env.js';
import type { Actor } from './actor.js';
import { ActorLoader, type AccessTokenClaims } from './actor-loader.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: ConfigService<Env, true>,
    private readonly actors: ActorLoader,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // a ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every
      // verification, which cost several percent of CPU per authenticated request
      secretOrKey: createSecretKey(Buffer.from(config.get('JWT_SECRET', { infer: true }), 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<Actor> {
    return this.actors.load(claims);
  }
}
