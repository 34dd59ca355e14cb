import { type Actor, UserRole } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { type UserAction, UserPolicy, type UserTarget } from './user.policy.js';

const policy = new UserPolicy();
const actor = (id: string, role: UserRole): Actor => ({ id, role, username: id, emailVerified: true });
const target = (id: string, role: UserRole): UserTarget => ({ id, role });

const user = actor('u1', UserRole.User);
const creator = actor('c1', UserRole.Creator);
const mod = actor('m1', UserRole.Moderator);
const admin = actor('a1', UserRole.Admin);

describe('UserPolicy', () => {
  describe('read', () => {
    it('lets anyone read themselves and staff read anyone', () => {
      expect(policy.can(user, 'read', target('u1', UserRole.User))).toBe(true);
      expect(policy.can(user, 'read', target('x', UserRole.User))).toBe(false);
      expect(policy.can(creator, 'read', target('x', UserRole.User))).toBe(false);
      expect(policy.can(mod, 'read', target('x', UserRole.Admin))).toBe(true);
      expect(policy.can(admin, 'read', target('x', UserRole.User))).toBe(true);
    });
  });

  describe('suspend', () => {
    it.each([
      [UserRole.User, true],
      [UserRole.Creator, true],
      [UserRole.Moderator, false],
      [UserRole.Admin, false],
    ])('moderator on a %s → %s', (role, allowed) => {
      expect(policy.can(mod, 'suspend', target('x', role))).toBe(allowed);
    });

    it.each([UserRole.User, UserRole.Creator, UserRole.Moderator, UserRole.Admin])('admin may suspend a %s', (role) => {
      expect(policy.can(admin, 'suspend', target('x', role))).toBe(true);
    });

    it('nobody suspends themselves; plain users and creators suspend nobody', () => {
      expect(policy.can(admin, 'suspend', target('a1', UserRole.Admin))).toBe(false);
      expect(policy.can(mod, 'suspend', target('m1', UserRole.Moderator))).toBe(false);
      expect(policy.can(user, 'suspend', target('x', UserRole.User))).toBe(false);
      expect(policy.can(creator, 'suspend', target('x', UserRole.User))).toBe(false);
    });
  });

  describe('change_role', () => {
    it('is for admins only', () => {
      expect(policy.can(admin, 'change_role', target('x', UserRole.User))).toBe(true);
      expect(policy.can(admin, 'change_role', target('a1', UserRole.Admin))).toBe(true);
      expect(policy.can(mod, 'change_role', target('x', UserRole.User))).toBe(false);
      expect(policy.can(user, 'change_role', target('u1', UserRole.User))).toBe(false);
    });
  });

  describe('delete', () => {
    it('lets the account itself and admins delete, not moderators', () => {
      expect(policy.can(user, 'delete', target('u1', UserRole.User))).toBe(true);
      expect(policy.can(user, 'delete', target('x', UserRole.User))).toBe(false);
      expect(policy.can(mod, 'delete', target('x', UserRole.User))).toBe(false);
      expect(policy.can(admin, 'delete', target('x', UserRole.Moderator))).toBe(true);
    });
  });

  describe('assert', () => {
    const check = (a: Actor, action: UserAction, t: UserTarget) => () => policy.assert(a, action, t);
    it('hides other accounts from non-staff (404) and refuses visible but forbidden actions (403)', () => {
      expect(check(user, 'suspend', target('x', UserRole.User))).toThrow(NotFoundError);
      expect(check(mod, 'suspend', target('x', UserRole.Admin))).toThrow(ForbiddenError);
      expect(check(mod, 'change_role', target('x', UserRole.User))).toThrow(ForbiddenError);
      expect(check(mod, 'delete', target('x', UserRole.User))).toThrow(ForbiddenError);
      expect(check(admin, 'delete', target('x', UserRole.User))).not.toThrow();
    });
  });

  describe('views', () => {
    it('gives users the card, moderators the staff view, admins everything', () => {
      expect(policy.lookupView(user)).toBe('card');
      expect(policy.lookupView(creator)).toBe('card');
      expect(policy.lookupView(mod)).toBe('staff');
      expect(policy.lookupView(admin)).toBe('admin');
      expect(policy.recordView(user, target('u1', UserRole.User))).toBe('self');
      expect(policy.recordView(user, target('x', UserRole.User))).toBeNull();
      expect(policy.recordView(mod, target('x', UserRole.User))).toBe('staff');
      expect(policy.recordView(admin, target('x', UserRole.User))).toBe('admin');
    });
  });
});
