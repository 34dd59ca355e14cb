import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';

export const PERSONA_SCOPES = ['mine', 'public'] as const;
export const PERSONA_SORTS = ['recent', 'name', 'most_used'] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ListPersonasDto extends PageQueryDto {
  /** `mine` (default): your personas; `public`: the catalogue of published, visible personas. */
  @ApiPropertyOptional({ enum: PERSONA_SCOPES })
  @IsOptional()
  @IsIn(PERSONA_SCOPES)
  scope?: (typeof PERSONA_SCOPES)[number];
  /** Words matched (as prefixes) against name and description. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 100) q?: string;
  /** Only personas with this tag (case-insensitive). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsOptional()
  @IsString()
  @Length(1, 40)
  tag?: string;
  /** `recent` (default, last updated first), `name` (A–Z), `most_used` (own personas only). */
  @ApiPropertyOptional({ enum: PERSONA_SORTS })
  @IsOptional()
  @IsIn(PERSONA_SORTS)
  sort?: (typeof PERSONA_SORTS)[number];
}
