import { AnalyticsEventType } from '../entities/analytics.enums.js';

/** A rollup row (or mood trend) that an event touched and that must be recomputed (analytics.md §3.2). */
export type RollupTarget =
  | { kind: 'user-day'; userId: string; day: string }
  | { kind: 'bot-day'; botId: string; day: string }
  | { kind: 'persona-day'; personaId: string; day: string }
  | { kind: 'memory-day'; userId: string; botId: string; day: string }
  | { kind: 'platform-day'; day: string }
  | { kind: 'mood-trend'; userId: string };

/** The dimension columns of one event, as stored. */
export interface EventDimensions {
  eventType: AnalyticsEventType | `${AnalyticsEventType}`;
  day: string;
  actorUserId: string | null;
  botId: string | null;
  personaId: string | null;
}

const MEMORY_EVENTS = new Set<string>([AnalyticsEventType.MemoryCreated, AnalyticsEventType.MemoryRecalled]);
const MOOD_EVENTS = new Set<string>([
  AnalyticsEventType.MoodLogged,
  AnalyticsEventType.MoodUpdated,
  AnalyticsEventType.MoodDeleted,
]);

/** Which rollups an event feeds (the trigger column of analytics.md §3.2). */
export function rollupTargetsOf(event: EventDimensions): RollupTarget[] {
  const { day, actorUserId: userId, botId, personaId } = event;
  const targets: RollupTarget[] = [{ kind: 'platform-day', day }];
  if (userId) targets.push({ kind: 'user-day', userId, day });
  if (botId) targets.push({ kind: 'bot-day', botId, day });
  if (personaId) targets.push({ kind: 'persona-day', personaId, day });
  if (userId && botId && MEMORY_EVENTS.has(event.eventType)) targets.push({ kind: 'memory-day', userId, botId, day });
  if (userId && MOOD_EVENTS.has(event.eventType)) targets.push({ kind: 'mood-trend', userId });
  return targets;
}

/** A stable identity of a target, to de-duplicate targets collected over one transaction. */
export function targetKey(t: RollupTarget): string {
  switch (t.kind) {
    case 'user-day':
      return `ud-${t.userId}-${t.day}`;
    case 'bot-day':
      return `bd-${t.botId}-${t.day}`;
    case 'persona-day':
      return `pd-${t.personaId}-${t.day}`;
    case 'memory-day':
      return `md-${t.userId}-${t.botId}-${t.day}`;
    case 'platform-day':
      return `plat-${t.day}`;
    case 'mood-trend':
      return `mt-${t.userId}`;
  }
}
