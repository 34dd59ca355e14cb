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
import { KnowledgeEntryVisibility } from './knowledge.enums.js';

export type CollectionAction =
  | 'read'
  | 'read_hidden_entries'
  | 'edit'
  | 'owner_settings'
  | 'request_publication'
  | 'unpublish'
  | 'curate'
  | 'manage_grants'
  | 'fork'
  | 'link'
  | 'export'
  | 'delete';

/** The collection columns the policy reads. */
export interface CollectionFacts {
  allowFork: boolean;
}

export const COLLECTION_NOT_FOUND = 'KNOWLEDGE_COLLECTION_NOT_FOUND';
export const COLLECTION_FORBIDDEN = 'KNOWLEDGE_COLLECTION_FORBIDDEN';
export const ENTRY_NOT_FOUND = 'KNOWLEDGE_ENTRY_NOT_FOUND';

/**
 * Who may do what to a knowledge collection and its entries (knowledge.md §1 access table, §2.3). Pure: the level
 * comes from AccessPolicy.levelFor (bots.md §3.4). Moderators read everything (`moderation` level) but that is not a
 * grant: forking, linking and exporting need public visibility or a real grant (README decision 16).
 */
@Injectable()
export class KnowledgeCollectionPolicy {
  can(actor: Actor | null | undefined, action: CollectionAction, c: CollectionFacts, level: AccessLevel): boolean {
    switch (action) {
      case 'read':
        return canRead(level);
      case 'read_hidden_entries':
        // Staff read every entry (knowledge.md §2.3), also on a public collection, where their level is `public`.
        return canEdit(level) || level === 'moderation' || (isStaff(actor) && canRead(level));
      case 'edit':
        return canEdit(level);
      case 'owner_settings':
      case 'request_publication':
      case 'delete':
        return isOwnerLevel(level);
      case 'unpublish':
        return isOwnerLevel(level) || isStaff(actor);
      case 'curate':
        return isStaff(actor);
      case 'manage_grants':
        return canManageGrants(level);
      case 'fork':
        return !!actor && (isOwnerLevel(level) || (canUse(level) && c.allowFork));
      case 'link':
        return !!actor && canUse(level);
      case 'export':
        return canEdit(level) || (canUse(level) && c.allowFork);
    }
  }

  /** Not readable → 404; readable but not allowed → 403. */
  assert(actor: Actor | null | undefined, action: CollectionAction, c: CollectionFacts, level: AccessLevel): void {
    if (!this.can(actor, 'read', c, level)) throw new NotFoundError(COLLECTION_NOT_FOUND);
    if (!this.can(actor, action, c, level)) {
      throw new ForbiddenError(COLLECTION_FORBIDDEN, `You may not ${action.replace(/_/g, ' ')} on this collection.`);
    }
  }

  /** An entry is readable when its collection is, and editors_only entries only for editors and moderators. */
  canReadEntry(
    actor: Actor | null | undefined,
    entry: { visibility: KnowledgeEntryVisibility },
    c: CollectionFacts,
    level: AccessLevel,
  ): boolean {
    if (!this.can(actor, 'read', c, level)) return false;
    return entry.visibility === KnowledgeEntryVisibility.Inherit || this.can(actor, 'read_hidden_entries', c, level);
  }
}
