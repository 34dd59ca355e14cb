import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { NotFoundError } from '../../common/errors/app-error.js';

export type MoodAction = 'view' | 'update' | 'delete';

/** The row fields the rule looks at. */
export type MoodFacts = { userId: string };

/**
 * wellbeing.md §1 access as code. Pure. Mood entries are owner-only health data: list, read, create, update and
 * delete belong to the owner alone. Roles grant nothing — moderators and admins get the same 404 as a stranger.
 */
@Injectable()
export class MoodPolicy {
  can(actor: Actor | null | undefined, _action: MoodAction, entry: MoodFacts): boolean {
    return !!actor && actor.id === entry.userId;
  }

  /** Anyone but the owner → 404 MOOD_ENTRY_NOT_FOUND (never 403: existence is private too). */
  assert(actor: Actor | null | undefined, action: MoodAction, entry: MoodFacts): void {
    if (!this.can(actor, action, entry)) throw new NotFoundError('MOOD_ENTRY_NOT_FOUND');
  }

  /** The only rows a list may show: the caller's own. */
  ownerFilter(actor: Actor, alias: string): [string, Record<string, string>] {
    return [`${alias}.user_id = :moodOwner`, { moodOwner: actor.id }];
  }
}
