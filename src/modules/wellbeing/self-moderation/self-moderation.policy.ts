import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../common/auth/actor.js';
import { NotFoundError } from '../../../common/errors/app-error.js';

/**
 * Self-moderation data (settings, usage, interventions) is the owner's alone (wellbeing.md §2.3): there is no staff
 * or admin access, so anyone else's row is "not found".
 */
@Injectable()
export class SelfModerationPolicy {
  canView(actor: Actor, row: { userId: string } | null | undefined): boolean {
    return !!row && row.userId === actor.id;
  }

  assertOwn<T extends { userId: string }>(actor: Actor, row: T | null | undefined): asserts row is T {
    if (!this.canView(actor, row)) throw new NotFoundError('WELLBEING_INTERVENTION_NOT_FOUND');
  }
}
