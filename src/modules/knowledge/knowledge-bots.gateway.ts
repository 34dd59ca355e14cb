import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AccessResourceType } from '../../common/access/access.enums.js';
import { type AccessLevel, canEdit, canRead, shareable } from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { User } from '../identity/entities/user.entity.js';
import type { LinkedBotDto } from './dto/collection-response.dto.js';
import { BotKnowledgeCollection } from './entities/bot-knowledge-collection.entity.js';

/**
 * What the knowledge module needs to know about bots: loading one with the caller's level (the same AccessPolicy
 * rule the bots module uses: bots.md §3.4) and which bots a caller may read. Reads the Bot entity only.
 */
@Injectable()
export class KnowledgeBotsGateway {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  /** The bot and the caller's level; not readable → 404 BOT_NOT_FOUND. */
  async load(
    actor: Actor | null | undefined,
    botId: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ bot: Bot; level: AccessLevel }> {
    const bot = await em.getRepository(Bot).findOneBy({ id: botId });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const level = await this.access.levelFor(actor, shareable(AccessResourceType.Bot, bot), em);
    if (!canRead(level)) throw new NotFoundError('BOT_NOT_FOUND');
    return { bot, level };
  }

  /** Editor of the bot (edit grant, owner, admin) or 403 BOT_FORBIDDEN; unreadable → 404. */
  async loadForEdit(actor: Actor, botId: string, em?: EntityManager): Promise<{ bot: Bot; level: AccessLevel }> {
    const loaded = await this.load(actor, botId, em);
    if (!canEdit(loaded.level)) throw new ForbiddenError('BOT_FORBIDDEN', 'Only editors of the bot may do this.');
    return loaded;
  }

  /** Ids among `ids` of bots the caller can read. */
  async readableBotIds(actor: Actor | null | undefined, ids: string[], em?: EntityManager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const bots = await (em ?? this.dataSource.manager).getRepository(Bot).findBy({ id: In(ids) });
    const levels = await this.access.levelsFor(
      actor,
      bots.map((b) => shareable(AccessResourceType.Bot, b)),
      em,
    );
    return new Set(bots.filter((b) => canRead(levels.get(b.id) ?? null)).map((b) => b.id));
  }

  /** Bots linking a collection: those the caller can read, plus a count of the others (§3.1). */
  async linkedBotsVisibleTo(
    actor: Actor | null | undefined,
    collectionId: string,
  ): Promise<{ visible: LinkedBotDto[]; others: number }> {
    const links = await this.dataSource.getRepository(BotKnowledgeCollection).find({
      where: { collectionId },
      relations: { bot: true },
      order: { createdAt: 'ASC' },
    });
    const bots = links.map((l) => l.bot!).filter(Boolean);
    const levels = await this.access.levelsFor(
      actor,
      bots.map((b) => shareable(AccessResourceType.Bot, b)),
    );
    const visible = links
      .filter((l) => l.bot && canRead(levels.get(l.botId) ?? null))
      .map((l) => ({ id: l.botId, name: l.bot!.name, slug: l.bot!.slug, enabled: l.enabled }));
    return { visible, others: links.length - visible.length };
  }

  /** The bot owner as an Actor, for "can the owner still read this collection" (§3.1). */
  async ownerActor(ownerId: string, em: EntityManager = this.dataSource.manager): Promise<Actor> {
    const owner = await em.getRepository(User).findOneOrFail({
      where: { id: ownerId },
      select: { id: true, role: true, username: true, emailVerifiedAt: true },
    });
    return { id: owner.id, role: owner.role, username: owner.username, emailVerified: !!owner.emailVerifiedAt };
  }
}
