import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { CrisisService } from './crisis.service.js';
import {
  CreateCrisisKeywordDto,
  CrisisKeywordPageDto,
  CrisisKeywordResponseDto,
  ListCrisisKeywordsDto,
  UpdateCrisisKeywordDto,
} from './dto/crisis-keyword.dto.js';

@ApiTags('wellbeing')
@Controller('wellbeing/crisis-keywords')
export class CrisisKeywordsController {
  constructor(private readonly crisis: CrisisService) {}

  /** Crisis keywords by language and phrase (staff). */
  @Get()
  @ApiOkResponse({ type: CrisisKeywordPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListCrisisKeywordsDto): Promise<CrisisKeywordPageDto> {
    return this.crisis.listKeywords(actor, query);
  }

  /** One crisis keyword (staff). */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CrisisKeywordResponseDto> {
    return this.crisis.getKeyword(actor, id);
  }

  /** Add a keyword (staff); the phrase is stored normalized; 409 when it exists for the language. */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateCrisisKeywordDto): Promise<CrisisKeywordResponseDto> {
    return this.crisis.createKeyword(actor, dto);
  }

  /** Change a keyword (staff). */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCrisisKeywordDto,
  ): Promise<CrisisKeywordResponseDto> {
    return this.crisis.updateKeyword(actor, id, dto);
  }

  /** Delete a keyword (staff). */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.crisis.deleteKeyword(actor, id);
  }
}
