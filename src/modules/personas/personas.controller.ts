import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { CreatePersonaDto } from './dto/create-persona.dto.js';
import { ListPersonasDto } from './dto/list-personas.dto.js';
import { ModeratePersonaDto } from './dto/moderate-persona.dto.js';
import { PersonaPageDto, PersonaResponseDto } from './dto/persona-response.dto.js';
import { UpdatePersonaDto } from './dto/update-persona.dto.js';
import { PersonasService } from './personas.service.js';

@ApiTags('personas')
@Controller('personas')
export class PersonasController {
  constructor(private readonly personas: PersonasService) {}

  /** List your personas (`scope=mine`, default) or the public catalogue (`scope=public`). */
  @Get()
  @ApiOkResponse({ type: PersonaPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListPersonasDto): Promise<PersonaPageDto> {
    return this.personas.list(actor, query);
  }

  /** Create a persona (≤ 100 per user), optionally with detail sections; `is_default` unsets the previous one. */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreatePersonaDto): Promise<PersonaResponseDto> {
    return this.personas.create(actor, dto);
  }

  /** Read a persona: your own, or a public one (without its private fields). */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PersonaResponseDto> {
    return this.personas.get(actor, id);
  }

  /** Update your persona; `detail_sections` replaces the whole list; null clears an optional field. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdatePersonaDto,
  ): Promise<PersonaResponseDto> {
    return this.personas.update(actor, id, dto);
  }

  /** Delete your persona (admins: any). Deleting the default leaves you without one. */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.personas.remove(actor, id);
  }

  /** Copy a public persona (or your own) into a new private persona of yours. */
  @Post(':id/copies')
  copy(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PersonaResponseDto> {
    return this.personas.copy(actor, id);
  }

  /** Moderators: hide a public persona from the catalogue, or restore it. */
  @Put(':id/moderation')
  @Roles(UserRole.Moderator)
  moderate(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ModeratePersonaDto,
  ): Promise<PersonaResponseDto> {
    return this.personas.moderate(actor, id, dto);
  }
}
