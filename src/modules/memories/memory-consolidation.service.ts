import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Memory } from './entities/memory.entity.js';
import { MemoryOrigin, MemoryType } from './memories.enums.js';
import { cutText, emotionalContext, estimateTokens, MEMORY_CONTENT_MAX, similarGroups } from './memory-text.js';

/** Keyword Jaccard at or above which two short-term memories belong to one group (single link). */
export const CONSOLIDATION_SIMILARITY = 0.35;
export const CONSOLIDATION_MIN_GROUP = 3;
/** Oldest candidates considered per run. */
const CONSOLIDATION_SCAN = 500;

/**
 * The `memory.consolidate` job (chat.md §4 "Consolidation"): the owner's short_term memories that are not yet
 * superseded (optionally only those linked to one bot) are grouped by keyword similarity; each group of ≥ 3 becomes
 * one `consolidated` memory (contents merged oldest first, max importance, union of emotions, bot and persona links)
 * and the sources get `superseded_by_id`. long_term and consolidated memories are never touched. One transaction;
 * the candidates are locked, so a concurrent run finds them superseded.
 */
@Injectable()
export class MemoryConsolidationService {
  private readonly logger = new Logger(MemoryConsolidationService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async consolidate(userId: string, botId: string | null): Promise<number> {
    const created = await this.dataSource.transaction(async (em) => {
      const qb = em
        .getRepository(Memory)
        .createQueryBuilder('m')
        .where('m.user_id = :userId', { userId })
        .andWhere('m.type = :type', { type: MemoryType.ShortTerm })
        .andWhere('m.superseded_by_id IS NULL')
        .orderBy('m.created_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .limit(CONSOLIDATION_SCAN)
        .setLock('pessimistic_write');
      if (botId) {
        qb.andWhere('EXISTS (SELECT 1 FROM memory_bots mb WHERE mb.memory_id = m.id AND mb.bot_id = :botId)', {
          botId,
        });
      }
      const candidates = await qb.getMany();
      const groups = similarGroups(candidates, (m) => m.content, CONSOLIDATION_SIMILARITY, CONSOLIDATION_MIN_GROUP);
      for (const group of groups) await this.merge(em, userId, group);
      return groups.length;
    });
    if (created) this.logger.log({ msg: 'memories consolidated', userId, groups: created });
    return created;
  }

  private async merge(em: EntityManager, userId: string, sources: Memory[]): Promise<void> {
    const ids = sources.map((m) => m.id);
    const contents = [...new Set(sources.map((m) => m.content.trim()))];
    const content = cutText(contents.join(' '), MEMORY_CONTENT_MAX);
    const emotions = sources.flatMap((m) => (m.emotionalContext ?? '').split(',').map((e) => e.trim()));
    const conversations = new Set(sources.map((m) => m.conversationId));
    const sameConversation = conversations.size === 1 ? sources[0].conversationId : null;
    const froms = sources.map((m) => m.sourceFromSeq).filter((s): s is number => s !== null);
    const tos = sources.map((m) => m.sourceToSeq).filter((s): s is number => s !== null);
    const saved = await em.getRepository(Memory).save(
      em.getRepository(Memory).create({
        userId,
        conversationId: sameConversation,
        type: MemoryType.Consolidated,
        origin: MemoryOrigin.Consolidated,
        content,
        importance: Math.max(...sources.map((m) => m.importance)),
        emotionalContext: emotionalContext([...new Set(emotions.filter(Boolean))]),
        tokenCount: estimateTokens(content),
        sourceFromSeq: sameConversation && froms.length ? Math.min(...froms) : null,
        sourceToSeq: sameConversation && tos.length ? Math.max(...tos) : null,
      }),
    );
    await em.query(
      `INSERT INTO memory_bots (memory_id, bot_id)
       SELECT DISTINCT $1::uuid, bot_id FROM memory_bots WHERE memory_id = ANY($2::uuid[])`,
      [saved.id, ids],
    );
    await em.query(
      `INSERT INTO memory_personas (memory_id, persona_id)
       SELECT DISTINCT $1::uuid, persona_id FROM memory_personas WHERE memory_id = ANY($2::uuid[])`,
      [saved.id, ids],
    );
    await em
      .getRepository(Memory)
      .createQueryBuilder()
      .update()
      .set({ supersededById: saved.id })
      .where('id IN (:...ids)', { ids })
      .execute();
  }
}
