import { type Actor, UserRole } from '../../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../../common/errors/app-error.js';
import { CrisisPolicy } from './crisis.policy.js';
import { CrisisVerification } from './entities/crisis.enums.js';

const actor = (role: UserRole): Actor => ({ id: 'a', role, username: 'a', emailVerified: true });
const res = (verificationStatus: CrisisVerification, isActive = true) => ({ verificationStatus, isActive });

describe('CrisisPolicy (wellbeing.md §4.4)', () => {
  const policy = new CrisisPolicy();
  const user = actor(UserRole.User);
  const mod = actor(UserRole.Moderator);
  const admin = actor(UserRole.Admin);

  it('shows verified and needs_update active resources to anyone', () => {
    expect(policy.can(null, 'view', res(CrisisVerification.Verified))).toBe(true);
    expect(policy.can(user, 'view', res(CrisisVerification.NeedsUpdate))).toBe(true);
  });

  it.each([CrisisVerification.Pending, CrisisVerification.UnderReview, CrisisVerification.Expired])(
    'hides %s resources from non-staff, not from staff',
    (status) => {
      expect(policy.can(null, 'view', res(status))).toBe(false);
      expect(policy.can(user, 'view', res(status))).toBe(false);
      expect(policy.can(mod, 'view', res(status))).toBe(true);
    },
  );

  it('hides deactivated resources from non-staff', () => {
    expect(policy.can(user, 'view', res(CrisisVerification.Verified, false))).toBe(false);
    expect(policy.can(admin, 'view', res(CrisisVerification.Verified, false))).toBe(true);
  });

  it('lets staff create, update, verify and see staff fields; only admins hard-delete', () => {
    for (const action of ['create', 'update', 'verify', 'view_staff_fields'] as const) {
      expect(policy.can(user, action)).toBe(false);
      expect(policy.can(actor(UserRole.Creator), action)).toBe(false);
      expect(policy.can(mod, action)).toBe(true);
      expect(policy.can(admin, action)).toBe(true);
    }
    expect(policy.can(mod, 'delete')).toBe(false);
    expect(policy.can(admin, 'delete')).toBe(true);
  });

  it('keywords are staff-only', () => {
    expect(policy.canManageKeywords(null)).toBe(false);
    expect(policy.canManageKeywords(user)).toBe(false);
    expect(policy.canManageKeywords(mod)).toBe(true);
    expect(() => policy.assertManageKeywords(user)).toThrow(ForbiddenError);
  });

  it('assert: hidden → 404, visible but not allowed → 403', () => {
    expect(() => policy.assert(user, 'update', res(CrisisVerification.Pending))).toThrow(NotFoundError);
    expect(() => policy.assert(user, 'update', res(CrisisVerification.Verified))).toThrow(ForbiddenError);
    expect(() => policy.assert(mod, 'delete', res(CrisisVerification.Verified))).toThrow(ForbiddenError);
    expect(() => policy.assert(admin, 'delete', res(CrisisVerification.Pending))).not.toThrow();
  });
});
