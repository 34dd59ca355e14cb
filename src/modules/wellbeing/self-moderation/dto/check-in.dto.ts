import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';

export class CheckInDto {
  /** Intervention ids to acknowledge (your own; at most 100). */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) acknowledge?: string[];
  /** You took a break: the break-reminder timer restarts. */
  @IsOptional() @IsBoolean() break_taken?: boolean;
}

export class CheckInResponseDto {
  /** Null when you have no settings row (nothing is stored then besides acknowledgements). */
  last_checkin_at!: Date | null;
  acknowledged!: string[];
}
