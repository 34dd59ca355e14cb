import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { canUse, shareable } from '../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../common/access/access.enums.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnprocessableError,
} from '../../common/errors/app-error.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { User, UserStatus } from '../identity/entities/user.entity.js';
import { ConversationType, ParticipantKind, ParticipantRole } from './chat.enums.js';
import { ConversationPolicy } from './conversation.policy.js';
import { type ConversationAccess, ConversationsService } from './conversations.service.js';
import type { ParticipantResponseDto } from './dto/chat-response.dto.js';
import type { AddParticipantDto, UpdateParticipantDto } from './dto/participant.dto.js';
import { ConversationParticipant } from './entities/conversation-participant.entity.js';
import { Conversation } from './entities/conversation.entity.js';

const MAX_ACTIVE_BOTS = 8;
const MAX_USERS = 20;

/** Participants of a conversation (chat.md §2): add, change role / activity, remove or leave. */
@Injectable()
export class ParticipantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly access: AccessPolicy,
    private readonly conversations: ConversationsService,
  ) {}

  async add(actor: Actor, conversationId: string, dto: AddParticipantDto): Promise<ParticipantResponseDto> {
    if ((dto.bot_id === undefined) === (dto.user_id === undefined)) {
      throw new InvalidError('VALIDATION_FAILED', 'Give exactly one of bot_id and user_id.', [
        { field: 'bot_id', message: 'exactly one of bot_id and user_id is required' },
      ]);
    }
    if (dto.user_id !== undefined && dto.role !== undefined) {
      throw new InvalidError('VALIDATION_FAILED', 'Users are added as members.', [
        { field: 'role', message: 'role applies to bots only' },
      ]);
    }
    const participantId = await this.dataSource.transaction(async (em) => {
      const ctx = await this.conversations.loadAccess(em, actor, conversationId, true);
      this.policy.assert(actor, 'manage_participants', ctx.facts);
      return dto.bot_id ? this.addBot(em, actor, ctx, dto.bot_id, dto.role) : this.addUser(em, ctx, dto.user_id!);
    });
    return this.one(actor, conversationId, participantId);
  }

  async update(
    actor: Actor,
    conversationId: string,
    participantId: string,
    dto: UpdateParticipantDto,
  ): Promise<ParticipantResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const ctx = await this.conversations.loadAccess(em, actor, conversationId, true);
      this.policy.assert(actor, 'manage_participants', ctx.facts);
      const p = await this.load(em, conversationId, participantId);
      if (p.participantKind !== ParticipantKind.Bot) {
        throw new UnprocessableError('NOT_A_BOT_PARTICIPANT', 'Only bot participants have roles and activity.');
      }
      if (dto.is_active === true && !p.isActive) {
        await this.assertBotRoom(em, conversationId);
        await em.update(ConversationParticipant, { id: p.id }, { isActive: true, leftAt: null });
        await this.bumpCount(em, conversationId, +1);
        p.isActive = true;
        await this.upgradeType(em, ctx.conv);
      }
      if (dto.role !== undefined && dto.role !== p.role) {
        if (dto.role === ParticipantRole.Primary && p.isActive) await this.demotePrimary(em, conversationId);
        await em.update(ConversationParticipant, { id: p.id }, { role: dto.role });
        p.role = dto.role;
      }
      if (dto.is_active === false && p.isActive) {
        await em.update(ConversationParticipant, { id: p.id }, { isActive: false, leftAt: new Date() });
        await this.bumpCount(em, conversationId, -1);
      }
      await this.ensurePrimary(em, conversationId);
    });
    return this.one(actor, conversationId, participantId);
  }

  /** Owner removes a bot or member; a member leaves (their own row). Deactivates, so history stays attributable. */
  async remove(actor: Actor, conversationId: string, participantId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const ctx = await this.conversations.loadAccess(em, actor, conversationId, true);
      const p = await this.load(em, conversationId, participantId);
      const self = p.userId === actor.id;
      if (self && p.role === ParticipantRole.Member) this.policy.assert(actor, 'leave', ctx.facts);
      else this.policy.assert(actor, 'manage_participants', ctx.facts);
      if (p.role === ParticipantRole.Owner)
        throw new ForbiddenError('OWNER_NOT_REMOVABLE', 'Delete the conversation instead.');
      if (!p.isActive) return;
      await em.update(ConversationParticipant, { id: p.id }, { isActive: false, leftAt: new Date() });
      await this.bumpCount(em, conversationId, -1);
      await this.ensurePrimary(em, conversationId);
    });
  }

  // ---- helpers ----

  private async addBot(
    em: EntityManager,
    actor: Actor,
    ctx: ConversationAccess,
    botId: string,
    role: ParticipantRole | undefined,
  ): Promise<string> {
    const bot = await em.findOne(Bot, { where: { id: botId } });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const level = await this.access.levelFor(actor, shareable(AccessResourceType.Bot, bot), em);
    const hidden = bot.moderationStatus !== ModerationStatus.Visible && bot.ownerId !== actor.id;
    if (hidden || !canUse(level)) throw new NotFoundError('BOT_NOT_FOUND');
    const existing = await em.findOne(ConversationParticipant, { where: { conversationId: ctx.conv.id, botId } });
    if (existing?.isActive) throw new ConflictError('ALREADY_PARTICIPANT', 'The bot is already in this conversation.');
    await this.assertBotRoom(em, ctx.conv.id);
    const hasPrimary = await em.exists(ConversationParticipant, {
      where: { conversationId: ctx.conv.id, role: ParticipantRole.Primary, isActive: true },
    });
    let finalRole = role ?? (hasPrimary ? ParticipantRole.Secondary : ParticipantRole.Primary);
    if (finalRole === ParticipantRole.Primary && hasPrimary) await this.demotePrimary(em, ctx.conv.id);
    if (!hasPrimary && finalRole !== ParticipantRole.Primary) finalRole = ParticipantRole.Primary;
    let id: string;
    if (existing) {
      await em.update(
        ConversationParticipant,
        { id: existing.id },
        { isActive: true, leftAt: null, role: finalRole, joinedAt: new Date() },
      );
      id = existing.id;
    } else {
      const row = await em.save(
        em.create(ConversationParticipant, {
          conversationId: ctx.conv.id,
          participantKind: ParticipantKind.Bot,
          botId,
          role: finalRole,
        }),
      );
      id = row.id;
    }
    await this.bumpCount(em, ctx.conv.id, +1);
    await this.upgradeType(em, ctx.conv);
    return id;
  }

  private async addUser(em: EntityManager, ctx: ConversationAccess, userId: string): Promise<string> {
    const user = await em.findOne(User, { where: { id: userId } });
    if (!user || user.status !== UserStatus.Active) throw new NotFoundError('USER_NOT_FOUND');
    const existing = await em.findOne(ConversationParticipant, { where: { conversationId: ctx.conv.id, userId } });
    if (existing?.isActive) throw new ConflictError('ALREADY_PARTICIPANT', 'The user is already in this conversation.');
    const users = await em.count(ConversationParticipant, {
      where: { conversationId: ctx.conv.id, participantKind: ParticipantKind.User, isActive: true },
    });
    if (users >= MAX_USERS) throw new UnprocessableError('PARTICIPANT_LIMIT', `At most ${MAX_USERS} users.`);
    let id: string;
    if (existing) {
      await em.update(
        ConversationParticipant,
        { id: existing.id },
        { isActive: true, leftAt: null, joinedAt: new Date() },
      );
      id = existing.id;
    } else {
      const row = await em.save(
        em.create(ConversationParticipant, {
          conversationId: ctx.conv.id,
          participantKind: ParticipantKind.User,
          userId,
          role: ParticipantRole.Member,
        }),
      );
      id = row.id;
    }
    await this.bumpCount(em, ctx.conv.id, +1);
    await em.update(Conversation, { id: ctx.conv.id }, { conversationType: ConversationType.GroupChat });
    return id;
  }

  private async assertBotRoom(em: EntityManager, conversationId: string): Promise<void> {
    const bots = await em.count(ConversationParticipant, {
      where: { conversationId, participantKind: ParticipantKind.Bot, isActive: true },
    });
    if (bots >= MAX_ACTIVE_BOTS) {
      throw new UnprocessableError('PARTICIPANT_LIMIT', `At most ${MAX_ACTIVE_BOTS} active bots.`);
    }
  }

  private async demotePrimary(em: EntityManager, conversationId: string): Promise<void> {
    await em.update(
      ConversationParticipant,
      { conversationId, role: ParticipantRole.Primary, isActive: true },
      { role: ParticipantRole.Secondary },
    );
  }

  /** Exactly one active primary whenever any bot is active: promote the earliest-joined active secondary. */
  private async ensurePrimary(em: EntityManager, conversationId: string): Promise<void> {
    const hasPrimary = await em.exists(ConversationParticipant, {
      where: { conversationId, role: ParticipantRole.Primary, isActive: true },
    });
    if (hasPrimary) return;
    const next = await em.findOne(ConversationParticipant, {
      where: { conversationId, participantKind: ParticipantKind.Bot, role: ParticipantRole.Secondary, isActive: true },
      order: { joinedAt: 'ASC', id: 'ASC' },
    });
    if (next) await em.update(ConversationParticipant, { id: next.id }, { role: ParticipantRole.Primary });
  }

  /** A second active bot turns single_bot into multi_bot; never downgraded. */
  private async upgradeType(em: EntityManager, conv: Conversation): Promise<void> {
    if (conv.conversationType !== ConversationType.SingleBot) return;
    const bots = await em.count(ConversationParticipant, {
      where: { conversationId: conv.id, participantKind: ParticipantKind.Bot, isActive: true },
    });
    if (bots > 1) await em.update(Conversation, { id: conv.id }, { conversationType: ConversationType.MultiBot });
  }

  private async bumpCount(em: EntityManager, conversationId: string, delta: 1 | -1): Promise<void> {
    await em
      .createQueryBuilder()
      .update(Conversation)
      .set({
        participantCount: () => `participant_count ${delta > 0 ? '+ 1' : '- 1'}`,
        lastActivityAt: () => 'now()',
      })
      .where({ id: conversationId })
      .execute();
  }

  private async load(em: EntityManager, conversationId: string, id: string): Promise<ConversationParticipant> {
    const p = await em.findOne(ConversationParticipant, { where: { id, conversationId } });
    if (!p) throw new NotFoundError('PARTICIPANT_NOT_FOUND');
    return p;
  }

  private async one(actor: Actor, conversationId: string, id: string): Promise<ParticipantResponseDto> {
    const all = await this.conversations.listParticipants(actor, conversationId);
    const found = all.find((p) => p.id === id);
    if (!found) throw new NotFoundError('PARTICIPANT_NOT_FOUND');
    return found;
  }
}
