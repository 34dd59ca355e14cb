import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { ResourceVisibility } from '../../common/access/access.enums.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError } from '../../common/errors/app-error.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { BotKnowledgeCollection } from './entities/bot-knowledge-collection.entity.js';
import { KnowledgeCollection } from './entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from './entities/knowledge-entry.entity.js';
import { contentStats, usesVectors } from './entry-fields.js';
import { KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { asShareable, MAX_COLLECTIONS_PER_USER } from './knowledge-collections.service.js';
import {
  KnowledgeCategory,
  KnowledgeEmbeddingStatus,
  KnowledgeEntryVisibility,
  KnowledgeOrigin,
} from './knowledge.enums.js';
import {
  type ExportResult,
  exportWorldbook,
  type ImportedEntry,
  type ImportResult,
  importWorldbook,
} from './worldbook/worldbook.mapper.js';

export type { ExportResult as CardLoreExport, ImportResult as CardLoreParse };

/** Embedding work to enqueue after the caller's transaction commits. */
export interface CardLoreEmbedRequest {
  id: string;
  hash: string;
}

/**
 * Lore carried inside character cards (interop.md §2 `character_book`), for the card import/export in the bots module.
 * The card's book is converted to the world-book shape by the caller; this service reuses the world-book mapping
 * (knowledge.md §5) and writes inside the caller's transaction, so a failed card import creates nothing.
 */
@Injectable()
export class CardLoreService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly policy: KnowledgeCollectionPolicy,
    private readonly jobs: JobQueue,
  ) {}

  /** Validates and maps a world-book-shaped book (pure; `errors` name `worldbook.entries.<i>.<key>`). */
  parse(book: unknown): ImportResult {
    return importWorldbook(book);
  }

  /** Creates a private lore collection owned by the actor with the entries, linked to the bot (in `em`'s transaction). */
  async createForBot(
    em: EntityManager,
    actor: Actor,
    botId: string,
    book: { name: string; description: string | null },
    entries: ImportedEntry[],
  ): Promise<{ collectionId: string; embed: CardLoreEmbedRequest[] }> {
    const count = await em.getRepository(KnowledgeCollection).countBy({ ownerId: actor.id });
    if (count >= MAX_COLLECTIONS_PER_USER) {
      throw new ConflictError('COLLECTION_LIMIT', `At most ${MAX_COLLECTIONS_PER_USER} collections per user.`);
    }
    const collections = em.getRepository(KnowledgeCollection);
    const collection = await collections.save(
      collections.create({
        ownerId: actor.id,
        name: book.name.trim().slice(0, 200) || 'Imported lore',
        description: book.description?.slice(0, 2000) || null,
        category: KnowledgeCategory.Lore,
        visibility: ResourceVisibility.Private,
      }),
    );
    const repo = em.getRepository(KnowledgeEntry);
    const embed: CardLoreEmbedRequest[] = [];
    let words = 0;
    let chars = 0;
    for (const item of entries) {
      const stats = contentStats(item.content);
      words += stats.wordCount;
      chars += stats.chars;
      const saved = await repo.save(
        repo.create({
          ...item,
          collectionId: collection.id,
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
        }),
      );
      if (saved.embeddingStatus === KnowledgeEmbeddingStatus.Pending)
        embed.push({ id: saved.id, hash: stats.contentHash });
    }
    await em.query(
      `UPDATE knowledge_collections SET entry_count = $2, total_words = $3, total_chars = $4, last_entry_change_at = now()
        WHERE id = $1`,
      [collection.id, entries.length, words, chars],
    );
    await em.getRepository(BotKnowledgeCollection).insert({
      botId,
      collectionId: collection.id,
      enabled: true,
      linkedById: actor.id,
    });
    return { collectionId: collection.id, embed };
  }

  /** Enqueues embedding jobs (call after commit). */
  async enqueueEmbeddings(requests: CardLoreEmbedRequest[]): Promise<void> {
    for (const e of requests) {
      await this.jobs.enqueue(
        'knowledge.embed',
        { entry_id: e.id, content_hash: e.hash },
        { jobId: `embed-${e.id}-${e.hash}` },
      );
    }
  }

  /**
   * The bot's enabled linked lore the caller can read, as one world book (interop.md §3 export): collections the
   * caller can read, `editors_only` entries only for that collection's editors. Null when nothing is readable.
   */
  async exportForBot(actor: Actor | undefined, botId: string): Promise<ExportResult | null> {
    const links = await this.dataSource.getRepository(BotKnowledgeCollection).find({
      where: { botId, enabled: true },
      relations: { collection: true },
      order: { createdAt: 'ASC' },
    });
    const collections = links.map((l) => l.collection).filter((c): c is KnowledgeCollection => !!c);
    if (!collections.length) return null;
    const levels = await this.access.levelsFor(actor, collections.map(asShareable));
    const readable = collections.filter((c) => this.policy.can(actor, 'read', c, levels.get(c.id) ?? null));
    if (!readable.length) return null;
    const withHidden = new Set(
      readable
        .filter((c) => this.policy.can(actor, 'read_hidden_entries', c, levels.get(c.id) ?? null))
        .map((c) => c.id),
    );
    const rows = await this.dataSource.getRepository(KnowledgeEntry).find({
      where: { collectionId: In(readable.map((c) => c.id)) },
      relations: { botFilters: true, personaFilters: true },
      order: { insertionOrder: 'DESC', id: 'ASC' },
    });
    const order = new Map(readable.map((c, i) => [c.id, i]));
    const entries = rows
      .filter((e) => e.visibility === KnowledgeEntryVisibility.Inherit || withHidden.has(e.collectionId))
      .sort((a, b) => order.get(a.collectionId)! - order.get(b.collectionId)!);
    return exportWorldbook({ name: readable[0].name, description: readable[0].description }, entries);
  }
}
