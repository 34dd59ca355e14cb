import { Injectable } from '@nestjs/common';
import { type Actor, isAdmin, isStaff, UserRole } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';

export type UserAction = 'read' | 'suspend' | 'change_role' | 'delete';

/** What the policy needs to know about the account acted upon. */
export interface UserTarget {
  id: string;
  role: UserRole;
}

/**
 * How much of an account a caller sees: `card` (id, username, display name, avatar), `staff` (moderator: the
 * record without last login and legacy ids), `self` (own account: all but hidden fields), `admin` (everything
 * non-secret).
 */
export type UserView = 'card' | 'staff' | 'self' | 'admin';

/** The only place that decides who may do what to an account (identity.md §1, access rules). Pure. */
@Injectable()
export class UserPolicy {
  can(actor: Actor, action: UserAction, target: UserTarget): boolean {
    const self = actor.id === target.id;
    switch (action) {
      case 'read':
        return self || isStaff(actor);
      case 'suspend':
        if (self) return false;
        if (isAdmin(actor)) return true;
        return isStaff(actor) && (target.role === UserRole.User || target.role === UserRole.Creator);
      case 'change_role':
        return isAdmin(actor);
      case 'delete':
        return self || isAdmin(actor);
    }
  }

  /** Not readable → 404; readable but not allowed → 403. */
  assert(actor: Actor, action: UserAction, target: UserTarget): void {
    if (!this.can(actor, 'read', target)) throw new NotFoundError('USER_NOT_FOUND', 'No such user.');
    if (!this.can(actor, action, target)) {
      throw new ForbiddenError('USER_ACTION_FORBIDDEN', `You may not ${action.replace('_', ' ')} this account.`);
    }
  }

  /** The view of another account a lookup by username returns. */
  lookupView(actor: Actor): UserView {
    if (isAdmin(actor)) return 'admin';
    if (isStaff(actor)) return 'staff';
    return 'card';
  }

  /** The view of a full record (GET /users/{id}, staff lists); null when the caller may not read it. */
  recordView(actor: Actor, target: UserTarget): Exclude<UserView, 'card'> | null {
    if (isAdmin(actor)) return 'admin';
    if (actor.id === target.id) return 'self';
    if (isStaff(actor)) return 'staff';
    return null;
  }
}
