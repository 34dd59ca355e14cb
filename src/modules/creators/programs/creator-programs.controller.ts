import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../../common/auth/actor.js';
import { CurrentUser, Public, Roles } from '../../../common/auth/decorators.js';
import type { Page } from '../../../common/pagination/page.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import {
  AddProgramMemberDto,
  CreateCreatorProgramDto,
  CreatorProgramResponseDto,
  ListProgramsQueryDto,
  ProgramStatsDto,
  SetProgramStatusDto,
  UpdateCreatorProgramDto,
} from '../dto/creator-program.dto.js';
import { ApplyDto, ProgramApplicationResponseDto, ProgramMemberDto } from '../dto/program-application.dto.js';
import { CreatorProgramsService } from './creator-programs.service.js';
import { ProgramApplicationsService } from './program-applications.service.js';

/** Creator programmes (creators.md §3). Writes are admin-only. */
@ApiTags('creators')
@Controller('creator-programs')
export class CreatorProgramsController {
  constructor(
    private readonly programs: CreatorProgramsService,
    private readonly applications: ProgramApplicationsService,
  ) {}

  /** Programmes (default status active; drafts for moderators). */
  @Public()
  @Get()
  list(
    @CurrentUser() actor: Actor | undefined,
    @Query() query: ListProgramsQueryDto,
  ): Promise<Page<CreatorProgramResponseDto>> {
    return this.programs.list(actor, query);
  }

  /** Admin: create a programme with its questions, benefits and tiers (status draft). */
  @Post()
  @Roles(UserRole.Admin)
  create(@CurrentUser() actor: Actor, @Body() dto: CreateCreatorProgramDto): Promise<CreatorProgramResponseDto> {
    return this.programs.create(actor, dto);
  }

  /** A programme with questions, benefits, tiers and public statistics. */
  @Public()
  @Get(':slug')
  get(@CurrentUser() actor: Actor | undefined, @Param('slug') slug: string): Promise<CreatorProgramResponseDto> {
    return this.programs.get(actor, slug);
  }

  /** Admin: update (nested lists replace; tiers matched by level). */
  @Patch(':slug')
  @Roles(UserRole.Admin)
  update(
    @CurrentUser() actor: Actor,
    @Param('slug') slug: string,
    @Body() dto: UpdateCreatorProgramDto,
  ): Promise<CreatorProgramResponseDto> {
    return this.programs.update(actor, slug, dto);
  }

  /** Admin: status transition (draft → active → paused/closed …, any → archived); others 409 INVALID_TRANSITION. */
  @Put(':slug/status')
  @Roles(UserRole.Admin)
  setStatus(
    @CurrentUser() actor: Actor,
    @Param('slug') slug: string,
    @Body() dto: SetProgramStatusDto,
  ): Promise<CreatorProgramResponseDto> {
    return this.programs.setStatus(actor, slug, dto);
  }

  /** Admin: delete a programme without applications (else 409; archive it). */
  @Delete(':slug')
  @Roles(UserRole.Admin)
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('slug') slug: string): Promise<void> {
    return this.programs.remove(actor, slug);
  }

  /** Statistics (cached 60 s; moderators also get per-status counts and the median decision time). */
  @Public()
  @Get(':slug/stats')
  stats(@CurrentUser() actor: Actor | undefined, @Param('slug') slug: string): Promise<ProgramStatsDto> {
    return this.programs.stats(actor, slug);
  }

  /** Active members (public and unlisted profiles only, except for moderators). */
  @Public()
  @Get(':slug/members')
  members(
    @CurrentUser() actor: Actor | undefined,
    @Param('slug') slug: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ProgramMemberDto>> {
    return this.programs.members(actor, slug, query);
  }

  /** Admin: add a member without an application. */
  @Post(':slug/members')
  @Roles(UserRole.Admin)
  addMember(
    @CurrentUser() actor: Actor,
    @Param('slug') slug: string,
    @Body() dto: AddProgramMemberDto,
  ): Promise<ProgramMemberDto> {
    return this.programs.addMember(actor, slug, dto);
  }

  /** Apply with my creator profile → 201 (submitted, or approved for automatic programmes). */
  @Post(':slug/applications')
  apply(
    @CurrentUser() actor: Actor,
    @Param('slug') slug: string,
    @Body() dto: ApplyDto,
  ): Promise<ProgramApplicationResponseDto> {
    return this.applications.apply(actor, slug, dto);
  }
}
