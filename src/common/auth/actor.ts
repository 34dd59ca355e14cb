export enum UserRole {
  User = 'user',
  Creator = 'creator',
  Moderator = 'moderator',
  Admin = 'admin',
}

const RANK: Record<UserRole, number> = { user: 0, creator: 1, moderator: 2, admin: 3 };

/** Roles rank user < creator < moderator < admin; a higher role includes what a lower one may do. */
export function hasRole(role: UserRole, atLeast: UserRole): boolean {
  return RANK[role] >= RANK[atLeast];
}

/** The signed-in caller, as the guard resolved it for this request. */
export interface Actor {
  id: string;
  role: UserRole;
  username: string;
  emailVerified: boolean;
}

export const isStaff = (actor: Actor | null | undefined): boolean => !!actor && hasRole(actor.role, UserRole.Moderator);
export const isAdmin = (actor: Actor | null | undefined): boolean => !!actor && actor.role === UserRole.Admin;
