import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { canEdit, canUse } from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, NotFoundError } from '../../common/errors/app-error.js';
import { Conversation } from '../chat/entities/conversation.entity.js';
import { Persona } from '../personas/entities/persona.entity.js';
import type { ActivationHit, ExcludedHit } from './activation/activation-engine.js';
import { KnowledgeActivationService } from './activation/knowledge-activation.service.js';
import { toCollectionResponse } from './dto/collection-response.dto.js';
import type { ActivationPreviewDto } from './dto/entry.dto.js';
import type {
  ActivationLogDto,
  ActivationPreviewResponseDto,
  LinkListDto,
  LinkResponseDto,
  PreviewEntryDto,
} from './dto/link.dto.js';
import { BotKnowledgeCollection } from './entities/bot-knowledge-collection.entity.js';
import { KnowledgeActivationLog } from './entities/knowledge-activation-log.entity.js';
import { KnowledgeCollection } from './entities/knowledge-collection.entity.js';
import { KnowledgeBotsGateway } from './knowledge-bots.gateway.js';
import { KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { asShareable, KnowledgeCollectionsService } from './knowledge-collections.service.js';
import { KnowledgeEntryVisibility, KnowledgePosition } from './knowledge.enums.js';

export const MAX_LINKS_PER_BOT = 20;

/** Bot ↔ collection links (knowledge.md §3.1), the activation preview and the activation log (§4.2–4.3). */
@Injectable()
export class KnowledgeLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly bots: KnowledgeBotsGateway,
    private readonly collections: KnowledgeCollectionsService,
    private readonly policy: KnowledgeCollectionPolicy,
    private readonly activation: KnowledgeActivationService,
  ) {}

  /** GET /bots/{id}/knowledge-collections: readers see the collections they can read plus a count of the others. */
  async list(actor: Actor | undefined, botId: string): Promise<LinkListDto> {
    const { bot, level: botLevel } = await this.bots.load(actor, botId);
    const links = await this.dataSource.getRepository(BotKnowledgeCollection).find({
      where: { botId },
      relations: { collection: { owner: true } },
      order: { createdAt: 'ASC' },
    });
    const collections = links.map((l) => asShareable(l.collection!));
    const mine = await this.access.levelsFor(actor, collections);
    const editor = canEdit(botLevel);
    const ownerLevels = editor
      ? await this.access.levelsFor(await this.bots.ownerActor(bot.ownerId), collections)
      : new Map();
    const items: LinkResponseDto[] = [];
    for (const l of links) {
      const level = mine.get(l.collectionId) ?? null;
      if (level === null) continue;
      items.push({
        collection_id: l.collectionId,
        collection: toCollectionResponse(l.collection!, actor, level),
        enabled: l.enabled,
        ...(editor ? { active: l.enabled && canUse(ownerLevels.get(l.collectionId) ?? null) } : {}),
        created_at: l.createdAt,
      });
    }
    return { items, other_count: links.length - items.length };
  }

  /** PUT: link (201) or update `enabled` (200). */
  async upsert(
    actor: Actor,
    botId: string,
    collectionId: string,
    enabled: boolean | undefined,
  ): Promise<{ link: LinkResponseDto; created: boolean }> {
    const created = await this.dataSource.transaction(async (em) => {
      const { bot } = await this.bots.loadForEdit(actor, botId, em);
      await em.query(`SELECT 1 FROM bots WHERE id = $1 FOR UPDATE`, [bot.id]);
      const repo = em.getRepository(BotKnowledgeCollection);
      const existing = await repo.findOneBy({ botId, collectionId });
      if (existing) {
        if (enabled !== undefined && enabled !== existing.enabled)
          await repo.update({ botId, collectionId }, { enabled });
        return false;
      }
      const { collection, level } = await this.collections.load(actor, collectionId, em);
      this.policy.assert(actor, 'link', collection, level);
      const ownerLevel = await this.access.levelFor(
        await this.bots.ownerActor(bot.ownerId, em),
        asShareable(collection),
        em,
      );
      if (!canUse(ownerLevel)) {
        throw new ConflictError(
          'OWNER_CANNOT_READ_COLLECTION',
          "The bot's owner cannot read this collection, so its lore would never activate.",
        );
      }
      const count = await repo.countBy({ botId });
      if (count >= MAX_LINKS_PER_BOT) {
        throw new ConflictError('LINK_LIMIT', `A bot links at most ${MAX_LINKS_PER_BOT} collections.`);
      }
      await repo.insert({ botId, collectionId, enabled: enabled ?? true, linkedById: actor.id });
      return true;
    });
    const link = await this.dataSource.getRepository(BotKnowledgeCollection).findOneOrFail({
      where: { botId, collectionId },
      relations: { collection: { owner: true } },
    });
    const level = await this.access.levelFor(actor, asShareable(link.collection!));
    const ownerLevel = await this.access.levelFor(
      await this.bots.ownerActor((await this.bots.load(actor, botId)).bot.ownerId),
      asShareable(link.collection!),
    );
    return {
      created,
      link: {
        collection_id: collectionId,
        collection: toCollectionResponse(link.collection!, actor, level),
        enabled: link.enabled,
        active: link.enabled && canUse(ownerLevel),
        created_at: link.createdAt,
      },
    };
  }

  async remove(actor: Actor, botId: string, collectionId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.bots.loadForEdit(actor, botId, em);
      const result = await em.getRepository(BotKnowledgeCollection).delete({ botId, collectionId });
      if (!result.affected) throw new NotFoundError('KNOWLEDGE_LINK_NOT_FOUND');
    });
  }

  /** POST /bots/{id}/knowledge-activation/preview: a dry run; entries the caller cannot read come back as {hidden:true}. */
  async preview(actor: Actor, botId: string, dto: ActivationPreviewDto): Promise<ActivationPreviewResponseDto> {
    const { bot } = await this.bots.loadForEdit(actor, botId);
    if (dto.persona_id) {
      const own = await ownPersona(this.dataSource, actor.id, dto.persona_id);
      if (!own) throw new NotFoundError('PERSONA_NOT_FOUND');
    }
    const messageSeq = dto.message_seq ?? dto.messages.length + 1;
    const result = await this.activation.activate({
      bot_id: bot.id,
      persona_id: dto.persona_id ?? null,
      message_seq: messageSeq,
      messages: dto.messages,
      budget_tokens: dto.budget_tokens,
      dry_run: true,
    });

    const collectionIds = [
      ...new Set([...result.candidateCollections.values(), ...result.links.map((l) => l.collection_id)]),
    ];
    const collections = collectionIds.length
      ? await this.dataSource.getRepository(KnowledgeCollection).findBy({ id: In(collectionIds) })
      : [];
    const levels = await this.access.levelsFor(actor, collections.map(asShareable));
    const byId = new Map(collections.map((c) => [c.id, c]));
    const readable = (hit: ActivationHit | ExcludedHit) => {
      const c = byId.get(hit.entry.collectionId);
      if (!c) return false;
      const visibility = hit.entry.visibility ?? KnowledgeEntryVisibility.Inherit;
      return this.policy.canReadEntry(actor, { visibility }, c, levels.get(c.id) ?? null);
    };
    const names = { char: bot.name, user: actor.username };
    const render = (hit: ActivationHit | ExcludedHit, reason?: string): PreviewEntryDto => {
      if (!readable(hit)) return reason ? { hidden: true, reason } : { hidden: true };
      const content = 'content' in hit ? hit.content : hit.entry.content;
      return {
        entry_id: hit.entry.id,
        collection_id: hit.entry.collectionId,
        title: hit.entry.title,
        position: hit.entry.position,
        depth: hit.entry.depth,
        depth_role: hit.entry.depthRole,
        insertion_order: hit.entry.insertionOrder,
        method: hit.method,
        score: hit.score,
        matched_keywords: hit.matchedKeywords,
        similarity: hit.similarity,
        tokens: hit.tokens,
        content: substituteMacros(content, names),
        ...(reason ? { reason } : {}),
      };
    };
    const positions = Object.fromEntries(
      Object.values(KnowledgePosition).map((p) => [p, result.byPosition[p].map((h) => render(h))]),
    );
    return {
      included: result.included.map((h) => render(h)),
      positions,
      excluded: result.excluded.map((x) => render(x, x.reason)),
      tokens_used: result.tokensUsed,
      budget_tokens: result.budgetTokens,
      recursion_passes: result.recursionPasses,
      message_seq: messageSeq,
      links: result.links.map((l) => ({
        ...l,
        hidden: (levels.get(l.collection_id) ?? null) === null,
      })),
    };
  }

  /** GET /conversations/{id}/knowledge-activations: the conversation owner only. */
  async logs(actor: Actor, conversationId: string, messageSeq?: number): Promise<ActivationLogDto[]> {
    const owner = await conversationOwner(this.dataSource, conversationId);
    if (!owner || owner !== actor.id) throw new NotFoundError('CONVERSATION_NOT_FOUND');
    const qb = this.dataSource
      .getRepository(KnowledgeActivationLog)
      .createQueryBuilder('l')
      .where('l.conversation_id = :cid', { cid: conversationId });
    if (messageSeq !== undefined) qb.andWhere('l.message_seq = :seq', { seq: messageSeq });
    const rows = await qb
      .orderBy('l.message_seq', 'DESC')
      .addOrderBy('l.was_included', 'DESC')
      .addOrderBy('l.id')
      .limit(1000)
      .getMany();
    return rows.map((r) => ({
      id: r.id,
      message_seq: Number(r.messageSeq),
      entry_id: r.entryId,
      bot_id: r.botId,
      method: r.method,
      score: r.score,
      matched_keywords: r.matchedKeywords,
      similarity: r.similarity,
      position: r.position,
      tokens_used: r.tokensUsed,
      was_included: r.wasIncluded,
      exclusion_reason: r.exclusionReason,
      created_at: r.createdAt,
    }));
  }
}

/** `{{char}}` → bot name, `{{user}}` → persona or user name (knowledge.md §4.1). */
export function substituteMacros(text: string, names: { char: string; user: string }): string {
  return text.replace(/\{\{char\}\}/gi, names.char).replace(/\{\{user\}\}/gi, names.user);
}

function ownPersona(ds: DataSource, ownerId: string, personaId: string): Promise<boolean> {
  return ds.getRepository(Persona).existsBy({ id: personaId, ownerId });
}

/** The conversation's owner, or null when there is no such conversation. */
async function conversationOwner(ds: DataSource, conversationId: string): Promise<string | null> {
  const conv = await ds
    .getRepository(Conversation)
    .findOne({ select: { id: true, ownerUserId: true }, where: { id: conversationId } });
  return conv?.ownerUserId ?? null;
}
