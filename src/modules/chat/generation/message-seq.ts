import type { EntityManager } from 'typeorm';

/**
 * `UPDATE … SET last_message_seq = last_message_seq + 1 … RETURNING`: the row lock serialises writers of one
 * conversation, so seq is gap-free at insert time and message_count stays exact (chat.md §1.5).
 */
export async function allocateMessageSeq(em: EntityManager, conversationId: string): Promise<number> {
  const out: unknown = await em.query(
    `UPDATE conversations
        SET last_message_seq = last_message_seq + 1, message_count = message_count + 1, last_activity_at = now()
      WHERE id = $1
    RETURNING last_message_seq`,
    [conversationId],
  );
  // node-postgres answers UPDATE … RETURNING with [rows, rowCount]; the embedded driver with the rows
  const rows = (Array.isArray(out) && Array.isArray(out[0]) ? out[0] : out) as {
    last_message_seq: string | number;
  }[];
  return Number(rows[0].last_message_seq);
}
