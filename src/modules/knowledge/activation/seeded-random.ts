import { createHash } from 'node:crypto';

/** A source of numbers in [0, 1) for a named draw ("prob-<entry id>", "group-<name>"). Injectable for tests. */
export type RandomSource = (key: string) => number;

/**
 * Deterministic draws seeded by (conversation_id, message_seq, key): regenerating the same reply rolls the same
 * numbers, so the same lore is selected (knowledge.md §4.1 steps 6–7).
 */
export function seededRandom(conversationId: string | null | undefined, messageSeq: number): RandomSource {
  return (key) => {
    const digest = createHash('sha256')
      .update(`${conversationId ?? 'preview'}|${messageSeq}|${key}`)
      .digest();
    return digest.readUInt32BE(0) / 0x1_0000_0000;
  };
}
