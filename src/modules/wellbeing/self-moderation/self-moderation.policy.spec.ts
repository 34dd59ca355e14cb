import { type Actor, UserRole } from '../../../common/auth/actor.js';
import { SelfModerationPolicy } from './self-moderation.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });

describe('SelfModerationPolicy (wellbeing.md §2.3: owner only)', () => {
  const policy = new SelfModerationPolicy();
  const row = { userId: 'u1' };

  it('lets the owner see their own row', () => {
    expect(policy.canView(actor('u1'), row)).toBe(true);
  });

  it.each([UserRole.User, UserRole.Moderator, UserRole.Admin])('hides it from anyone else (%s)', (role) => {
    expect(policy.canView(actor('u2', role), row)).toBe(false);
    expect(() => policy.assertOwn(actor('u2', role), row)).toThrow(
      expect.objectContaining({ status: 404, code: 'WELLBEING_INTERVENTION_NOT_FOUND' }),
    );
  });

  it('treats a missing row as not found', () => {
    expect(() => policy.assertOwn(actor('u1'), undefined)).toThrow(expect.objectContaining({ status: 404 }));
  });
});
