import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { MediaKind } from '../entities/media.entity.js';

export class ListMediaDto extends PageQueryDto {
  /** Only files of this kind. */
  @ApiPropertyOptional({ enum: MediaKind, enumName: 'MediaKind' })
  @IsOptional()
  @IsEnum(MediaKind)
  kind?: MediaKind;
  /** Moderators and admins: list this user's files instead of their own (attachments excluded for moderators). */
  @IsOptional() @IsUUID() owner_id?: string;
}
