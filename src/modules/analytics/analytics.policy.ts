import { Injectable } from '@nestjs/common';
import type { AccessLevel } from '../../common/access/access-level.js';
import { type Actor, isAdmin } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';

/**
 * Who may read which rollups (analytics.md §4). Own usage, memory and mood data have no id in their routes, so nobody
 * (admins included) can ask for another user's. Bot stats: owner, manage grant or admin; a bot the caller cannot
 * read → 404, readable but not owned or managed → 403. Persona stats: the persona's owner or an admin.
 */
@Injectable()
export class AnalyticsPolicy {
  canReadBotStats(level: AccessLevel): boolean {
    return level === 'owner' || level === 'manage';
  }

  assertBotStats(level: AccessLevel): void {
    if (level === null) throw new NotFoundError('BOT_NOT_FOUND');
    if (!this.canReadBotStats(level)) {
      throw new ForbiddenError(
        'ANALYTICS_FORBIDDEN',
        'Only the bot owner or a manage grant holder can read its analytics.',
      );
    }
  }

  canReadPersonaStats(actor: Actor, persona: { ownerId: string }): boolean {
    return persona.ownerId === actor.id || isAdmin(actor);
  }

  /** Personas are private: anybody else gets 404, never a hint that the persona exists. */
  assertPersonaStats(actor: Actor, persona: { ownerId: string } | null): void {
    if (!persona || !this.canReadPersonaStats(actor, persona)) throw new NotFoundError('PERSONA_NOT_FOUND');
  }
}
