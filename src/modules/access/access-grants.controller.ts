import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { CreateGrantDto, RevokeGrantDto, UpdateGrantDto } from './dto/create-grant.dto.js';
import { GrantPageDto, GrantResponseDto } from './dto/grant-response.dto.js';
import { ListGrantsQueryDto, ReceivedGrantsQueryDto } from './dto/list-grants.dto.js';
import { GrantsService } from './grants.service.js';

@ApiTags('access-grants')
@Controller('access-grants')
export class AccessGrantsController {
  constructor(private readonly grants: GrantsService) {}

  /** Grants on one resource, with grantee cards (owner, manager, admin). */
  @Get()
  @ApiOkResponse({ type: GrantPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListGrantsQueryDto): Promise<GrantPageDto> {
    return this.grants.list(actor, query);
  }

  /** My active grants, with resource cards. */
  @Get('received')
  @ApiOkResponse({ type: GrantPageDto })
  received(@CurrentUser() actor: Actor, @Query() query: ReceivedGrantsQueryDto): Promise<GrantPageDto> {
    return this.grants.received(actor, query);
  }

  /** Grant access, or refresh the existing unrevoked grant of that person (200 instead of 201). */
  @Post()
  @ApiCreatedResponse({ type: GrantResponseDto, description: 'New grant (200 when an existing grant was refreshed).' })
  @ApiOkResponse({ type: GrantResponseDto, description: 'The existing grant, refreshed.' })
  async create(
    @CurrentUser() actor: Actor,
    @Body() dto: CreateGrantDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GrantResponseDto> {
    const { grant, created } = await this.grants.create(actor, dto);
    reply.status(created ? 201 : 200);
    return grant;
  }

  /** Change a grant's level, expiry or note (owner, manager). */
  @Patch(':id')
  @ApiOkResponse({ type: GrantResponseDto })
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateGrantDto,
  ): Promise<GrantResponseDto> {
    return this.grants.update(actor, id, dto);
  }

  /** Revoke a grant (owner, admin, manager for view/edit grants, or the grantee leaving). */
  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevokeGrantDto,
  ): Promise<void> {
    await this.grants.revoke(actor, id, dto?.reason);
  }
}
