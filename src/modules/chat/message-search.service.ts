import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor.js';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/page-query.dto.js';
import type { AuthorKind, MessageType } from './chat.enums.js';
import type { MessageSearchPageDto } from './dto/chat-response.dto.js';
import type { SearchMessagesDto } from './dto/message.dto.js';

/** sort=relevance pages by offset, capped here (chat.md §5). */
const RELEVANCE_CAP = 200;

/** HTML-escape in SQL before ts_headline, so only the <mark> markers are markup. */
const ESCAPED_CONTENT = `replace(replace(replace(replace(replace(m.content, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

interface HitRow {
  id: string;
  conversation_id: string;
  title: string | null;
  seq: string | number;
  author_kind: AuthorKind;
  author_name: string;
  bot_id: string | null;
  message_type: MessageType;
  created_at: Date | string;
  rank: string | number;
  snippet: string;
}

/** Full-text search over the messages of conversations the caller takes part in (chat.md §5). */
@Injectable()
export class MessageSearchService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(actor: Actor, query: SearchMessagesDto): Promise<MessageSearchPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const relevance = query.sort === 'relevance';
    let offset = 0;
    let after: [string, string] | null = null;
    if (query.cursor) {
      if (relevance) {
        const [o] = decodeCursor(query.cursor, 1);
        if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || o > RELEVANCE_CAP) decodeCursor('!', 1);
        offset = o as number;
      } else {
        const [at, id] = decodeCursor(query.cursor, 2);
        if (typeof at !== 'string' || typeof id !== 'string' || isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) {
          decodeCursor('!', 2);
        }
        after = [at as string, id as string];
      }
    }
    const [probe] = await this.dataSource.query<{ n: number }[]>(
      `SELECT numnode(websearch_to_tsquery('english', $1)) AS n`,
      [query.q],
    );
    if (!probe || Number(probe.n) === 0) return { items: [], next_cursor: null };

    const params: unknown[] = [query.q, actor.id];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [
      `m.search_vector @@ websearch_to_tsquery('english', $1)`,
      `(m.generation_status IS NULL OR m.generation_status NOT IN ('queued', 'streaming'))`,
    ];
    if (query.conversation_id) where.push(`m.conversation_id = ${p(query.conversation_id)}`);
    if (query.bot_id) where.push(`m.bot_id = ${p(query.bot_id)}`);
    if (query.message_type) where.push(`m.message_type = ${p(query.message_type)}`);
    if (query.author_kind) where.push(`m.author_kind = ${p(query.author_kind)}`);
    if (query.from) where.push(`m.created_at >= ${p(query.from)}::timestamptz`);
    if (query.to) where.push(`m.created_at < ${p(query.to)}::timestamptz`);
    let take = limit;
    if (relevance) {
      take = Math.max(0, Math.min(limit, RELEVANCE_CAP - offset));
      if (take === 0) return { items: [], next_cursor: null };
    } else if (after) {
      where.push(`(m.created_at, m.id) < (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
    }
    const order = relevance ? 'rank DESC, m.id ASC' : 'm.created_at DESC, m.id DESC';
    const sql = `
      SELECT m.id, m.conversation_id, c.title, m.seq, m.author_kind, m.author_name, m.bot_id, m.message_type,
             m.created_at,
             ts_rank_cd(m.search_vector, websearch_to_tsquery('english', $1)) AS rank,
             ts_headline('english', ${ESCAPED_CONTENT}, websearch_to_tsquery('english', $1),
                         'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10') AS snippet
        FROM messages m
        JOIN conversation_participants cp
          ON cp.conversation_id = m.conversation_id AND cp.user_id = $2 AND cp.is_active
        JOIN conversations c ON c.id = m.conversation_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${order}
       LIMIT ${take + 1}${relevance ? ` OFFSET ${offset}` : ''}`;
    const rows = await this.dataSource.query<HitRow[]>(sql, params);
    const hasMore = rows.length > take;
    const items = (hasMore ? rows.slice(0, take) : rows).map((r) => ({
      message_id: r.id,
      conversation_id: r.conversation_id,
      conversation_title: r.title,
      seq: Number(r.seq),
      author_kind: r.author_kind,
      author_name: r.author_name,
      bot_id: r.bot_id,
      message_type: r.message_type,
      created_at: new Date(r.created_at).toISOString(),
      rank: Number(r.rank),
      snippet: r.snippet,
    }));
    let next: string | null = null;
    if (hasMore && items.length) {
      if (relevance) {
        if (offset + items.length < RELEVANCE_CAP) next = encodeCursor([offset + items.length]);
      } else {
        const last = items[items.length - 1];
        next = encodeCursor([last.created_at, last.message_id]);
      }
    }
    return { items, next_cursor: next };
  }
}
