import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import type { Page } from '../../common/pagination/page.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { CreatorsService } from './creators.service.js';
import {
  CreateCreatorProfileDto,
  SetProfileModerationDto,
  SetVerificationDto,
  UpdateCreatorProfileDto,
} from './dto/create-creator-profile.dto.js';
import {
  CreatorCardDto,
  CreatorProfileResponseDto,
  FollowedCreatorDto,
  FollowerCardDto,
  FollowStateDto,
  VerificationStateDto,
} from './dto/creator-profile-response.dto.js';
import { PutFeaturedBotsDto } from './dto/featured-bots.dto.js';
import { ListCreatorsQueryDto } from './dto/list-creators.dto.js';
import { PutSocialLinksDto } from './dto/social-links.dto.js';
import { FollowsService } from './follows.service.js';

/** 60 follow changes per hour per caller (creators.md §2). */
const FOLLOW_BUDGET = { default: { limit: 60, ttl: 3_600_000 } };

/**
 * Creator profiles and follows (creators.md §1–§2). `/creators/{username}/bots[/{slug}]` live in the bots
 * controller.
 */
@ApiTags('creators')
@Controller('creators')
export class CreatorsController {
  constructor(
    private readonly creators: CreatorsService,
    private readonly follows: FollowsService,
  ) {}

  /** Creator directory: public, visible profiles with filters, sorts and a keyset cursor. */
  @Public()
  @Get()
  list(@CurrentUser() actor: Actor | undefined, @Query() query: ListCreatorsQueryDto): Promise<Page<CreatorCardDto>> {
    return this.creators.list(actor, query);
  }

  /** Create my creator profile (verified email; promotes user → creator). */
  @Post()
  create(@CurrentUser() actor: Actor, @Body() dto: CreateCreatorProfileDto): Promise<CreatorProfileResponseDto> {
    return this.creators.create(actor, dto);
  }

  /** My creator profile (404 if I have none). */
  @Get('me')
  me(@CurrentUser() actor: Actor): Promise<CreatorProfileResponseDto> {
    return this.creators.me(actor);
  }

  /** A profile with social links, featured bots, programme badges and `following`. Private → 404 for others. */
  @Public()
  @Get(':username')
  get(
    @CurrentUser() actor: Actor | undefined,
    @Param('username') username: string,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.get(actor, username);
  }

  /**
   * Update content (owner, editor/manager grant, admin). profile_visibility and allow_collaboration: owner and admin
   * only. Verification, featuring, moderation fields and counters are never writable here: naming one answers
   * 403 FIELD_NOT_WRITABLE with the field in `errors`.
   */
  @Patch(':username')
  update(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Body() dto: UpdateCreatorProfileDto,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.update(actor, username, dto);
  }

  /** Delete the profile (owner, admin) → 204; demotes creator → user. The user's bots stay. */
  @Delete(':username')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<void> {
    return this.creators.remove(actor, username);
  }

  /** Replace the ordered social links (≤20; http(s) URLs; one per platform except other). */
  @Put(':username/social-links')
  putSocialLinks(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Body() dto: PutSocialLinksDto,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.putSocialLinks(actor, username, dto);
  }

  /** Replace the ordered showcase (≤6 of the profile owner's public bots). */
  @Put(':username/featured-bots')
  putFeaturedBots(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Body() dto: PutFeaturedBotsDto,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.putFeaturedBots(actor, username, dto);
  }

  /** Owner: ask for verification (unverified → pending; needs a public bot) → 202. */
  @Post(':username/verification-request')
  @HttpCode(202)
  requestVerification(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<VerificationStateDto> {
    return this.creators.requestVerification(actor, username);
  }

  /** Moderator: decide verification (premium: admin only). */
  @Put(':username/verification')
  setVerification(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Body() dto: SetVerificationDto,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.setVerification(actor, username, dto);
  }

  /** Moderator: feature the creator. */
  @Put(':username/feature')
  feature(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<CreatorProfileResponseDto> {
    return this.creators.setFeatured(actor, username, true);
  }

  /** Moderator: stop featuring the creator. */
  @Delete(':username/feature')
  unfeature(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<CreatorProfileResponseDto> {
    return this.creators.setFeatured(actor, username, false);
  }

  /** Moderator: hide or show the profile (reason required to hide). */
  @Put(':username/moderation')
  moderate(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Body() dto: SetProfileModerationDto,
  ): Promise<CreatorProfileResponseDto> {
    return this.creators.setModeration(actor, username, dto);
  }

  /** Follow (idempotent) → `{following, follower_count}`. */
  @Put(':username/follow')
  @Throttle(FOLLOW_BUDGET)
  follow(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<FollowStateDto> {
    return this.follows.follow(actor, username);
  }

  /** Unfollow (idempotent) → `{following, follower_count}`. */
  @Delete(':username/follow')
  @Throttle(FOLLOW_BUDGET)
  unfollow(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<FollowStateDto> {
    return this.follows.unfollow(actor, username);
  }

  /** Whether I follow this creator, and the count. */
  @Get(':username/follow')
  followState(@CurrentUser() actor: Actor, @Param('username') username: string): Promise<FollowStateDto> {
    return this.follows.state(actor, username);
  }

  /** The profile's followers (owner, admin). */
  @Get(':username/followers')
  followers(
    @CurrentUser() actor: Actor,
    @Param('username') username: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FollowerCardDto>> {
    return this.follows.followers(actor, username, query);
  }
}

/** `/users/me/following` (creators.md §2): creator cards I follow. */
@ApiTags('creators')
@Controller('users/me/following')
export class MyFollowingController {
  constructor(private readonly follows: FollowsService) {}

  /** Creators I follow, most recently followed first. */
  @Get()
  list(@CurrentUser() actor: Actor, @Query() query: PageQueryDto): Promise<Page<FollowedCreatorDto>> {
    return this.follows.following(actor, query);
  }
}
