import { Transform } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { CollectionResponseDto } from './collection-response.dto.js';
import { trim } from './collection.dto.js';

export class ImportWorldbookDto {
  /** Name of the new collection (default: the book's name, else "Imported world book"). */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
  /** A SillyTavern world book: `{entries: {…}}` (or an array of entries). */
  @IsObject() worldbook!: Record<string, unknown>;
}

export class WorldbookImportResultDto {
  /** The new private collection. */
  collection!: CollectionResponseDto;
  /** Entries imported. */
  imported!: number;
  /** Entries skipped (no content). */
  skipped!: number;
  /** Mapping notes. */
  warnings!: string[];
}

export class WorldbookExportDto {
  /** Book name. */
  name!: string;
  /** Book description. */
  description!: string | null;
  /** Entries keyed by uid, in SillyTavern's shape. */
  entries!: Record<string, Record<string, unknown>>;
  /** Fields without a world-book equivalent. */
  warnings!: string[];
}
