import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { UserAccountDto, UserLookupDto, UserPageDto, UserRecordDto } from './dto/user-response.dto.js';
import {
  ChangeEmailDto,
  ChangePasswordDto,
  ChangeRoleDto,
  DeleteAccountDto,
  ListUsersQueryDto,
  LookupUserQueryDto,
  SuspendUserDto,
  UpdateMeDto,
} from './dto/users.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Your own account (all fields except secrets). */
  @Get('me')
  me(@CurrentUser() actor: Actor): Promise<UserAccountDto> {
    return this.users.me(actor);
  }

  /**
   * Update your profile. The username can change once every 30 days; the old handle is released, so links
   * using it (`/<old-username>/...`, `/creators/<old-username>`) stop working.
   */
  @Patch('me')
  updateMe(@CurrentUser() actor: Actor, @Body() dto: UpdateMeDto): Promise<UserAccountDto> {
    return this.users.updateMe(actor, dto);
  }

  /** Change your password (current password required); every session ends, sign in again. */
  @Put('me/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  changePassword(@CurrentUser() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.users.changePassword(actor, dto);
  }

  /** Start an email change (current password required); the address switches when the mailed link is used. */
  @Put('me/email')
  @HttpCode(HttpStatus.ACCEPTED)
  changeEmail(@CurrentUser() actor: Actor, @Body() dto: ChangeEmailDto): Promise<void> {
    return this.users.changeEmail(actor, dto);
  }

  /** Delete your account and everything you created (password required). */
  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  deleteMe(@CurrentUser() actor: Actor, @Body() dto: DeleteAccountDto): Promise<void> {
    return this.users.deleteMe(actor, dto.password);
  }

  /** Find an account by its exact username: a user card (staff see more). */
  @Get('lookup')
  lookup(@CurrentUser() actor: Actor, @Query() query: LookupUserQueryDto): Promise<UserLookupDto> {
    return this.users.lookup(actor, query.username);
  }

  /** List and search accounts (moderator). */
  @Roles(UserRole.Moderator)
  @Get()
  list(@CurrentUser() actor: Actor, @Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.users.list(actor, query);
  }

  /** One account's full non-secret record (moderator). */
  @Roles(UserRole.Moderator)
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserRecordDto> {
    return this.users.get(actor, id);
  }

  /** Suspend an account (moderators: users and creators; admins: anyone but themselves). */
  @Roles(UserRole.Moderator)
  @Post(':id/suspension')
  @HttpCode(HttpStatus.OK)
  suspend(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SuspendUserDto,
  ): Promise<UserRecordDto> {
    return this.users.suspend(actor, id, dto);
  }

  /** Lift a suspension. */
  @Roles(UserRole.Moderator)
  @Delete(':id/suspension')
  unsuspend(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserRecordDto> {
    return this.users.unsuspend(actor, id);
  }

  /** Change an account's role (admin; the last admin cannot be demoted). */
  @Roles(UserRole.Admin)
  @Patch(':id/role')
  changeRole(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<UserRecordDto> {
    return this.users.changeRole(actor, id, dto.role);
  }

  /** Delete an account and everything it created (admin). */
  @Roles(UserRole.Admin)
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.deleteAccount(actor, id);
  }
}
