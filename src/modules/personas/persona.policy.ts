import { Injectable } from '@nestjs/common';
import { ModerationStatus } from '../../common/access/access.enums.js';
import { type Actor, isAdmin, isStaff } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';

export type PersonaAction = 'view' | 'update' | 'delete' | 'copy' | 'moderate' | 'use' | 'see_private_fields';

/** The row fields the rules look at. */
export type PersonaFacts = { ownerId: string; isPublic: boolean; moderationStatus: ModerationStatus };

/**
 * bots.md §4 access table as code. Pure. Personas are not grantable; a public, visible persona is readable and
 * copyable by every signed-in user; moderators also see hidden public ones (to review them) but never private ones;
 * admins see and change everything.
 */
@Injectable()
export class PersonaPolicy {
  can(actor: Actor, action: PersonaAction, persona: PersonaFacts): boolean {
    const owner = actor.id === persona.ownerId;
    const catalogued = persona.isPublic && persona.moderationStatus === ModerationStatus.Visible;
    switch (action) {
      case 'view':
        return owner || isAdmin(actor) || catalogued || (isStaff(actor) && persona.isPublic);
      case 'update':
      case 'delete':
      case 'see_private_fields':
        return owner || isAdmin(actor);
      case 'copy':
        return owner || catalogued;
      case 'moderate':
        return isStaff(actor);
      case 'use':
        return owner;
    }
  }

  /** Not visible → 404 PERSONA_NOT_FOUND; visible but not allowed → 403 PERSONA_FORBIDDEN. */
  assert(actor: Actor, action: PersonaAction, persona: PersonaFacts): void {
    if (!this.can(actor, 'view', persona)) throw new NotFoundError('PERSONA_NOT_FOUND');
    if (!this.can(actor, action, persona)) {
      throw new ForbiddenError('PERSONA_FORBIDDEN', `You may not ${action.replace(/_/g, ' ')} this persona.`);
    }
  }

  /** Who sees moderation_reason: the owner and staff. */
  seesModeration(actor: Actor, persona: PersonaFacts): boolean {
    return actor.id === persona.ownerId || isStaff(actor);
  }
}
