import { Injectable } from '@nestjs/common';
import { type Actor, isAdmin } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';

export type ApiKeyAction =
  'read' | 'update' | 'replace_secret' | 'set_fallbacks' | 'verify' | 'delete' | 'use' | 'admin_read' | 'suspend';

/** The row fields the rules look at. */
export type ApiKeyFacts = { userId: string };

/**
 * api-keys.md §2.3 as code. Owner-only for everything on the owner routes (admins included: an admin reads other
 * users' key metadata only through /admin/api-keys, and never uses or reads a secret). Pure.
 */
@Injectable()
export class ApiKeyPolicy {
  can(actor: Actor, action: ApiKeyAction, key: ApiKeyFacts): boolean {
    const owner = actor.id === key.userId;
    switch (action) {
      case 'read':
      case 'update':
      case 'replace_secret':
      case 'set_fallbacks':
      case 'verify':
      case 'delete':
      case 'use':
        return owner;
      case 'admin_read':
      case 'suspend':
        return isAdmin(actor);
    }
  }

  /** Owner routes: not the owner → 404 API_KEY_NOT_FOUND (the key's existence is not revealed, even to admins). */
  assert(actor: Actor, action: ApiKeyAction, key: ApiKeyFacts): void {
    if (action === 'admin_read' || action === 'suspend') {
      if (!this.can(actor, action, key)) throw new ForbiddenError('FORBIDDEN', 'Only admins may do this.');
      return;
    }
    if (!this.can(actor, action, key)) throw new NotFoundError('API_KEY_NOT_FOUND');
  }
}
