import { type Actor, isAdmin, isStaff } from '../auth/actor.js';
import { AccessResourceType, GrantLevel, GrantStatus, ModerationStatus, ResourceVisibility } from './access.enums.js';

/**
 * Effective access of one caller to one shareable resource (bots.md §3.4):
 * - `owner`: the owner, or an admin (owner-equivalent);
 * - `manage` / `edit` / `view`: an active grant of that level;
 * - `public`: anybody, because the resource is public (read only);
 * - `moderation`: a moderator's read-only view for moderation (README decision 16). It reads everything, hidden
 *   definitions included, but it is not a grant: chatting, liking, copying or linking still need `public` or a grant;
 * - `null`: not visible at all (answer 404).
 */
export type AccessLevel = 'owner' | 'manage' | 'edit' | 'view' | 'public' | 'moderation' | null;

/** The columns of a shareable row that the policy reads. Bots and knowledge collections both have them. */
export interface ShareableResource {
  resourceType: AccessResourceType;
  id: string;
  ownerId: string;
  visibility: ResourceVisibility;
  moderationStatus: ModerationStatus;
  shareExpiresAt: Date | null;
  /** false ⇒ only view grants count (edit/manage grants are read as view). Defaults to true when absent. */
  allowCollaboration?: boolean;
}

/** The grant columns the policy reads. */
export interface GrantLike {
  level: GrantLevel;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Builds the policy input from any row that has the shareable columns. */
export function shareable(
  resourceType: AccessResourceType,
  row: Omit<ShareableResource, 'resourceType'>,
): ShareableResource {
  return {
    resourceType,
    id: row.id,
    ownerId: row.ownerId,
    visibility: row.visibility,
    moderationStatus: row.moderationStatus,
    shareExpiresAt: row.shareExpiresAt,
    allowCollaboration: row.allowCollaboration,
  };
}

/** Whether grants on this resource currently work at all (share not expired; not private for bots/collections). */
export function grantsSuspended(resource: ShareableResource, now: Date = new Date()): boolean {
  if (resource.shareExpiresAt && resource.shareExpiresAt.getTime() <= now.getTime()) return true;
  // Creator profiles: a view grant exists precisely to read a private profile (README decision 15).
  if (resource.resourceType === AccessResourceType.CreatorProfile) return false;
  return resource.visibility === ResourceVisibility.Private;
}

/** Active = not revoked, not expired, and the resource does not suspend its grants. */
export function grantStatus(grant: GrantLike, resource: ShareableResource, now: Date = new Date()): GrantStatus {
  if (grant.revokedAt) return GrantStatus.Revoked;
  if (grant.expiresAt && grant.expiresAt.getTime() <= now.getTime()) return GrantStatus.Expired;
  if (grantsSuspended(resource, now)) return GrantStatus.Suspended;
  return GrantStatus.Active;
}

/**
 * The pure part of `AccessPolicy.levelFor` (bots.md §3.4, steps in order). `grant` is the caller's unrevoked grant on
 * the resource if one exists (expiry is checked here).
 */
export function resolveAccessLevel(
  actor: Actor | null | undefined,
  resource: ShareableResource,
  grant: GrantLike | null,
  now: Date = new Date(),
): AccessLevel {
  // 1. admin → owner-equivalent
  if (isAdmin(actor)) return 'owner';
  // 2. owner → owner
  if (actor && actor.id === resource.ownerId) return 'owner';
  const moderator = isStaff(actor);
  // 3. hidden by moderation → moderators read it, nobody else sees it
  if (resource.moderationStatus === ModerationStatus.Hidden) return moderator ? 'moderation' : null;
  // 4. an active grant → its level
  if (actor && grant && grantStatus(grant, resource, now) === GrantStatus.Active) {
    if (resource.allowCollaboration === false) return 'view';
    return grant.level;
  }
  // 5. public → read only
  if (resource.visibility === ResourceVisibility.Public) return 'public';
  // 6. moderators read anything for moderation (not a grant)
  if (moderator) return 'moderation';
  // 7. nothing
  return null;
}

/** Any read access at all (else the caller gets 404). */
export const canRead = (level: AccessLevel): boolean => level !== null;
/** Chat, like, favourite, copy, link: needs public visibility or a real grant (README decision 16). */
export const canUse = (level: AccessLevel): boolean => level !== null && level !== 'moderation';
/** Content fields: edit grant or more. */
export const canEdit = (level: AccessLevel): boolean => level === 'owner' || level === 'manage' || level === 'edit';
/** Manage view/edit grants: manage grant or owner. */
export const canManageGrants = (level: AccessLevel): boolean => level === 'owner' || level === 'manage';
/** Sharing settings, visibility, slug, delete, manage grants. */
export const isOwnerLevel = (level: AccessLevel): boolean => level === 'owner';
