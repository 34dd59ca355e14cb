import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../../common/auth/actor.js';
import { UnprocessableError } from '../../../common/errors/app-error.js';
import { ResourceVisibility } from '../../../common/access/access.enums.js';
import { toCollectionResponse } from '../dto/collection-response.dto.js';
import type { ImportWorldbookDto, WorldbookExportDto, WorldbookImportResultDto } from '../dto/worldbook.dto.js';
import { KnowledgeCollection } from '../entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import { contentStats, usesVectors } from '../entry-fields.js';
import { KnowledgeCollectionPolicy } from '../knowledge-collection.policy.js';
import { KnowledgeCollectionsService } from '../knowledge-collections.service.js';
import {
  KnowledgeCategory,
  KnowledgeEmbeddingStatus,
  KnowledgeEntryVisibility,
  KnowledgeOrigin,
} from '../knowledge.enums.js';
import { JobQueue } from '../../../common/queue/job-queue.js';
import { exportWorldbook, importWorldbook } from './worldbook.mapper.js';

/** World book import/export (knowledge.md §5). */
@Injectable()
export class WorldbookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly collections: KnowledgeCollectionsService,
    private readonly policy: KnowledgeCollectionPolicy,
    private readonly jobs: JobQueue,
  ) {}

  async import(actor: Actor, dto: ImportWorldbookDto): Promise<WorldbookImportResultDto> {
    const parsed = importWorldbook(dto.worldbook);
    if (parsed.errors.length) {
      throw new UnprocessableError(
        'INVALID_WORLDBOOK',
        'The world book has invalid fields.',
        parsed.errors.slice(0, 100),
      );
    }
    const created = await this.collections.create(actor, {
      name: dto.name ?? parsed.name ?? 'Imported world book',
      description: parsed.description,
      category: KnowledgeCategory.Lore,
      visibility: ResourceVisibility.Private,
    });
    const embed: { id: string; hash: string }[] = [];
    await this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(KnowledgeEntry);
      let words = 0;
      let chars = 0;
      for (const item of parsed.entries) {
        const stats = contentStats(item.content);
        words += stats.wordCount;
        chars += stats.chars;
        const entry = repo.create({
          ...item,
          collectionId: created.id,
          authorId: actor.id,
          origin: KnowledgeOrigin.Imported,
          visibility: item.visibility ?? KnowledgeEntryVisibility.Inherit,
          tokenCost: stats.tokenCost,
          wordCount: stats.wordCount,
          contentHash: stats.contentHash,
          embeddingStatus:
            item.activationMode && usesVectors(item.activationMode)
              ? KnowledgeEmbeddingStatus.Pending
              : KnowledgeEmbeddingStatus.Skipped,
        });
        const saved = await repo.save(entry);
        if (saved.embeddingStatus === KnowledgeEmbeddingStatus.Pending)
          embed.push({ id: saved.id, hash: stats.contentHash });
      }
      await em.query(
        `UPDATE knowledge_collections SET entry_count = $2, total_words = $3, total_chars = $4, last_entry_change_at = now()
          WHERE id = $1`,
        [created.id, parsed.entries.length, words, chars],
      );
    });
    for (const e of embed) {
      await this.jobs.enqueue(
        'knowledge.embed',
        { entry_id: e.id, content_hash: e.hash },
        { jobId: `embed-${e.id}-${e.hash}` },
      );
    }
    const collection = await this.dataSource
      .getRepository(KnowledgeCollection)
      .findOneOrFail({ where: { id: created.id }, relations: { owner: true } });
    return {
      collection: toCollectionResponse(collection, actor, 'owner'),
      imported: parsed.entries.length,
      skipped: parsed.skipped,
      warnings: parsed.warnings,
    };
  }

  async export(actor: Actor | undefined, id: string): Promise<WorldbookExportDto> {
    const { collection, level } = await this.collections.load(actor, id);
    this.policy.assert(actor, 'export', collection, level);
    const includeHidden = this.policy.can(actor, 'read_hidden_entries', collection, level);
    const entries = await this.dataSource.getRepository(KnowledgeEntry).find({
      where: { collectionId: id, ...(includeHidden ? {} : { visibility: KnowledgeEntryVisibility.Inherit }) },
      relations: { botFilters: true, personaFilters: true },
      order: { insertionOrder: 'DESC', id: 'ASC' },
    });
    return exportWorldbook(collection, entries);
  }
}
