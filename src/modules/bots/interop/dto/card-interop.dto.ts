import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { BotDetailDto } from '../../dto/bot-response.dto.js';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ImportCardQueryDto {
  /** Map the card and return the result without saving anything. */
  @IsOptional() @Transform(toBool) @IsBoolean() dry_run?: boolean;
}

export class ExportCardQueryDto {
  /** Card format (default v2). */
  @ApiPropertyOptional({ enum: ['v2', 'v3'] }) @IsOptional() @IsIn(['v2', 'v3']) format?: 'v2' | 'v3';
  /** Container: a JSON file or a PNG with the card in a tEXt chunk (default json). */
  @ApiPropertyOptional({ enum: ['json', 'png'] }) @IsOptional() @IsIn(['json', 'png']) container?: 'json' | 'png';
}

/** The bot fields a card maps to (dry run). */
export class CardBotPreviewDto {
  /** Name. */
  name!: string;
  /** Public blurb. */
  description!: string | null;
  /** System prompt (card system_prompt plus labelled personality and scenario paragraphs). */
  system_prompt!: string;
  /** First message. */
  greeting!: string | null;
  /** Swipes of the first message (≤ 19). */
  alternate_greetings!: string[];
  /** `<START>` blocks of mes_example. */
  speech_examples!: string[];
  /** Lower-cased, deduplicated tags (≤ 20). */
  tags!: string[];
  /** Entries of the card's lore book that would be imported (0 without one). */
  lore_entries!: number;
}

export class CardImportResultDto {
  /** The new private bot (absent on a dry run). */
  @ApiPropertyOptional({ type: BotDetailDto }) bot?: BotDetailDto;
  /** The mapped fields (dry run only). */
  @ApiPropertyOptional({ type: CardBotPreviewDto }) preview?: CardBotPreviewDto;
  /** The private lore collection created from `character_book`, linked to the bot. */
  knowledge_collection_id!: string | null;
  /** The card format that was read. */
  @ApiProperty({ enum: ['v1', 'v2', 'v3'] }) format!: 'v1' | 'v2' | 'v3';
  /** Mapping notes: truncated lists, lore positions without an equivalent, a picture that could not be kept. */
  warnings!: string[];
}
