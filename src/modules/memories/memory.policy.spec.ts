import { UserRole, type Actor } from '../../common/auth/actor.js';
import { NotFoundError } from '../../common/errors/app-error.js';
import { MemoryPolicy } from './memory.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });

describe('MemoryPolicy', () => {
  const policy = new MemoryPolicy();
  const memory = { userId: 'owner' };

  it.each(['read', 'update', 'delete', 'convert'] as const)('lets only the owner %s', (action) => {
    expect(policy.can(actor('owner'), action, memory)).toBe(true);
    expect(policy.can(actor('other'), action, memory)).toBe(false);
    expect(policy.can(actor('admin', UserRole.Admin), action, memory)).toBe(false);
    expect(policy.can(actor('mod', UserRole.Moderator), action, memory)).toBe(false);
  });

  it('answers everyone else with 404 MEMORY_NOT_FOUND', () => {
    expect(() => policy.assert(actor('admin', UserRole.Admin), 'read', memory)).toThrow(NotFoundError);
    expect(() => policy.assert(actor('owner'), 'delete', memory)).not.toThrow();
  });
});
