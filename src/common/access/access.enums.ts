/**
 * Shared Postgres enums of the sharing system (bots.md §0, §3). Every module whose resources are shareable (bots,
 * knowledge collections) uses these same TypeScript enums with the same `enumName`, so one Postgres type backs all
 * columns.
 */

/** Postgres type `resource_visibility` (bots.md §3.1). */
export enum ResourceVisibility {
  Private = 'private',
  Shared = 'shared',
  Public = 'public',
}
export const RESOURCE_VISIBILITY_ENUM = 'resource_visibility';

/** Postgres type `grant_level`; ordered view < edit < manage. */
export enum GrantLevel {
  View = 'view',
  Edit = 'edit',
  Manage = 'manage',
}
export const GRANT_LEVEL_ENUM = 'grant_level';

/** Postgres type `access_resource_type`: what a grant points at. */
export enum AccessResourceType {
  Bot = 'bot',
  KnowledgeCollection = 'knowledge_collection',
  CreatorProfile = 'creator_profile',
}
export const ACCESS_RESOURCE_TYPE_ENUM = 'access_resource_type';

/** Postgres type `grant_method`. */
export enum GrantMethod {
  DirectShare = 'direct_share',
  CollaborationInvite = 'collaboration_invite',
  SharePassword = 'share_password',
  ProgramMembership = 'program_membership',
  RoleAssignment = 'role_assignment',
  System = 'system',
}
export const GRANT_METHOD_ENUM = 'grant_method';

/** Postgres type `moderation_status` (bots, knowledge collections, creator profiles). */
export enum ModerationStatus {
  Visible = 'visible',
  Hidden = 'hidden',
}
export const MODERATION_STATUS_ENUM = 'moderation_status';

/** Computed status of a grant as the API shows it (bots.md §3.5). */
export enum GrantStatus {
  Active = 'active',
  Expired = 'expired',
  Suspended = 'suspended',
  Revoked = 'revoked',
}

const GRANT_RANK: Record<GrantLevel, number> = { view: 1, edit: 2, manage: 3 };

/** True when `level` is at least `atLeast` (view < edit < manage). */
export function grantAtLeast(level: GrantLevel, atLeast: GrantLevel): boolean {
  return GRANT_RANK[level] >= GRANT_RANK[atLeast];
}
