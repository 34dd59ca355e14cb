import { MailTokenSealer } from './mail/mail-token-sealer.js';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActorLoader } from '../../common/auth/actor-loader.js';
import type { Env } from '../../common/config/env.js';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { AccessTokenService } from './access-token.service.js';
import { ActorCache } from './actor-cache.js';
import { AdminAccountService } from './admin-account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthTokenService } from './auth-token.service.js';
import { AuthToken } from './entities/auth-token.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { MailProcessor } from './jobs/mail.processor.js';
import { LogMailTransport, MailTransport } from './mail/mail-transport.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { UserPolicy } from './user.policy.js';
import { UserActorLoader } from './user-actor.loader.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([User, RefreshToken, AuthToken]),
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({ secret: config.get('JWT_SECRET') }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: ActorLoader, useClass: UserActorLoader },
    { provide: MailTransport, useClass: LogMailTransport },
    ActorCache,
    AccessTokenService,
    PasswordHasher,
    AuthService,
    AuthTokenService,
    RefreshTokenService,
    UsersService,
    UserPolicy,
    AdminAccountService,
    MailProcessor,
    MailTokenSealer,
  ],
  exports: [
    ActorLoader,
    ActorCache,
    AccessTokenService,
    PasswordHasher,
    UserPolicy,
    UsersService,
    MailTransport,
    AdminAccountService,
  ],
})
export class IdentityModule {
  constructor(registry: JobHandlerRegistry, mail: MailProcessor) {
    registry.register(mail);
  }
}
