import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Memory } from './entities/memory.entity.js';

export const RETRIEVAL_LIMIT = 5;
export const RETRIEVAL_MIN_IMPORTANCE = 3;

export interface RetrievalInput {
  userId: string;
  conversationId: string;
  /** The replying bot. */
  botId: string;
  /** The persona of the newest user message (null = as themselves). */
  personaId: string | null;
  /** Latest user text: ranks candidates by ts_rank. */
  queryText: string;
  /** Memory block budget (api-keys.md §6.3: min(10 % of the prompt budget, 1000)). */
  budgetTokens: number;
}

export interface RetrievedMemory {
  id: string;
  content: string;
  importance: number;
  emotionalContext: string | null;
  tokenCount: number;
}

interface Row {
  id: string;
  content: string;
  importance: number;
  emotional_context: string | null;
  token_count: number;
}

/**
 * Memories for a prompt (chat.md §4 "Retrieval for prompts"). Candidates: the owner's memories, not superseded,
 * importance ≥ 3, from this conversation or linked to the replying bot; with an active persona, memories from other
 * conversations must be linked to that persona or to none. Order: same conversation first, importance, text rank,
 * newest. At most 5, then the lowest-importance ones are dropped until the token budget holds.
 */
@Injectable()
export class MemoryRetrieval {
  async retrieve(em: EntityManager, input: RetrievalInput): Promise<RetrievedMemory[]> {
    const qb = em
      .getRepository(Memory)
      .createQueryBuilder('m')
      .select('m.id', 'id')
      .addSelect('m.content', 'content')
      .addSelect('m.importance', 'importance')
      .addSelect('m.emotional_context', 'emotional_context')
      .addSelect('m.token_count', 'token_count')
      .where('m.user_id = :userId', { userId: input.userId })
      .andWhere('m.superseded_by_id IS NULL')
      .andWhere('m.importance >= :minImportance', { minImportance: RETRIEVAL_MIN_IMPORTANCE })
      .andWhere(
        `(m.conversation_id = :conversationId
          OR EXISTS (SELECT 1 FROM memory_bots mb WHERE mb.memory_id = m.id AND mb.bot_id = :botId))`,
        { conversationId: input.conversationId, botId: input.botId },
      );
    if (input.personaId) {
      qb.andWhere(
        `(m.conversation_id = :conversationId
          OR EXISTS (SELECT 1 FROM memory_personas mp WHERE mp.memory_id = m.id AND mp.persona_id = :personaId)
          OR NOT EXISTS (SELECT 1 FROM memory_personas mp WHERE mp.memory_id = m.id))`,
        { personaId: input.personaId },
      );
    }
    const rows = (await qb
      .orderBy('(m.conversation_id IS NOT DISTINCT FROM :conversationId)', 'DESC')
      .addOrderBy('m.importance', 'DESC')
      .addOrderBy(`ts_rank(m.search_vector, plainto_tsquery('english', :queryText))`, 'DESC')
      .addOrderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .setParameter('queryText', input.queryText.slice(0, 2000))
      .limit(RETRIEVAL_LIMIT)
      .getRawMany()) as Row[];
    const picked: RetrievedMemory[] = rows.map((r) => ({
      id: r.id,
      content: r.content,
      importance: Number(r.importance),
      emotionalContext: r.emotional_context,
      tokenCount: Number(r.token_count),
    }));
    return fitBudget(picked, input.budgetTokens);
  }

  /** use_count + 1 and last_used_at = now() for memories injected into a prompt (updated_at is left alone). */
  async markUsed(em: EntityManager, memoryIds: string[]): Promise<void> {
    if (!memoryIds.length) return;
    await em.query(`UPDATE memories SET use_count = use_count + 1, last_used_at = now() WHERE id = ANY($1::uuid[])`, [
      [...new Set(memoryIds)],
    ]);
  }
}

/** Drops the lowest-importance memory (the later one on ties) until the total fits; keeps the order. */
export function fitBudget<T extends { importance: number; tokenCount: number }>(items: T[], budget: number): T[] {
  const kept = [...items];
  let total = kept.reduce((sum, m) => sum + m.tokenCount, 0);
  while (kept.length && total > Math.max(0, budget)) {
    let drop = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i].importance < kept[drop].importance) drop = i;
    total -= kept[drop].tokenCount;
    kept.splice(drop, 1);
  }
  return kept;
}
