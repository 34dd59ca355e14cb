import type { EntityManager } from 'typeorm';
import { AnalyticsEventType } from '../analytics/entities/analytics.enums.js';
import type { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';

/** `memory_created`, one event per linked bot, inside the transaction that created the memory (analytics.md §1). */
export async function recordMemoryCreated(
  analytics: AnalyticsRecorder,
  em: EntityManager,
  memory: { id: string; userId: string; conversationId: string | null },
  botIds: string[],
): Promise<void> {
  for (const botId of botIds) {
    await analytics.record(em, {
      type: AnalyticsEventType.MemoryCreated,
      idempotencyKey: `mem_new:${memory.id}:${botId}`,
      actorUserId: memory.userId,
      memoryId: memory.id,
      botId,
      conversationId: memory.conversationId,
    });
  }
}
