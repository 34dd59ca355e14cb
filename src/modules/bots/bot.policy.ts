import { Injectable } from '@nestjs/common';
import {
  type AccessLevel,
  canEdit,
  canManageGrants,
  canRead,
  canUse,
  isOwnerLevel,
} from '../../common/access/access-level.js';
import { type Actor, isStaff } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import type { Bot } from './entities/bot.entity.js';

export type BotAction =
  | 'view'
  | 'use' // chat, like, favourite
  | 'copy'
  | 'edit'
  | 'change_settings' // visibility, slug, sharing flags
  | 'manage_grants'
  | 'moderate'
  | 'delete';

/**
 * Who may do what to a bot (bots.md §1.4). Pure: the caller, the loaded bot and the level from
 * AccessPolicy.levelFor (which already settled owner/admin, grants, expiry, visibility and moderation).
 */
@Injectable()
export class BotPolicy {
  can(actor: Actor | undefined, action: BotAction, bot: Bot, level: AccessLevel): boolean {
    switch (action) {
      case 'view':
        return canRead(level);
      case 'use':
        return !!actor && canUse(level);
      case 'copy':
        // readable through public visibility or a real grant, and allowed by the bot (checked by the service
        // per kind); the owner may always copy their own bot
        return !!actor && canUse(level);
      case 'edit':
        return canEdit(level);
      case 'change_settings':
      case 'delete':
        return isOwnerLevel(level);
      case 'manage_grants':
        return canManageGrants(level);
      case 'moderate':
        return isStaff(actor);
    }
  }

  /** Not visible → 404 BOT_NOT_FOUND; visible but not allowed → 403 BOT_FORBIDDEN. */
  assert(actor: Actor | undefined, action: BotAction, bot: Bot, level: AccessLevel): void {
    if (!this.can(actor, 'view', bot, level)) throw new NotFoundError('BOT_NOT_FOUND');
    if (!this.can(actor, action, bot, level)) {
      throw new ForbiddenError('BOT_FORBIDDEN', `You may not ${action.replace('_', ' ')} this bot.`);
    }
  }
}
