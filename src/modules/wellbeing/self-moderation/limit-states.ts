import type { WellbeingLimitName } from './dto/wellbeing-notice.dto.js';
import { WellbeingEnforcement } from './entities/self-moderation.enums.js';
import {
  formatLocal,
  inQuietHours,
  localHourMinute,
  nextLocalMidnight,
  nextLocalMonday,
  quietHoursEnd,
} from './usage-time.js';

/**
 * Pure limit evaluation (wellbeing.md §3.1–§3.2): how an activity is credited, and the state of every configured
 * limit before and including the current request.
 */

export type GateAction = 'send' | 'regenerate' | 'heartbeat';

export interface LimitSettings {
  timezone: string;
  enforcement: WellbeingEnforcement;
  warnAtPercent: number;
  dailyMinutesLimit: number | null;
  weeklyMinutesLimit: number | null;
  dailyMessagesLimit: number | null;
  sessionMinutesLimit: number | null;
  quietHoursEnabled: boolean;
  quietHoursStart: number;
  quietHoursEnd: number;
  sessionStartedAt: Date | null;
  lastActivityAt: Date | null;
}

export interface UsageBefore {
  /** Today's (local day of now) counters before this request. */
  todaySeconds: number;
  todayMessages: number;
  /** The ISO week's active seconds before this request (today included). */
  weekSeconds: number;
}

export interface Activity {
  newSession: boolean;
  /** Seconds credited to the usage day of now. */
  credit: number;
  sessionStartedAt: Date;
}

/** §3.1: a gap ≥ G (or no previous activity) starts a session credited 60 s; otherwise the gap itself is credited. */
export function creditActivity(lastActivityAt: Date | null, sessionStartedAt: Date | null, now: Date, gapMs: number) {
  const gap = lastActivityAt ? now.getTime() - lastActivityAt.getTime() : Infinity;
  if (gap >= gapMs || !sessionStartedAt) {
    return { newSession: true, credit: 60, sessionStartedAt: now } satisfies Activity;
  }
  return {
    newSession: false,
    credit: Math.max(0, Math.floor(gap / 1000)),
    sessionStartedAt,
  } satisfies Activity;
}

export interface LimitState {
  limit: WellbeingLimitName;
  state: 'ok' | 'approaching' | 'reached';
  /** Minutes or messages including this request (quiet hours: local "HH:MM"). */
  used: number | string;
  /** Minutes or messages already used before this request (what a refusal reports). */
  usedBefore: number | string;
  limitValue: number | string;
  unit: 'minutes' | 'messages' | 'hours';
  resetsAt: Date;
  /** Block mode refuses this request because of this limit. */
  refuses: boolean;
}

/**
 * The state of each configured limit, in the spec's table order. A time limit refuses only once the minutes already
 * used reach it (the request that crosses it goes through); the message limit refuses once the messages already sent
 * reach it (the 10th of 10 is accepted and reports `reached`). Quiet hours refuse inside [start, end).
 */
export function evaluateLimits(
  s: LimitSettings,
  usage: UsageBefore,
  activity: Activity,
  action: GateAction,
  now: Date,
  gapMs: number,
): LimitState[] {
  const block = s.enforcement === WellbeingEnforcement.Block;
  const tz = s.timezone;
  const out: LimitState[] = [];
  const stateOf = (used: number, limit: number): LimitState['state'] =>
    used >= limit ? 'reached' : used * 100 >= s.warnAtPercent * limit ? 'approaching' : 'ok';

  if (s.quietHoursEnabled && inQuietHours(now, tz, s.quietHoursStart, s.quietHoursEnd)) {
    const hm = localHourMinute(now, tz);
    out.push({
      limit: 'quiet_hours',
      state: 'reached',
      used: hm,
      usedBefore: hm,
      limitValue: quietRange(s.quietHoursStart, s.quietHoursEnd),
      unit: 'hours',
      resetsAt: quietHoursEnd(now, tz, s.quietHoursEnd),
      refuses: block,
    });
  }
  if (s.sessionMinutesLimit !== null) {
    // Continuing session: already used = L − start (this request credits t − L on top); a new session starts at 0.
    const continuing = !activity.newSession && s.lastActivityAt !== null && s.sessionStartedAt !== null;
    const beforeSeconds = continuing
      ? Math.floor((s.lastActivityAt!.getTime() - s.sessionStartedAt!.getTime()) / 1000)
      : 0;
    const afterSeconds = continuing ? Math.floor((now.getTime() - s.sessionStartedAt!.getTime()) / 1000) : 0;
    const refuses = block && beforeSeconds >= s.sessionMinutesLimit * 60;
    const last = refuses ? s.lastActivityAt! : now;
    out.push({
      limit: 'session_minutes',
      state: stateOf(afterSeconds, s.sessionMinutesLimit * 60),
      used: Math.floor(afterSeconds / 60),
      usedBefore: Math.floor(beforeSeconds / 60),
      limitValue: s.sessionMinutesLimit,
      unit: 'minutes',
      resetsAt: new Date(last.getTime() + gapMs),
      refuses,
    });
  }
  /** A time limit: compared in seconds, reported in whole minutes; refuses once the seconds before reach it. */
  const minutes = (limit: WellbeingLimitName, before: number, limitMinutes: number, resetsAt: Date): LimitState => ({
    limit,
    state: stateOf(before + activity.credit, limitMinutes * 60),
    used: Math.floor((before + activity.credit) / 60),
    usedBefore: Math.floor(before / 60),
    limitValue: limitMinutes,
    unit: 'minutes',
    resetsAt,
    refuses: block && before >= limitMinutes * 60,
  });
  if (s.dailyMinutesLimit !== null) {
    out.push(minutes('daily_minutes', usage.todaySeconds, s.dailyMinutesLimit, nextLocalMidnight(now, tz)));
  }
  if (s.dailyMessagesLimit !== null) {
    const after = usage.todayMessages + (action === 'send' ? 1 : 0);
    out.push({
      limit: 'daily_messages',
      state: stateOf(after, s.dailyMessagesLimit),
      used: after,
      usedBefore: usage.todayMessages,
      limitValue: s.dailyMessagesLimit,
      unit: 'messages',
      resetsAt: nextLocalMidnight(now, tz),
      refuses: block && usage.todayMessages >= s.dailyMessagesLimit,
    });
  }
  if (s.weeklyMinutesLimit !== null) {
    out.push(minutes('weekly_minutes', usage.weekSeconds, s.weeklyMinutesLimit, nextLocalMonday(now, tz)));
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Quiet hours as "22:00-08:00". */
export const quietRange = (start: number, end: number) => `${pad(start)}:00-${pad(end)}:00`;

/** `X-Wellbeing-Warning` / `X-Wellbeing-Limit` item: `daily_minutes; state=approaching; used=50; limit=60; resets=…`. */
export function headerItem(l: LimitState, tz: string, opts: { refused: boolean }): string {
  const used = opts.refused ? l.usedBefore : l.used;
  const state = opts.refused ? '' : `; state=${l.state}`;
  return `${l.limit}${state}; used=${used}; limit=${l.limitValue}; resets=${formatLocal(l.resetsAt, tz)}`;
}
