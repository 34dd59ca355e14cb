import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser, Public } from '../../../common/auth/decorators.js';
import { CrisisService } from './crisis.service.js';
import {
  CreateCrisisResourceDto,
  UpdateCrisisResourceDto,
  VerifyCrisisResourceDto,
} from './dto/crisis-resource-input.dto.js';
import {
  CrisisResourcePageDto,
  CrisisResourceResponseDto,
  CrisisResourcesForMeDto,
} from './dto/crisis-resource-response.dto.js';
import { ListCrisisResourcesDto } from './dto/list-crisis-resources.dto.js';

@ApiTags('wellbeing')
@Controller('wellbeing/crisis-resources')
export class CrisisResourcesController {
  constructor(private readonly crisis: CrisisService) {}

  /** Public list of verified help services, emergency first, filtered by region, language, category, type. */
  @Public()
  @Get()
  @ApiOkResponse({ type: CrisisResourcePageDto })
  list(
    @CurrentUser() actor: Actor | undefined,
    @Query() query: ListCrisisResourcesDto,
  ): Promise<CrisisResourcePageDto> {
    return this.crisis.list(actor, query);
  }

  /** Help services for your region and language (from Accept-Language; en when none). */
  @Get('for-me')
  @ApiOkResponse({ type: CrisisResourcesForMeDto })
  forMe(
    @CurrentUser() actor: Actor,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Query() query: ListCrisisResourcesDto,
  ): Promise<CrisisResourcesForMeDto> {
    return this.crisis.forMe(actor, acceptLanguage, query);
  }

  /** One visible help service (staff: any). */
  @Public()
  @Get(':id')
  get(
    @CurrentUser() actor: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CrisisResourceResponseDto> {
    return this.crisis.get(actor, id);
  }

  /** Create a help service with its regions and hours (staff); it stays hidden until verified. */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateCrisisResourceDto): Promise<CrisisResourceResponseDto> {
    return this.crisis.create(actor, dto);
  }

  /** Update (staff); `is_active: false` deactivates; a contact or region change needs `verify: true` to stay visible. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCrisisResourceDto,
  ): Promise<CrisisResourceResponseDto> {
    return this.crisis.update(actor, id, dto);
  }

  /** Set the verification status (staff); verified stamps verified_at. */
  @Post(':id/verify')
  @HttpCode(200)
  verify(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: VerifyCrisisResourceDto,
  ): Promise<CrisisResourceResponseDto> {
    return this.crisis.verify(actor, id, dto);
  }

  /** Hard delete (admins only; deactivate otherwise). */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.crisis.remove(actor, id);
  }
}
