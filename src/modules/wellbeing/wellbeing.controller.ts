import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { CreateMoodEntryDto } from './dto/create-mood-entry.dto.js';
import { ListMoodEntriesDto, TodayMoodQueryDto } from './dto/list-mood-entries.dto.js';
import { MoodEntryPageDto, MoodEntryResponseDto, MoodTodayDto } from './dto/mood-entry-response.dto.js';
import { UpdateMoodEntryDto } from './dto/update-mood-entry.dto.js';
import { WellbeingService } from './wellbeing.service.js';

@ApiTags('wellbeing')
@Controller('wellbeing/moods')
export class WellbeingController {
  constructor(private readonly wellbeing: WellbeingService) {}

  /** Your mood entries, newest first, optionally limited to local dates from..to. */
  @Get()
  @ApiOkResponse({ type: MoodEntryPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListMoodEntriesDto): Promise<MoodEntryPageDto> {
    return this.wellbeing.list(actor, query);
  }

  /** Log a mood (≤ 24 per local day); entry_date is the local date of recorded_at in `timezone` (default UTC). */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateMoodEntryDto): Promise<MoodEntryResponseDto> {
    return this.wellbeing.create(actor, dto);
  }

  /** Today's entries in your time zone and whether a check-in is due. */
  @Get('today')
  today(@CurrentUser() actor: Actor, @Query() query: TodayMoodQueryDto): Promise<MoodTodayDto> {
    return this.wellbeing.today(actor, query);
  }

  /** Read one of your mood entries (anyone else, staff included: 404). */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MoodEntryResponseDto> {
    return this.wellbeing.get(actor, id);
  }

  /** Edit one of your mood entries; a new recorded_at recomputes entry_date. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMoodEntryDto,
  ): Promise<MoodEntryResponseDto> {
    return this.wellbeing.update(actor, id, dto);
  }

  /** Delete one of your mood entries. */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.wellbeing.remove(actor, id);
  }
}
