import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { type CursorValue, decodeCursor, encodeCursor } from './cursor.js';
import { DEFAULT_PAGE_SIZE } from './page-query.dto.js';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface KeysetColumn<E> {
  /** SQL expression of the sort column, e.g. `m.created_at`. */
  expr: string;
  direction: 'ASC' | 'DESC';
  /** The value of this column on a loaded row, as it will be put in the cursor. */
  value: (row: E, raw: Record<string, unknown>) => CursorValue;
  /**
   * For a computed sort key that is not an entity column: the expression is also selected under this alias and
   * `value` reads it from the raw row.
   */
  selectAs?: string;
  /** Cast applied to the cursor parameter, e.g. `timestamptz`. */
  cast?: string;
}

/**
 * Applies keyset pagination to a query builder: ORDER BY the columns (the last must be the unique id), a row-value
 * comparison after the cursor, and LIMIT n+1 to learn whether a next page exists. All columns share one direction so a
 * single (a, b, id) < (x, y, z) comparison can use a composite index.
 */
export async function keysetPage<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  columns: KeysetColumn<E>[],
  query: { limit?: number; cursor?: string },
): Promise<Page<E>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const direction = columns[0].direction;
  if (query.cursor) {
    const values = decodeCursor(query.cursor, columns.length);
    const params: Record<string, CursorValue> = {};
    const placeholders = columns.map((c, i) => {
      params[`cursor_${i}`] = values[i];
      return c.cast ? `CAST(:cursor_${i} AS ${c.cast})` : `:cursor_${i}`;
    });
    const lhs = columns.map((c) => c.expr).join(', ');
    qb.andWhere(`(${lhs}) ${direction === 'DESC' ? '<' : '>'} (${placeholders.join(', ')})`, params);
  }
  columns.forEach((c, i) => {
    if (c.selectAs) qb.addSelect(c.expr, c.selectAs);
    const orderBy = c.selectAs ? `"${c.selectAs}"` : c.expr;
    if (i === 0) qb.orderBy(orderBy, c.direction);
    else qb.addOrderBy(orderBy, c.direction);
  });
  qb.limit(limit + 1);
  let rows: E[];
  let rawById = new Map<unknown, Record<string, unknown>>();
  if (columns.some((c) => c.selectAs)) {
    const { entities, raw } = await qb.getRawAndEntities();
    rows = entities;
    rawById = new Map(raw.map((r: Record<string, unknown>) => [r[`${qb.alias}_id`], r]));
  } else {
    rows = await qb.getMany();
  }
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items,
    next_cursor:
      hasMore && last
        ? encodeCursor(columns.map((c) => c.value(last, rawById.get((last as { id?: unknown }).id) ?? {})))
        : null,
  };
}

export function mapPage<A, B>(page: Page<A>, map: (a: A) => B): Page<B> {
  return { items: page.items.map(map), next_cursor: page.next_cursor };
}
