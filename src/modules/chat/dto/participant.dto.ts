import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { ParticipantRole } from '../chat.enums.js';

export const BOT_ROLES = [ParticipantRole.Primary, ParticipantRole.Secondary, ParticipantRole.Moderator] as const;

export class AddParticipantDto {
  /** A bot you may chat with (exclusive with user_id). */
  @ValidateIf((o: AddParticipantDto) => o.user_id === undefined) @IsUUID() bot_id?: string;
  /** A user to add as a member (exclusive with bot_id); the conversation becomes a group chat. */
  @ValidateIf((o: AddParticipantDto) => o.bot_id === undefined) @IsUUID() user_id?: string;
  /** Bot role: primary, secondary (default) or moderator. */
  @ApiPropertyOptional({ enum: BOT_ROLES })
  @IsOptional()
  @IsIn(BOT_ROLES)
  role?: ParticipantRole;
}

export class UpdateParticipantDto {
  /** Bot role: primary, secondary or moderator. */
  @ApiPropertyOptional({ enum: BOT_ROLES })
  @IsOptional()
  @IsIn(BOT_ROLES)
  role?: ParticipantRole;
  /** Inactive bots do not reply and are not listed as speakers. */
  @IsOptional() @IsBoolean() is_active?: boolean;
}
