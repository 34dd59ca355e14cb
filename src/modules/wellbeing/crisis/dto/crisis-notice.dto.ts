import { ApiProperty } from '@nestjs/swagger';
import { CrisisCategory, CrisisResourceType, CrisisSeverity } from '../entities/crisis.enums.js';

/** One help service inside a crisis notice (wellbeing.md §4.3). */
export class CrisisNoticeResourceDto {
  id!: string;
  title!: string;
  @ApiProperty({ enum: CrisisResourceType, enumName: 'CrisisResourceType' }) resource_type!: CrisisResourceType;
  phone_number!: string | null;
  text_number!: string | null;
  text_instructions!: string | null;
  chat_url!: string | null;
  website_url!: string | null;
  is_24_7!: boolean;
  /** From the opening hours in the resource's time zone; null when unknown. */
  open_now!: boolean | null;
}

/** Added to a chat answer (or a 429 body) when the user's text matched crisis keywords; never blocks anything. */
export class CrisisNoticeDto {
  @ApiProperty({ enum: ['crisis_support'] }) kind!: 'crisis_support';
  @ApiProperty({ enum: CrisisSeverity, enumName: 'CrisisSeverity' }) severity!: CrisisSeverity;
  @ApiProperty({ enum: CrisisCategory, enumName: 'CrisisCategory' }) category!: CrisisCategory;
  /** A short, warm, localized text ending with a line about local emergency services. */
  message!: string;
  /** At most 5, emergency services first. */
  resources!: CrisisNoticeResourceDto[];
  /** Country or subdivision used; null = worldwide only. */
  region_used!: string | null;
  language_used!: string;
  /** The public resource list filtered for the region and language. */
  more_url!: string;
}
