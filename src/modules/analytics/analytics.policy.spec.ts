import { type Actor, UserRole } from '../../common/auth/actor.js';
import { AnalyticsPolicy } from './analytics.policy.js';

const actor = (role: UserRole, id = 'u1'): Actor => ({ id, role, username: 'x' }) as Actor;

describe('AnalyticsPolicy (analytics.md §4)', () => {
  const policy = new AnalyticsPolicy();

  it.each([
    ['owner', true],
    ['manage', true],
    ['edit', false],
    ['view', false],
    ['public', false],
    ['moderation', false],
  ] as const)('bot stats with level %s → %s', (level, allowed) => {
    expect(policy.canReadBotStats(level)).toBe(allowed);
    if (allowed) expect(() => policy.assertBotStats(level)).not.toThrow();
    else
      expect(() => policy.assertBotStats(level)).toThrow(
        expect.objectContaining({ status: 403, code: 'ANALYTICS_FORBIDDEN' }),
      );
  });

  it('an invisible bot is 404', () => {
    expect(() => policy.assertBotStats(null)).toThrow(expect.objectContaining({ status: 404, code: 'BOT_NOT_FOUND' }));
  });

  it('persona stats: owner and admin only; others 404', () => {
    const persona = { ownerId: 'u1' };
    expect(() => policy.assertPersonaStats(actor(UserRole.User), persona)).not.toThrow();
    expect(() => policy.assertPersonaStats(actor(UserRole.Admin, 'a'), persona)).not.toThrow();
    for (const other of [actor(UserRole.User, 'u2'), actor(UserRole.Moderator, 'm')]) {
      expect(() => policy.assertPersonaStats(other, persona)).toThrow(expect.objectContaining({ status: 404 }));
    }
    expect(() => policy.assertPersonaStats(actor(UserRole.User), null)).toThrow(
      expect.objectContaining({ status: 404 }),
    );
  });
});
