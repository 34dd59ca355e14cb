import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

export class ExportChatQueryDto {
  /** Export format; only SillyTavern JSONL (default). */
  @ApiPropertyOptional({ enum: ['jsonl'] }) @IsOptional() @IsIn(['jsonl']) format?: 'jsonl';
}

export class ImportChatQueryDto {
  /** The bot the imported conversation is held with (the caller must be able to chat with it). */
  @ApiProperty({ format: 'uuid' }) @IsUUID() bot_id!: string;
}
