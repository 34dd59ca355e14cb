import { PartialType } from '@nestjs/swagger';
import { CreatePersonaDto } from './create-persona.dto.js';

/** Any subset of the fields; null clears an optional field; `detail_sections` replaces the whole list. */
export class UpdatePersonaDto extends PartialType(CreatePersonaDto) {}
