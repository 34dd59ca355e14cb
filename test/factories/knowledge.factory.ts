import { randomBytes } from 'node:crypto';
import {
  AccessResourceType,
  GrantLevel,
  GrantMethod,
  ResourceVisibility,
} from '../../src/common/access/access.enums.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { BotKnowledgeCollection } from '../../src/modules/knowledge/entities/bot-knowledge-collection.entity.js';
import { KnowledgeCollection } from '../../src/modules/knowledge/entities/knowledge-collection.entity.js';
import { KnowledgeEntry } from '../../src/modules/knowledge/entities/knowledge-entry.entity.js';
import { contentStats } from '../../src/modules/knowledge/entry-fields.js';
import { KnowledgeActivationMode, KnowledgeEmbeddingStatus } from '../../src/modules/knowledge/knowledge.enums.js';
import type { TestApp } from '../setup/test-app.js';

let counter = 0;

/** An in-memory collection; `ownerId` is required to save it. */
export function buildCollection(overrides: Partial<KnowledgeCollection> = {}): KnowledgeCollection {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
  return Object.assign(new KnowledgeCollection(), {
    name: `Tome ${tag}`,
    description: `Lore book ${tag}`,
    visibility: ResourceVisibility.Private,
    ...overrides,
  });
}

export async function createCollection(
  ctx: TestApp,
  overrides: Partial<KnowledgeCollection> & { ownerId: string },
): Promise<KnowledgeCollection> {
  const saved = await ctx.ds.getRepository(KnowledgeCollection).save(buildCollection(overrides));
  return ctx.ds.getRepository(KnowledgeCollection).findOneByOrFail({ id: saved.id });
}

/** An in-memory entry with derived fields filled (keyword mode unless overridden). */
export function buildEntry(overrides: Partial<KnowledgeEntry> & { collectionId: string }): KnowledgeEntry {
  counter += 1;
  const content = overrides.content ?? `Lore text number ${counter}.`;
  const stats = contentStats(content);
  return Object.assign(new KnowledgeEntry(), {
    activationMode: KnowledgeActivationMode.Keyword,
    primaryKeys: [`key${counter}`],
    embeddingStatus: KnowledgeEmbeddingStatus.Skipped,
    tokenCost: stats.tokenCost,
    wordCount: stats.wordCount,
    contentHash: stats.contentHash,
    ...overrides,
    content,
  });
}

/** Saves an entry and bumps the collection's counters as the API would. */
export async function createEntry(
  ctx: TestApp,
  overrides: Partial<KnowledgeEntry> & { collectionId: string },
): Promise<KnowledgeEntry> {
  const entry = buildEntry(overrides);
  const saved = await ctx.ds.getRepository(KnowledgeEntry).save(entry);
  const stats = contentStats(entry.content);
  await ctx.ds.query(
    `UPDATE knowledge_collections SET entry_count = entry_count + 1, total_words = total_words + $2,
       total_chars = total_chars + $3, last_entry_change_at = now() WHERE id = $1`,
    [entry.collectionId, stats.wordCount, stats.chars],
  );
  return ctx.ds.getRepository(KnowledgeEntry).findOneByOrFail({ id: saved.id });
}

/** A grant on a collection, saved directly (bypassing the API's rules). */
export async function createCollectionGrant(
  ctx: TestApp,
  input: { collection: KnowledgeCollection; granteeId: string; level?: GrantLevel; expiresAt?: Date | null },
): Promise<AccessGrant> {
  const repo = ctx.ds.getRepository(AccessGrant);
  return repo.save(
    repo.create({
      resourceType: AccessResourceType.KnowledgeCollection,
      knowledgeCollectionId: input.collection.id,
      granteeId: input.granteeId,
      level: input.level ?? GrantLevel.View,
      grantMethod: GrantMethod.DirectShare,
      grantedById: input.collection.ownerId,
      expiresAt: input.expiresAt ?? null,
    }),
  );
}

/** Links a collection to a bot directly. */
export async function linkCollection(
  ctx: TestApp,
  input: { botId: string; collectionId: string; enabled?: boolean },
): Promise<void> {
  await ctx.ds.getRepository(BotKnowledgeCollection).insert({
    botId: input.botId,
    collectionId: input.collectionId,
    enabled: input.enabled ?? true,
  });
}
