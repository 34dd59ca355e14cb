import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { AccessResourceType } from '../../../common/access/access.enums.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ListGrantsQueryDto extends PageQueryDto {
  /** Kind of resource. */
  @ApiProperty({ enum: AccessResourceType, enumName: 'AccessResourceType' })
  @IsEnum(AccessResourceType)
  resource_type!: AccessResourceType;
  /** Resource id. */
  @IsUUID('all') resource_id!: string;
  /** Also list revoked grants (expired and suspended ones are always listed, with their status). */
  @IsOptional() @Transform(toBool) @IsBoolean() include_inactive?: boolean;
}

export class ReceivedGrantsQueryDto extends PageQueryDto {
  /** Only grants on this kind of resource. */
  @ApiPropertyOptional({ enum: AccessResourceType, enumName: 'AccessResourceType' })
  @IsOptional()
  @IsEnum(AccessResourceType)
  resource_type?: AccessResourceType;
}
