import { WellbeingEnforcement } from './entities/self-moderation.enums.js';
import { creditActivity, evaluateLimits, headerItem, type LimitSettings } from './limit-states.js';
import { looseningFields, DEFAULT_SETTINGS } from './settings-fields.js';

const G = 10 * 60_000;
const NOW = new Date('2025-06-01T12:00:00Z');
const base: LimitSettings = {
  timezone: 'UTC',
  enforcement: WellbeingEnforcement.Block,
  warnAtPercent: 80,
  dailyMinutesLimit: null,
  weeklyMinutesLimit: null,
  dailyMessagesLimit: null,
  sessionMinutesLimit: null,
  quietHoursEnabled: false,
  quietHoursStart: 22,
  quietHoursEnd: 8,
  sessionStartedAt: null,
  lastActivityAt: null,
};
const noCredit = { newSession: false, credit: 0, sessionStartedAt: NOW };

describe('creditActivity (§3.1)', () => {
  it('starts a session with 60 s, credits gaps below G, restarts after G', () => {
    expect(creditActivity(null, null, NOW, G)).toMatchObject({ newSession: true, credit: 60 });
    const last = new Date(NOW.getTime() - 90_000);
    expect(creditActivity(last, last, NOW, G)).toMatchObject({ newSession: false, credit: 90 });
    const old = new Date(NOW.getTime() - G);
    expect(creditActivity(old, old, NOW, G)).toMatchObject({ newSession: true, credit: 60, sessionStartedAt: NOW });
  });
});

describe('evaluateLimits (§3.2)', () => {
  const messages = (sent: number, s: Partial<LimitSettings> = {}) =>
    evaluateLimits(
      { ...base, dailyMessagesLimit: 10, ...s },
      { todaySeconds: 0, todayMessages: sent, weekSeconds: 0 },
      noCredit,
      'send',
      NOW,
      G,
    )[0];

  it('message limit 10: messages 8–9 approaching, the 10th reached and accepted, the 11th refused', () => {
    expect(messages(6)).toMatchObject({ state: 'ok', refuses: false });
    expect(messages(7)).toMatchObject({ state: 'approaching', used: 8, refuses: false });
    expect(messages(8)).toMatchObject({ state: 'approaching', used: 9 });
    expect(messages(9)).toMatchObject({ state: 'reached', used: 10, refuses: false });
    expect(messages(10)).toMatchObject({ state: 'reached', refuses: true, usedBefore: 10 });
    expect(messages(10, { enforcement: WellbeingEnforcement.Warn })).toMatchObject({ refuses: false });
  });

  it('a time limit refuses only once the minutes already used reach it', () => {
    const daily = (seconds: number, credit: number) =>
      evaluateLimits(
        { ...base, dailyMinutesLimit: 15 },
        { todaySeconds: seconds, todayMessages: 0, weekSeconds: seconds },
        { ...noCredit, credit },
        'send',
        NOW,
        G,
      )[0];
    expect(daily(14 * 60 + 30, 60)).toMatchObject({ state: 'reached', refuses: false });
    expect(daily(15 * 60, 60)).toMatchObject({ refuses: true });
    expect(daily(15 * 60, 60).resetsAt.toISOString()).toBe('2025-06-02T00:00:00.000Z');
  });

  it('quiet hours refuse in block mode until the local end hour', () => {
    const [quiet] = evaluateLimits(
      { ...base, quietHoursEnabled: true, quietHoursStart: 11, quietHoursEnd: 13 },
      { todaySeconds: 0, todayMessages: 0, weekSeconds: 0 },
      noCredit,
      'send',
      NOW,
      G,
    );
    expect(quiet).toMatchObject({ limit: 'quiet_hours', refuses: true, used: '12:00', limitValue: '11:00-13:00' });
    expect(quiet.resetsAt.toISOString()).toBe('2025-06-01T13:00:00.000Z');
  });

  it('session: refuses once the session already used reaches the limit; a new session starts at 0', () => {
    const start = new Date(NOW.getTime() - 30 * 60_000);
    const recent = new Date(NOW.getTime() - 2 * 60_000);
    const crossing = evaluateLimits(
      { ...base, sessionMinutesLimit: 30, sessionStartedAt: start, lastActivityAt: recent },
      { todaySeconds: 0, todayMessages: 0, weekSeconds: 0 },
      { newSession: false, credit: 120, sessionStartedAt: start },
      'send',
      NOW,
      G,
    )[0];
    expect(crossing).toMatchObject({ state: 'reached', refuses: false, used: 30, usedBefore: 28 });
    const fresh = evaluateLimits(
      { ...base, sessionMinutesLimit: 30, sessionStartedAt: start, lastActivityAt: new Date(NOW.getTime() - G) },
      { todaySeconds: 0, todayMessages: 0, weekSeconds: 0 },
      { newSession: true, credit: 60, sessionStartedAt: NOW },
      'send',
      NOW,
      G,
    )[0];
    expect(fresh).toMatchObject({ state: 'ok', refuses: false, used: 0 });
  });

  it('session length resets after the idle gap', () => {
    const start = new Date(NOW.getTime() - 31 * 60_000);
    const recent = new Date(NOW.getTime() - 60_000);
    const [session] = evaluateLimits(
      { ...base, sessionMinutesLimit: 30, sessionStartedAt: start, lastActivityAt: recent },
      { todaySeconds: 0, todayMessages: 0, weekSeconds: 0 },
      { newSession: false, credit: 60, sessionStartedAt: start },
      'send',
      NOW,
      G,
    );
    expect(session).toMatchObject({ state: 'reached', refuses: true, usedBefore: 30, used: 31 });
    expect(session.resetsAt.getTime()).toBe(recent.getTime() + G);
    expect(headerItem(session, 'UTC', { refused: true })).toBe(
      `session_minutes; used=30; limit=30; resets=2025-06-01T12:09:00+00:00`,
    );
  });
});

describe('looseningFields (§2.3 delayed loosening)', () => {
  const current = { ...DEFAULT_SETTINGS, enforcement: WellbeingEnforcement.Block, daily_messages_limit: 10 };
  it('raising or removing a limit, switching to warn, deactivating and raising warn_at loosen', () => {
    expect(looseningFields(current, { ...current, daily_messages_limit: 20 })).toEqual(['daily_messages_limit']);
    expect(looseningFields(current, { ...current, daily_messages_limit: null })).toEqual(['daily_messages_limit']);
    expect(looseningFields(current, { ...current, enforcement: WellbeingEnforcement.Warn })).toEqual(['enforcement']);
    expect(looseningFields(current, { ...current, is_active: false })).toEqual(['is_active']);
    expect(looseningFields(current, { ...current, warn_at_percent: 90 })).toEqual(['warn_at_percent']);
  });
  it('tightening changes nothing pending', () => {
    expect(looseningFields(current, { ...current, daily_messages_limit: 5, daily_minutes_limit: 60 })).toEqual([]);
    expect(looseningFields(current, { ...current, quiet_hours_enabled: true })).toEqual([]);
  });
  it('disabling or narrowing quiet hours loosens (as a group); widening does not', () => {
    const quiet = { ...current, quiet_hours_enabled: true };
    const group = ['quiet_hours_enabled', 'quiet_hours_start', 'quiet_hours_end'];
    expect(looseningFields(quiet, { ...quiet, quiet_hours_enabled: false })).toEqual(group);
    expect(looseningFields(quiet, { ...quiet, quiet_hours_start: 23 })).toEqual(group);
    expect(looseningFields(quiet, { ...quiet, quiet_hours_start: 21, quiet_hours_end: 9 })).toEqual([]);
  });
});
