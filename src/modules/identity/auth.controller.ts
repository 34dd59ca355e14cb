import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { AuthService } from './auth.service.js';
import { Client, type ClientInfo } from './client-info.js';
import {
  AuthResponseDto,
  ForgotPasswordDto,
  LoginDto,
  RefreshTokenDto,
  RegisterDto,
  ResetPasswordDto,
  TokenPairDto,
  VerifyEmailDto,
} from './dto/auth.dto.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** forgot-password is limited per address (identity.md §1); requests without one fall back to the caller's IP. */
const trackByEmail = (req: { body?: { email?: unknown }; ip?: string }): string => {
  const email = req.body?.email;
  return typeof email === 'string' && email.trim() ? `email-${email.trim().toLowerCase()}` : `ip-${String(req.ip)}`;
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Create an account and sign in. A verification email and a welcome email are sent. */
  @Public()
  @Throttle({ default: { limit: 5, ttl: HOUR_MS } })
  @Post('register')
  register(@Body() dto: RegisterDto, @Client() client: ClientInfo): Promise<AuthResponseDto> {
    return this.auth.register(dto, client);
  }

  /** Sign in with email and password. Unknown email, wrong password and a locked account answer the same 401. */
  @Public()
  @Throttle({ default: { limit: 10, ttl: MINUTE_MS } })
  @Post('login')
  @HttpCode(HttpStatus.OK)
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<AuthResponseDto> {
    return this.auth.login(dto, client);
  }

  /** Exchange a refresh token for a new pair. Each refresh token works once; reusing one ends its session. */
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  refresh(@Body() dto: RefreshTokenDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refresh_token, client);
  }

  /** End the session the refresh token belongs to. */
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  logout(@CurrentUser() actor: Actor, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(actor, dto.refresh_token);
  }

  /** End every session and invalidate every access token of the account. */
  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  logoutAll(@CurrentUser() actor: Actor): Promise<void> {
    return this.auth.logoutAll(actor);
  }

  /** Mail a password-reset link (valid 1 hour). Always 202, whether the address has an account or not. */
  @Public()
  @Throttle({ default: { limit: 3, ttl: HOUR_MS, getTracker: trackByEmail } })
  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  forgotPassword(@Body() dto: ForgotPasswordDto): Promise<void> {
    return this.auth.forgotPassword(dto.email);
  }

  /** Set a new password with the mailed token; every session of the account ends. */
  @Public()
  @Post('password/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(dto.token, dto.new_password);
  }

  /** Confirm an email address (sign-up verification or an email change) with the mailed token. */
  @Public()
  @Post('email/verify')
  @HttpCode(HttpStatus.NO_CONTENT)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.auth.verifyEmail(dto.token);
  }

  /** Mail a new verification link (nothing is sent if the address is already verified). */
  @Post('email/verification')
  @HttpCode(HttpStatus.ACCEPTED)
  resendVerification(@CurrentUser() actor: Actor): Promise<void> {
    return this.auth.resendVerification(actor);
  }
}
