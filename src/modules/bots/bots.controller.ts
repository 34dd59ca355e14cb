import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Ip,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Public, Roles } from '../../common/auth/decorators.js';
import { BotsService } from './bots.service.js';
import { CopyBotDto, CreateBotDto, FeatureBotDto, ModerateBotDto, UpdateBotDto } from './dto/create-bot.dto.js';
import { BotDetailDto, BotPageDto, FavoriteStateDto, InteractionDto, LikeStateDto } from './dto/bot-response.dto.js';
import { CreatorBotsQueryDto, ExploreBotsQueryDto, MyBotsQueryDto } from './dto/list-bots.dto.js';

@ApiTags('bots')
@Controller('bots')
export class BotsController {
  constructor(private readonly bots: BotsService) {}

  /** Explore public bots (filters, sorts, keyset cursor; limit ≤ 50). */
  @Public()
  @Get()
  @ApiOkResponse({ type: BotPageDto })
  explore(@CurrentUser() actor: Actor | undefined, @Query() query: ExploreBotsQueryDto): Promise<BotPageDto> {
    return this.bots.explore(actor, query);
  }

  /** Bots I own (role=owner) or hold an edit/manage grant on (role=collaborator). */
  @Get('mine')
  @ApiOkResponse({ type: BotPageDto })
  mine(@CurrentUser() actor: Actor, @Query() query: MyBotsQueryDto): Promise<BotPageDto> {
    return this.bots.mine(actor, query);
  }

  /** Bots on which I hold any active grant. */
  @Get('shared-with-me')
  @ApiOkResponse({ type: BotPageDto })
  sharedWithMe(@CurrentUser() actor: Actor, @Query() query: MyBotsQueryDto): Promise<BotPageDto> {
    return this.bots.sharedWithMe(actor, query);
  }

  /** Create a bot (private by default; public needs a verified email). */
  @Post()
  @ApiCreatedResponse({ type: BotDetailDto })
  create(@CurrentUser() actor: Actor, @Body() dto: CreateBotDto): Promise<BotDetailDto> {
    return this.bots.create(actor, dto);
  }

  /** One bot; the definition is included when the caller may read it. */
  @Public()
  @Get(':id')
  @ApiOkResponse({ type: BotDetailDto })
  get(
    @CurrentUser() actor: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Ip() ip: string,
    @Headers('user-agent') userAgent?: string,
  ): Promise<BotDetailDto> {
    return this.bots.get(actor, id, { ip, userAgent });
  }

  /** Partial update: content fields for editors, sharing settings for the owner (others → 403 naming the field). */
  @Patch(':id')
  @ApiOkResponse({ type: BotDetailDto })
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateBotDto,
  ): Promise<BotDetailDto> {
    return this.bots.update(actor, id, dto);
  }

  /** Delete a bot (owner, admin). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.bots.remove(actor, id);
  }

  /** Copy or remix a bot into a new private bot of mine. */
  @Post(':id/copies')
  @ApiCreatedResponse({ type: BotDetailDto })
  copy(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CopyBotDto,
  ): Promise<BotDetailDto> {
    return this.bots.copy(actor, id, dto);
  }

  /** Like (idempotent). */
  @Put(':id/like')
  @ApiOkResponse({ type: LikeStateDto })
  like(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LikeStateDto> {
    return this.bots.setLike(actor, id, true);
  }

  /** Unlike (idempotent). */
  @Delete(':id/like')
  @ApiOkResponse({ type: LikeStateDto })
  unlike(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LikeStateDto> {
    return this.bots.setLike(actor, id, false);
  }

  /** Favourite (idempotent). */
  @Put(':id/favorite')
  @ApiOkResponse({ type: FavoriteStateDto })
  favorite(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<FavoriteStateDto> {
    return this.bots.setFavorite(actor, id, true);
  }

  /** Remove from favourites (idempotent). */
  @Delete(':id/favorite')
  @ApiOkResponse({ type: FavoriteStateDto })
  unfavorite(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<FavoriteStateDto> {
    return this.bots.setFavorite(actor, id, false);
  }

  /** My like and favourite state on this bot. */
  @Get(':id/interaction')
  @ApiOkResponse({ type: InteractionDto })
  interaction(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InteractionDto> {
    return this.bots.interaction(actor, id);
  }

  /** Feature a public bot (moderator). */
  @Roles(UserRole.Moderator)
  @Put(':id/feature')
  @ApiOkResponse({ type: BotDetailDto })
  feature(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: FeatureBotDto,
  ): Promise<BotDetailDto> {
    return this.bots.feature(actor, id, dto.reason);
  }

  /** Stop featuring a bot (moderator). */
  @Roles(UserRole.Moderator)
  @Delete(':id/feature')
  @ApiOkResponse({ type: BotDetailDto })
  unfeature(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<BotDetailDto> {
    return this.bots.unfeature(actor, id);
  }

  /** Hide (with a reason) or restore a bot (moderator). */
  @Roles(UserRole.Moderator)
  @Put(':id/moderation')
  @ApiOkResponse({ type: BotDetailDto })
  moderate(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ModerateBotDto,
  ): Promise<BotDetailDto> {
    return this.bots.moderate(actor, id, dto);
  }
}

/** A creator's bots by username (bots.md §1.6; lives here until the creators module takes the routes over). */
@ApiTags('bots')
@Controller('creators')
export class CreatorBotsController {
  constructor(private readonly bots: BotsService) {}

  /** A creator's bots the caller can read (cards). */
  @Public()
  @Get(':username/bots')
  @ApiOkResponse({ type: BotPageDto })
  list(
    @CurrentUser() actor: Actor | undefined,
    @Param('username') username: string,
    @Query() query: CreatorBotsQueryDto,
  ): Promise<BotPageDto> {
    return this.bots.creatorBots(actor, username, query);
  }

  /** One bot by its path /<username>/<slug>. */
  @Public()
  @Get(':username/bots/:slug')
  @ApiOkResponse({ type: BotDetailDto })
  get(
    @CurrentUser() actor: Actor | undefined,
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Ip() ip: string,
    @Headers('user-agent') userAgent?: string,
  ): Promise<BotDetailDto> {
    return this.bots.getByPath(actor, username, slug, { ip, userAgent });
  }
}
