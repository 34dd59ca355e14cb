import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsUsername, LowerCase } from '../username.validator.js';
import { UserAccountDto } from './user-response.dto.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const trimOrNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

export class RegisterDto {
  /** Sign-in address; stored lower-case. @example "mira@example.com" */
  @LowerCase() @IsEmail() @MaxLength(254) email!: string;
  /** 10–128 characters, not equal to the email. */
  @IsString() @Length(PASSWORD_MIN, PASSWORD_MAX) password!: string;
  /** Public handle (3–30 of a-z, 0-9, `_`, `-`; reserved words refused); generated from the email when absent. */
  @IsOptional() @LowerCase() @IsUsername() username?: string;
  /** Name bots use when no persona is active. */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(100) display_name?: string | null;
  /** Legal documents the person accepted at sign-up (legal-support.md §2). */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) accepted_document_ids?: string[];
}

export class LoginDto {
  /** Sign-in address. */
  @LowerCase() @IsString() @MinLength(3) @MaxLength(254) email!: string;
  /** The account password. */
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX) password!: string;
}

export class RefreshTokenDto {
  /** The refresh token from sign-in or the previous refresh. */
  @IsString() @Length(1, 200) refresh_token!: string;
}

export class ForgotPasswordDto {
  /** Address of the account; the answer is 202 whether it exists or not. */
  @LowerCase() @IsEmail() @MaxLength(254) email!: string;
}

export class ResetPasswordDto {
  /** The token from the reset email. */
  @IsString() @Length(1, 200) token!: string;
  /** 10–128 characters, not equal to the email. */
  @IsString() @Length(PASSWORD_MIN, PASSWORD_MAX) new_password!: string;
}

export class VerifyEmailDto {
  /** The token from the verification or email-change email. */
  @IsString() @Length(1, 200) token!: string;
}

/** Tokens of a signed-in session. */
export class TokenPairDto {
  /** Bearer access JWT (15 minutes). */
  access_token!: string;
  /** Opaque refresh token (30 days, single use: every refresh returns a new one). */
  refresh_token!: string;
  /** Always "Bearer". */
  token_type!: 'Bearer';
  /** Access token lifetime in seconds. */
  expires_in!: number;
}

export class AuthResponseDto extends TokenPairDto {
  /** The signed-in account. */
  user!: UserAccountDto;
}
