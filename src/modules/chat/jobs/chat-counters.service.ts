import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { BotDeletionHooks } from '../../bots/bot-deletion.hooks.js';

const BATCH = 500;

/**
 * Promotes the earliest-joined active secondary bot to primary in each of the given conversations ($1, or every
 * conversation when $1 is null) that has active bots but no active primary (chat.md §2).
 */
const PROMOTE_PRIMARY_SQL = `
  UPDATE conversation_participants p SET role = 'primary', updated_at = now()
    FROM (SELECT DISTINCT ON (s.conversation_id) s.id
            FROM conversation_participants s
           WHERE s.participant_kind = 'bot' AND s.role = 'secondary' AND s.is_active
             AND ($1::uuid[] IS NULL OR s.conversation_id = ANY($1::uuid[]))
             AND NOT EXISTS (SELECT 1 FROM conversation_participants x
                              WHERE x.conversation_id = s.conversation_id AND x.role = 'primary' AND x.is_active)
           ORDER BY s.conversation_id, s.joined_at, s.id) n
   WHERE p.id = n.id
  RETURNING p.conversation_id`;

/** Rows of `UPDATE … RETURNING` through em.query: node-postgres answers [rows, rowCount]. */
function returned<T>(out: unknown): T[] {
  return (Array.isArray(out) && Array.isArray(out[0]) ? out[0] : out) as T[];
}

/**
 * Conversation counters that other writes can leave behind (chat.md §1.5 "Counters in step"):
 * - at bot deletion (a hook inside the bots transaction): the bot's participant rows go, so participant_count of
 *   every conversation it was active in drops by one and a secondary is promoted where it was primary;
 * - `chat.repair-counters` (nightly): message_count and participant_count recomputed from rows, last_message_seq
 *   raised to max(seq) (never lowered: seqs are not reused), a missing primary promoted; drift is logged.
 */
@Injectable()
export class ChatCountersService implements OnModuleInit {
  private readonly logger = new Logger(ChatCountersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly botDeletion: BotDeletionHooks,
  ) {}

  onModuleInit(): void {
    this.botDeletion.register({ name: 'chat', beforeDelete: (em, botId) => this.beforeBotDelete(em, botId) });
  }

  /**
   * Inside the bot-delete transaction: removes the bot's participant rows itself (the FK cascade would do it without
   * adjusting counters), then, under each conversation's row lock, participant_count − 1 where it was active and a
   * new primary where it was the primary. Messages keep author_name; their bot_id is set null by the FK.
   */
  async beforeBotDelete(em: EntityManager, botId: string): Promise<void> {
    const rows: { conversation_id: string }[] = await em.query(
      `SELECT conversation_id FROM conversation_participants WHERE bot_id = $1 ORDER BY conversation_id`,
      [botId],
    );
    if (!rows.length) return;
    const ids = rows.map((r) => r.conversation_id);
    // lock order as in chat: conversation rows first (sorted, so two deletions cannot deadlock each other)
    await em.query(`SELECT id FROM conversations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    const gone = returned<{ conversation_id: string; was_active: boolean; was_primary: boolean }>(
      await em.query(
        `DELETE FROM conversation_participants WHERE bot_id = $1
         RETURNING conversation_id, is_active AS was_active, (is_active AND role = 'primary') AS was_primary`,
        [botId],
      ),
    );
    const active = gone.filter((g) => g.was_active).map((g) => g.conversation_id);
    if (active.length) {
      await em.query(
        `UPDATE conversations SET participant_count = GREATEST(participant_count - 1, 1)
          WHERE id = ANY($1::uuid[])`,
        [active],
      );
    }
    const primaries = gone.filter((g) => g.was_primary).map((g) => g.conversation_id);
    if (primaries.length) await em.query(PROMOTE_PRIMARY_SQL, [primaries]);
  }

  /**
   * chat.repair-counters: batches of conversations by id, each under FOR UPDATE so that the counts are taken
   * after every concurrent writer of those conversations committed (a plain UPDATE … SET = (SELECT count…) would
   * re-check a row it waited for with its old snapshot and write a stale count). Idempotent.
   */
  async repair(): Promise<{ checked: number; repaired: number; promoted: number }> {
    let after = '00000000-0000-0000-0000-000000000000';
    let checked = 0;
    let repaired = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (em) => {
        const ids = (
          (await em.query(`SELECT id FROM conversations WHERE id > $1 ORDER BY id LIMIT ${BATCH} FOR UPDATE`, [
            after,
          ])) as { id: string }[]
        ).map((r) => r.id);
        if (!ids.length) return { ids, fixed: [] as string[] };
        const fixed = returned<{ id: string }>(
          await em.query(
            `UPDATE conversations c
                SET message_count = s.messages, participant_count = GREATEST(s.participants, 1),
                    last_message_seq = GREATEST(c.last_message_seq, s.max_seq)
               FROM (SELECT c2.id,
                            (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c2.id) AS messages,
                            (SELECT coalesce(max(m.seq), 0) FROM messages m WHERE m.conversation_id = c2.id) AS max_seq,
                            (SELECT count(*)::int FROM conversation_participants p
                              WHERE p.conversation_id = c2.id AND p.is_active) AS participants
                       FROM conversations c2 WHERE c2.id = ANY($1::uuid[])) s
              WHERE c.id = s.id
                AND (c.message_count <> s.messages OR c.participant_count <> GREATEST(s.participants, 1)
                     OR c.last_message_seq < s.max_seq)
             RETURNING c.id`,
            [ids],
          ),
        ).map((r) => r.id);
        return { ids, fixed };
      });
      if (!batch.ids.length) break;
      checked += batch.ids.length;
      repaired += batch.fixed.length;
      if (batch.fixed.length) {
        this.logger.warn({ msg: 'conversation counter drift repaired', conversations: batch.fixed.slice(0, 20) });
      }
      after = batch.ids[batch.ids.length - 1];
      if (batch.ids.length < BATCH) break;
    }
    const promoted = returned<{ conversation_id: string }>(await this.dataSource.query(PROMOTE_PRIMARY_SQL, [null]));
    if (promoted.length) {
      this.logger.warn({
        msg: 'conversations without a primary bot repaired',
        conversations: promoted.slice(0, 20).map((p) => p.conversation_id),
      });
    }
    this.logger.log({ msg: 'chat counters checked', checked, repaired, promoted: promoted.length });
    return { checked, repaired, promoted: promoted.length };
  }
}
