import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActorLoader } from '../../common/auth/actor-loader.js';
import type { Env } from '../../common/config/env.js';
import { AccessTokenService } from './access-token.service.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { UserActorLoader } from './user-actor.loader.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({ secret: config.get('JWT_SECRET') }),
    }),
  ],
  providers: [{ provide: ActorLoader, useClass: UserActorLoader }, AccessTokenService, PasswordHasher],
  exports: [ActorLoader, AccessTokenService, PasswordHasher],
})
export class IdentityModule {}
