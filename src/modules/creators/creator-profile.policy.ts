import { Injectable } from '@nestjs/common';
import { type AccessLevel, canEdit, canRead, isOwnerLevel } from '../../common/access/access-level.js';
import { AccessResourceType, ResourceVisibility } from '../../common/access/access.enums.js';
import type { ShareableResource } from '../../common/access/access-level.js';
import { type Actor, isAdmin, isStaff } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import type { CreatorProfile } from './entities/creator-profile.entity.js';
import { CreatorProfileVisibility } from './entities/creator.enums.js';

/** What can be done to a creator profile (creators.md §1, access table). */
export type ProfileAction =
  | 'read'
  | 'edit_content'
  | 'edit_owner_settings'
  | 'delete'
  | 'request_verification'
  | 'set_verification'
  | 'set_premium'
  | 'feature'
  | 'moderate'
  | 'list_followers'
  | 'read_private_fields';

/**
 * The profile as the shared access policy sees it (bots.md §3.4). An unlisted profile is readable by anyone with the
 * link, so it counts as public for reading; grants are not suspended by a private profile (README decision 15).
 */
export function profileResource(
  profile: Pick<CreatorProfile, 'id' | 'userId' | 'profileVisibility' | 'moderationStatus' | 'allowCollaboration'>,
): ShareableResource {
  return {
    resourceType: AccessResourceType.CreatorProfile,
    id: profile.id,
    ownerId: profile.userId,
    visibility:
      profile.profileVisibility === CreatorProfileVisibility.Private
        ? ResourceVisibility.Private
        : ResourceVisibility.Public,
    moderationStatus: profile.moderationStatus,
    shareExpiresAt: null,
    allowCollaboration: profile.allowCollaboration,
  };
}

/** Pure rules of the creators.md §1 access table; `level` comes from AccessPolicy.levelFor. */
@Injectable()
export class CreatorProfilePolicy {
  can(
    actor: Actor | undefined,
    action: ProfileAction,
    profile: Pick<CreatorProfile, 'userId'>,
    level: AccessLevel,
  ): boolean {
    switch (action) {
      case 'read':
        return canRead(level);
      case 'edit_content':
        return canEdit(level);
      case 'edit_owner_settings':
      case 'delete':
        return isOwnerLevel(level);
      case 'request_verification':
        return !!actor && actor.id === profile.userId;
      case 'set_verification':
      case 'feature':
      case 'moderate':
        return isStaff(actor);
      case 'set_premium':
        return isAdmin(actor);
      case 'list_followers':
        return !!actor && (actor.id === profile.userId || isAdmin(actor));
      case 'read_private_fields':
        return !!actor && (actor.id === profile.userId || isStaff(actor));
    }
  }

  /** Not readable → 404; readable but not allowed → 403. */
  assert(
    actor: Actor | undefined,
    action: ProfileAction,
    profile: Pick<CreatorProfile, 'userId'>,
    level: AccessLevel,
  ): void {
    if (!this.can(actor, 'read', profile, level)) throw new NotFoundError('PROFILE_NOT_FOUND');
    if (!this.can(actor, action, profile, level)) {
      throw new ForbiddenError('PROFILE_FORBIDDEN', 'You are not allowed to do this to this creator profile.');
    }
  }
}
