import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import type { Page } from '../../../common/pagination/page.js';
import {
  ApproveApplicationDto,
  EndMembershipDto,
  ListApplicationsQueryDto,
  ProgramApplicationResponseDto,
  RejectApplicationDto,
} from '../dto/program-application.dto.js';
import { ProgramApplicationsService } from './program-applications.service.js';

/** Programme applications and their review workflow (creators.md §3.5, §3.8). */
@ApiTags('creators')
@Controller('creator-program-applications')
export class CreatorProgramApplicationsController {
  constructor(private readonly applications: ProgramApplicationsService) {}

  /** Moderators: the review queue (filters program, status, mine). Others: their own applications. */
  @Get()
  list(
    @CurrentUser() actor: Actor,
    @Query() query: ListApplicationsQueryDto,
  ): Promise<Page<ProgramApplicationResponseDto>> {
    return this.applications.list(actor, query);
  }

  /** One application (applicant or moderator). */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ProgramApplicationResponseDto> {
    return this.applications.get(actor, id);
  }

  /** Moderator: start the review (submitted → under_review); never on one's own application. */
  @Post(':id/review')
  @HttpCode(200)
  review(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ProgramApplicationResponseDto> {
    return this.applications.startReview(actor, id);
  }

  /** The reviewer or an admin: approve (under_review → approved) and create or extend the membership. */
  @Post(':id/approve')
  @HttpCode(200)
  approve(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveApplicationDto,
  ): Promise<ProgramApplicationResponseDto> {
    return this.applications.approve(actor, id, dto);
  }

  /** The reviewer or an admin: reject (under_review → rejected) with a reason the applicant sees. */
  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectApplicationDto,
  ): Promise<ProgramApplicationResponseDto> {
    return this.applications.reject(actor, id, dto);
  }

  /** The applicant: withdraw an open application. */
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ProgramApplicationResponseDto> {
    return this.applications.withdraw(actor, id);
  }
}

/** Ending memberships (creators.md §3.4). */
@ApiTags('creators')
@Controller('creator-program-memberships')
export class CreatorProgramMembershipsController {
  constructor(private readonly applications: ProgramApplicationsService) {}

  /** The member leaves, or a moderator/admin revokes → 204. */
  @Delete(':id')
  @HttpCode(204)
  end(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EndMembershipDto,
  ): Promise<void> {
    return this.applications.endMembership(actor, id, dto ?? {});
  }
}
