import { type Actor, UserRole } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { type ApiKeyAction, ApiKeyPolicy } from './api-key.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner');
const stranger = actor('stranger');
const admin = actor('admin', UserRole.Admin);
const moderator = actor('mod', UserRole.Moderator);
const key = { userId: 'owner' };
const ownerActions: ApiKeyAction[] = ['read', 'update', 'replace_secret', 'set_fallbacks', 'verify', 'delete', 'use'];

describe('ApiKeyPolicy (api-keys.md §2.3)', () => {
  const policy = new ApiKeyPolicy();

  it.each(ownerActions)('owner may %s', (a) => expect(policy.can(owner, a, key)).toBe(true));
  it.each(ownerActions)('stranger may not %s (404)', (a) => {
    expect(policy.can(stranger, a, key)).toBe(false);
    expect(() => policy.assert(stranger, a, key)).toThrow(NotFoundError);
  });
  it.each(ownerActions)('admin may not %s on owner routes (404: no use, no secret)', (a) => {
    expect(policy.can(admin, a, key)).toBe(false);
    expect(() => policy.assert(admin, a, key)).toThrow(NotFoundError);
  });
  it('only admins read metadata through the admin routes and suspend', () => {
    expect(policy.can(admin, 'admin_read', key)).toBe(true);
    expect(policy.can(admin, 'suspend', key)).toBe(true);
    expect(policy.can(owner, 'suspend', key)).toBe(false);
    expect(policy.can(moderator, 'admin_read', key)).toBe(false);
    expect(() => policy.assert(owner, 'suspend', key)).toThrow(ForbiddenError);
  });
});
