import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { KnowledgeEmbeddingStatus } from '../knowledge.enums.js';

export interface EmbedResult {
  status: KnowledgeEmbeddingStatus.Ready | KnowledgeEmbeddingStatus.Skipped;
  chunkCount: number;
}

/**
 * Where "vector" similarity comes from (knowledge.md §2.4). The default is PostgreSQL full-text search; a real
 * embedding backend (pgvector, an external service) can replace it behind this interface without table changes.
 */
export abstract class EmbeddingBackend {
  /** Precomputes whatever the backend needs for one entry (chunks, vectors). */
  abstract embed(entry: { id: string; content: string; title: string | null }): Promise<EmbedResult>;
  /** Best similarity (0–1) per entry among `entryIds` for `query`, top `topK` only. */
  abstract search(query: string, entryIds: string[], topK: number, em?: EntityManager): Promise<Map<string, number>>;
}

/** Default backend: `ts_rank_cd(search_vector, plainto_tsquery('simple', q), 32)`, already in 0–1. */
@Injectable()
export class PostgresFullTextBackend extends EmbeddingBackend {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async embed(): Promise<EmbedResult> {
    return { status: KnowledgeEmbeddingStatus.Skipped, chunkCount: 0 };
  }

  async search(query: string, entryIds: string[], topK: number, em?: EntityManager): Promise<Map<string, number>> {
    if (!query.trim() || !entryIds.length || topK < 1) return new Map();
    const rows: { id: string; similarity: number }[] = await (em ?? this.dataSource.manager).query(
      `SELECT id, ts_rank_cd(search_vector, q, 32)::float8 AS similarity
         FROM knowledge_entries, plainto_tsquery('simple', $1) q
        WHERE id = ANY($2::uuid[]) AND search_vector @@ q
        ORDER BY similarity DESC, id
        LIMIT $3`,
      [query, entryIds, topK],
    );
    return new Map(rows.map((r) => [r.id, Number(r.similarity)]));
  }
}
