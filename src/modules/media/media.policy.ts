import { Injectable } from '@nestjs/common';
import { type Actor, isAdmin, isStaff } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { MediaKind } from './entities/media.entity.js';

export type MediaAction = 'read' | 'update' | 'delete' | 'see_private_fields';

/** The row fields the rules look at. */
export type MediaFacts = { ownerId: string; kind: MediaKind };

/**
 * What other modules know about a file: filled by the citation hook (`MediaCitationRegistry`, where knowledge, chat
 * and support register their resolvers). Until those modules exist both are false: documents are then readable by
 * owner, moderators and admins only, and nothing is an attachment.
 */
export interface MediaCitationFacts {
  /** Attached to a chat or support message: private whatever its kind (README decision 12). */
  isAttachment: boolean;
  /** The actor can read a resource citing the file (a knowledge entry for documents, a message for attachments). */
  readableViaCitation: boolean;
}

export const NO_CITATIONS: MediaCitationFacts = { isAttachment: false, readableViaCitation: false };

/** identity.md §2 access table, as code. Pure: actor + action + loaded facts in, boolean out. */
@Injectable()
export class MediaPolicy {
  can(actor: Actor | undefined, action: MediaAction, media: MediaFacts, citations: MediaCitationFacts): boolean {
    const owner = !!actor && actor.id === media.ownerId;
    switch (action) {
      case 'read':
        if (owner || isAdmin(actor)) return true;
        if (citations.isAttachment) return citations.readableViaCitation; // moderators: same as user
        if (media.kind === MediaKind.Image) return true; // public by (unguessable) id
        return isStaff(actor) || citations.readableViaCitation;
      case 'update':
        return owner || isAdmin(actor);
      case 'delete':
        return owner || isStaff(actor);
      case 'see_private_fields':
        return owner;
    }
  }

  /** Not readable → 404 MEDIA_NOT_FOUND; readable but the action is not allowed → 403 MEDIA_FORBIDDEN. */
  assert(actor: Actor | undefined, action: MediaAction, media: MediaFacts, citations: MediaCitationFacts): void {
    if (!this.can(actor, 'read', media, citations)) throw new NotFoundError('MEDIA_NOT_FOUND');
    if (!this.can(actor, action, media, citations)) {
      throw new ForbiddenError('MEDIA_FORBIDDEN', `You may not ${action.replace(/_/g, ' ')} this file.`);
    }
  }

  /** Whether the citation facts can change the answer (owners and admins never need the lookup). */
  needsCitationFacts(actor: Actor | undefined, media: MediaFacts): boolean {
    return !(actor && (actor.id === media.ownerId || isAdmin(actor)));
  }

  /**
   * Whose files a list shows: one's own, or (moderator, admin) any user's via `owner_id`. Staff lists of other
   * users exclude attachments.
   */
  listOwner(actor: Actor, requestedOwnerId?: string): { ownerId: string; excludeAttachments: boolean } {
    if (!requestedOwnerId || requestedOwnerId === actor.id) return { ownerId: actor.id, excludeAttachments: false };
    if (!isStaff(actor)) {
      throw new ForbiddenError('MEDIA_LIST_FORBIDDEN', "Only moderators may list another user's files.");
    }
    return { ownerId: requestedOwnerId, excludeAttachments: !isAdmin(actor) };
  }
}
