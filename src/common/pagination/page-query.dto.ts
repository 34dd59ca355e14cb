import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  /** Page length (1–100, default 20). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  /** Opaque cursor from the previous page's `next_cursor`. */
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}
