import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../common/pagination/page-query.dto.js';
import { CrisisCategory, CrisisResourceType } from '../entities/crisis.enums.js';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListCrisisResourcesDto extends PageQueryDto {
  /** Country (ISO 3166-1 alpha-2): resources serving it or worldwide. @example "GB" */
  @IsOptional() @Matches(/^[A-Za-z]{2}$/) country?: string;
  /** Subdivision (ISO 3166-2) within country. @example "US-CA" */
  @IsOptional() @Matches(/^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$/) subdivision?: string;
  /** Language the resource must offer (primary tag). @example "en" */
  @IsOptional() @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/) lang?: string;
  /** Only this category. */
  @IsOptional() @IsEnum(CrisisCategory) category?: CrisisCategory;
  /** Only this type. */
  @IsOptional() @IsEnum(CrisisResourceType) type?: CrisisResourceType;
  /** Only emergency (true) or non-emergency (false) resources. */
  @IsOptional() @Transform(toBool) @IsBoolean() emergency?: boolean;
  /** Only resources open right now (24/7 or an hours slot covering now). */
  @IsOptional() @Transform(toBool) @IsBoolean() open_now?: boolean;
}
