import { Injectable } from '@nestjs/common';
import { type Actor, isAdmin, isStaff } from '../../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../../common/errors/app-error.js';
import { VISIBLE_STATUSES, type CrisisVerification } from './entities/crisis.enums.js';

export type CrisisResourceAction = 'view' | 'view_staff_fields' | 'create' | 'update' | 'verify' | 'delete';

/** The access table of wellbeing.md §4.4; pure. */
@Injectable()
export class CrisisPolicy {
  /** Visible to everyone: active and verified or needs_update. Staff see every resource. */
  isVisible(resource: { isActive: boolean; verificationStatus: CrisisVerification }): boolean {
    return resource.isActive && VISIBLE_STATUSES.includes(resource.verificationStatus);
  }

  can(
    actor: Actor | null | undefined,
    action: CrisisResourceAction,
    resource?: { isActive: boolean; verificationStatus: CrisisVerification },
  ): boolean {
    switch (action) {
      case 'view':
        return isStaff(actor) || (!!resource && this.isVisible(resource));
      case 'view_staff_fields':
      case 'create':
      case 'update':
      case 'verify':
        return isStaff(actor);
      case 'delete':
        return isAdmin(actor);
    }
  }

  /** Hidden → 404; visible but not allowed → 403. */
  assert(
    actor: Actor | null | undefined,
    action: CrisisResourceAction,
    resource?: { isActive: boolean; verificationStatus: CrisisVerification },
  ): void {
    if (resource && !this.can(actor, 'view', resource)) throw new NotFoundError('CRISIS_RESOURCE_NOT_FOUND');
    if (!this.can(actor, action, resource)) throw new ForbiddenError('CRISIS_FORBIDDEN');
  }

  /** Keywords: list / create / update / delete are staff-only. */
  canManageKeywords(actor: Actor | null | undefined): boolean {
    return isStaff(actor);
  }

  assertManageKeywords(actor: Actor | null | undefined): void {
    if (!this.canManageKeywords(actor)) throw new ForbiddenError('CRISIS_FORBIDDEN');
  }
}
