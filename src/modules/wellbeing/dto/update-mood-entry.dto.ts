import { PartialType } from '@nestjs/swagger';
import { CreateMoodEntryDto } from './create-mood-entry.dto.js';

/**
 * Any subset of the fields; null clears intensity, energy or note. A new recorded_at recomputes entry_date (in
 * `timezone`, default UTC); a new mood without a score re-derives the score.
 */
export class UpdateMoodEntryDto extends PartialType(CreateMoodEntryDto) {}
