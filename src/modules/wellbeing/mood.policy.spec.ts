import { type Actor, UserRole } from '../../common/auth/actor.js';
import { NotFoundError } from '../../common/errors/app-error.js';
import {
  DEFAULT_MOOD_SCORE,
  isValidTimeZone,
  localDate,
  recordedAtProblem,
  secondsUntilNextLocalDay,
} from './mood-dates.js';
import { type MoodAction, MoodPolicy } from './mood.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const entry = { userId: 'owner' };
const ACTIONS: MoodAction[] = ['view', 'update', 'delete'];

describe('MoodPolicy', () => {
  const policy = new MoodPolicy();

  it.each(ACTIONS)('lets the owner %s their entry', (action) => {
    expect(policy.can(actor('owner'), action, entry)).toBe(true);
    expect(() => policy.assert(actor('owner'), action, entry)).not.toThrow();
  });

  it.each([
    ['a stranger', actor('stranger')],
    ['a creator', actor('creator', UserRole.Creator)],
    ['a moderator', actor('mod', UserRole.Moderator)],
    ['an admin', actor('admin', UserRole.Admin)],
    ['an anonymous caller', null],
  ])('refuses %s every action with 404 MOOD_ENTRY_NOT_FOUND', (_label, who) => {
    for (const action of ACTIONS) {
      expect(policy.can(who, action, entry)).toBe(false);
      expect(() => policy.assert(who, action, entry)).toThrow(NotFoundError);
      try {
        policy.assert(who, action, entry);
      } catch (err) {
        expect((err as NotFoundError).code).toBe('MOOD_ENTRY_NOT_FOUND');
        expect((err as NotFoundError).status).toBe(404);
      }
    }
  });

  it('filters lists to the caller, whatever their role', () => {
    expect(policy.ownerFilter(actor('admin', UserRole.Admin), 'm')).toEqual([
      'm.user_id = :moodOwner',
      { moodOwner: 'admin' },
    ]);
  });
});

describe('mood dates and defaults', () => {
  it('derives the default score from the label', () => {
    expect(DEFAULT_MOOD_SCORE).toEqual({
      very_happy: 5,
      happy: 4,
      excited: 4,
      content: 4,
      neutral: 3,
      anxious: 2,
      frustrated: 2,
      sad: 2,
      angry: 2,
      very_sad: 1,
    });
  });

  it('computes the local date in a time zone', () => {
    const at = new Date('2026-03-01T23:30:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-03-01');
    expect(localDate(at, 'Europe/Berlin')).toBe('2026-03-02');
    expect(localDate(at, 'America/Los_Angeles')).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-01T05:00:00Z'), 'Pacific/Honolulu')).toBe('2026-02-28');
  });

  it('knows IANA zone names', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('accepts recorded_at within now − 30 days … now + 5 minutes', () => {
    const now = new Date('2026-06-15T12:00:00Z');
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    expect(recordedAtProblem(now, now)).toBeNull();
    expect(recordedAtProblem(days(29.9), now)).toBeNull();
    expect(recordedAtProblem(days(30.1), now)).toMatch(/30 days/);
    expect(recordedAtProblem(new Date(now.getTime() + 4 * 60_000), now)).toBeNull();
    expect(recordedAtProblem(new Date(now.getTime() + 6 * 60_000), now)).toMatch(/5 minutes/);
  });

  it('counts the seconds until the next local day', () => {
    const now = new Date('2026-06-15T23:00:00Z');
    const s = secondsUntilNextLocalDay(now, '2026-06-15', 'UTC');
    expect(s).toBeGreaterThanOrEqual(3600);
    expect(s).toBeLessThanOrEqual(3600 + 15 * 60);
    expect(secondsUntilNextLocalDay(now, '2026-06-10', 'UTC')).toBe(86_400);
  });
});
