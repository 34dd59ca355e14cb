import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { ModerationStatus } from '../../../common/access/access.enums.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ModeratePersonaDto {
  /** `hidden` takes the persona out of the public catalogue; `visible` restores it. */
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' })
  @IsEnum(ModerationStatus)
  status!: ModerationStatus;
  /** Why (shown to the owner), 1–500 characters. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
