import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { canUse, shareable } from '../../../common/access/access-level.js';
import { AccessResourceType, ModerationStatus } from '../../../common/access/access.enums.js';
import { AccessPolicy } from '../../../common/access/access.policy.js';
import type { Actor } from '../../../common/auth/actor.js';
import {
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
} from '../../../common/errors/app-error.js';
import { ApiKeyUsageService } from '../../api-keys/api-key-usage.service.js';
import { ApiKeyUsePurpose } from '../../api-keys/api-keys.enums.js';
import { ApiKeysService } from '../../api-keys/api-keys.service.js';
import type { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import { Bot } from '../../bots/entities/bot.entity.js';
import {
  AuthorKind,
  ConversationStatus,
  ConversationType,
  DeliveryStatus,
  GenerationStatus,
  MessageType,
  ParticipantKind,
  ParticipantRole,
  TokenCountSource,
} from '../chat.enums.js';
import { ConversationPolicy } from '../conversation.policy.js';
import { type ConversationAccess, ConversationsService } from '../conversations.service.js';
import { type MessageResponseDto, type ReplyPlaceholderDto, toMessageResponse } from '../dto/chat-response.dto.js';
import type { RespondMode } from '../dto/message.dto.js';
import { ConversationParticipant } from '../entities/conversation-participant.entity.js';
import type { Conversation } from '../entities/conversation.entity.js';
import { MessageAlternative } from '../entities/message-alternative.entity.js';
import { Message } from '../entities/message.entity.js';
import { MessageExtrasService } from '../message-extras.service.js';
import type { RegenerateMessageDto, RegenerateResponseDto } from './dto/generation.dto.js';
import { GenerationPersistence } from './generation-persistence.service.js';
import { GenerationRegistry } from './generation.registry.js';
import { isKeyUsable, KeyResolver, type ResolvedKey } from './key-resolver.service.js';
import {
  type GateInput,
  type GateOutcome,
  WellbeingGate,
} from '../../wellbeing/self-moderation/wellbeing-gate.service.js';

export const MAX_ALTERNATIVES = 20;
const OPEN: (GenerationStatus | null)[] = [GenerationStatus.Queued, GenerationStatus.Streaming];
const ROLE_ORDER = [ParticipantRole.Primary, ParticipantRole.Secondary, ParticipantRole.Moderator];

export const streamPath = (messageId: string): string => `/messages/${messageId}/stream`;

/** Correlation id and Accept-Language of an HTTP request, for the wellbeing gate. */
export function requestMeta(req: { id: string; headers: Record<string, string | string[] | undefined> }): RequestMeta {
  const lang = req.headers['accept-language'];
  return { requestId: req.id, acceptLanguage: Array.isArray(lang) ? lang[0] : (lang ?? null) };
}

/** Who should reply to a send (chat.md §3.4 respond). */
export interface ReplyRequest {
  respond?: RespondMode;
  bot_ids?: string[];
}

/** The request facts the wellbeing gate reads. */
export interface RequestMeta {
  requestId: string;
  acceptLanguage?: string | null;
}

/** Headers and optional body object of the wellbeing gate (wellbeing.md §3.3). */
export type GateAnswer = GateOutcome;

/**
 * The send/regenerate side of reply generation: which bots reply, key and limit pre-checks (before anything is
 * inserted), placeholder rows, regeneration and cancellation (chat.md §3.4, api-keys.md §6.1).
 */
@Injectable()
export class GenerationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly conversations: ConversationsService,
    private readonly access: AccessPolicy,
    private readonly keys: KeyResolver,
    private readonly usage: ApiKeyUsageService,
    private readonly apiKeys: ApiKeysService,
    private readonly registry: GenerationRegistry,
    private readonly persistence: GenerationPersistence,
    private readonly extras: MessageExtrasService,
    private readonly gate: WellbeingGate,
  ) {}

  /**
   * The self-moderation gate (wellbeing.md §3): inside the caller's transaction, before anything is inserted. Its
   * headers and optional `wellbeing` object pass through unchanged; a hard block throws a 429.
   */
  async evaluateGate(em: EntityManager, actor: Actor, input: GateInput): Promise<GateAnswer> {
    return this.gate.evaluate(em, actor, input);
  }

  /** Crisis scan of an edited user message (chat.md §3.4): a notice only, nothing counted or refused. */
  async scanEdit(em: EntityManager, actor: Actor, input: Omit<GateInput, 'action'>): Promise<GateAnswer> {
    return this.gate.scanEdit(em, actor, input);
  }

  /**
   * The bots that reply to a send, in reply order (primary, secondary, moderator; ties by joined_at). `bot_ids` must
   * be active bot participants (422); each replying bot must still be readable by the caller (409 BOT_UNAVAILABLE).
   */
  async replyingBots(em: EntityManager, actor: Actor, conv: Conversation, req: ReplyRequest): Promise<Bot[]> {
    const mode = req.respond ?? 'auto';
    if (
      !req.bot_ids?.length &&
      (mode === 'none' || (mode === 'auto' && conv.conversationType === ConversationType.GroupChat))
    ) {
      return [];
    }
    const parts = await em.find(ConversationParticipant, {
      where: { conversationId: conv.id, participantKind: ParticipantKind.Bot, isActive: true },
      order: { joinedAt: 'ASC', id: 'ASC' },
    });
    parts.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
    let chosen: ConversationParticipant[];
    if (req.bot_ids?.length) {
      const active = new Set(parts.map((p) => p.botId));
      const missing = req.bot_ids.filter((id) => !active.has(id));
      if (missing.length) {
        throw new UnprocessableError(
          'INVALID_REPLY_BOTS',
          'bot_ids must be active bots of this conversation.',
          missing.map((id) => ({ field: 'bot_ids', message: `${id} is not an active bot of this conversation` })),
        );
      }
      chosen = parts.filter((p) => req.bot_ids!.includes(p.botId!));
    } else if (mode === 'all') {
      chosen = parts;
    } else {
      chosen = parts.filter((p) => p.role === ParticipantRole.Primary).slice(0, 1);
    }
    if (!chosen.length) return [];
    return this.availableBots(
      em,
      actor,
      chosen.map((p) => p.botId!),
    );
  }

  /** A reply needs the bot to be an active participant the caller can still read (chat.md §3.4), else 409. */
  async assertBotAvailable(
    em: EntityManager,
    actor: Actor,
    conversationId: string,
    botId: string | null,
  ): Promise<Bot> {
    const part = botId
      ? await em.findOne(ConversationParticipant, { where: { conversationId, botId, isActive: true } })
      : null;
    if (!part) throw new ConflictError('BOT_UNAVAILABLE', 'This bot no longer takes part in the conversation.');
    const [bot] = await this.availableBots(em, actor, [botId!]);
    return bot;
  }

  private async availableBots(em: EntityManager, actor: Actor, ids: string[]): Promise<Bot[]> {
    const found = await em.find(Bot, { where: { id: In(ids) } });
    const byId = new Map(found.map((b) => [b.id, b]));
    const levels = await this.access.levelsFor(
      actor,
      found.map((b) => shareable(AccessResourceType.Bot, b)),
      em,
    );
    return ids.map((id) => {
      const bot = byId.get(id);
      const hidden = !bot || (bot.moderationStatus !== ModerationStatus.Visible && bot.ownerId !== actor.id);
      if (hidden || !canUse(levels.get(id) ?? null)) {
        throw new ConflictError('BOT_UNAVAILABLE', 'You can no longer chat with this bot.', { bot_id: id });
      }
      return bot!;
    });
  }

  /**
   * The send/regenerate-time limit check (api-keys.md §6.1.4): passes if the key or any usable fallback is within
   * its limits. Each check reserves and gives back at once, so nothing is counted; a block writes `limit_blocked`.
   * None left → 429 KEY_LIMIT_REACHED with Retry-After.
   */
  async assertWithinLimits(
    key: ApiKey,
    purpose: ApiKeyUsePurpose,
    model: string,
    estimatedTokens: number,
  ): Promise<void> {
    const first = await this.usage.reserve(key.id, { estimatedTokens, purpose, model });
    if (first.ok) return this.usage.release(first.reservation);
    for (const fb of await this.apiKeys.usableFallbacks(key.id)) {
      if (fb.userId !== key.userId || !isKeyUsable(fb)) continue;
      const r = await this.usage.reserve(fb.id, { estimatedTokens, purpose, model });
      if (r.ok) return this.usage.release(r.reservation);
    }
    throw new TooManyRequestsError(
      'KEY_LIMIT_REACHED',
      first.retryAfterSeconds,
      `The API key reached its ${first.limit} limit.`,
      { limit: first.limit, retry_after_s: first.retryAfterSeconds },
    );
  }

  /**
   * Inserts, per replying bot in order, a queued placeholder message and its alternative #0 carrying the resolved
   * key and model (inside the send transaction, after the user message).
   */
  async insertPlaceholders(
    em: EntityManager,
    actor: Actor,
    conv: Conversation,
    bots: Bot[],
    resolved: ResolvedKey,
    allocateSeq: (em: EntityManager, conversationId: string) => Promise<number>,
  ): Promise<ReplyPlaceholderDto[]> {
    const replies: ReplyPlaceholderDto[] = [];
    for (const bot of bots) {
      const seq = await allocateSeq(em, conv.id);
      const msg = await em.save(
        em.create(Message, {
          conversationId: conv.id,
          seq,
          authorKind: AuthorKind.Bot,
          botId: bot.id,
          requestedByUserId: actor.id,
          authorName: bot.name.slice(0, 100),
          messageType: MessageType.Text,
          content: '',
          isAiGenerated: true,
          provider: resolved.key.provider,
          model: resolved.model,
          apiKeyId: resolved.key.id,
          deliveryStatus: DeliveryStatus.Sent,
          generationStatus: GenerationStatus.Queued,
          alternativeCount: 1,
        }),
      );
      const alt = await this.queueAlternative(em, actor, msg.id, 0, resolved);
      await em.update(Message, { id: msg.id }, { activeAlternativeId: alt.id });
      replies.push({ message_id: msg.id, alternative_id: alt.id, bot_id: bot.id, stream_path: streamPath(msg.id) });
    }
    return replies;
  }

  /** A queued alternative carrying the resolved key and model (api-keys.md §6.1.4). */
  private queueAlternative(
    em: EntityManager,
    actor: Actor,
    messageId: string,
    position: number,
    resolved: ResolvedKey,
  ): Promise<MessageAlternative> {
    return em.save(
      em.create(MessageAlternative, {
        messageId,
        position,
        content: '',
        provider: resolved.key.provider,
        model: resolved.model,
        apiKeyId: resolved.key.id,
        generationStatus: GenerationStatus.Queued,
        requestedByUserId: actor.id,
      }),
    );
  }

  /**
   * POST /messages/:id/regenerate (chat.md §3.4): a new queued alternative #n becomes active; the earlier ones stay.
   * `gate` runs inside the transaction before anything is inserted (wellbeing.md §3).
   */
  async regenerate(
    actor: Actor,
    id: string,
    dto: RegenerateMessageDto,
    meta: RequestMeta,
  ): Promise<{ body: RegenerateResponseDto; headers: Record<string, string> }> {
    const em = this.ds.manager;
    const pre = await this.loadForGeneration(em, actor, id);
    this.assertRegeneratable(pre.msg, pre.access.conv);
    await this.assertBotAvailable(em, actor, pre.msg.conversationId, pre.msg.botId);
    const resolved = await this.keys.resolve(em, actor, pre.access.conv, dto);
    await this.assertWithinLimits(resolved.key, ApiKeyUsePurpose.Regenerate, resolved.model, 0);

    return this.ds.transaction(async (tx) => {
      const { msg, access } = await this.loadForGeneration(tx, actor, id, true);
      this.assertRegeneratable(msg, access.conv);
      const answer = await this.evaluateGate(tx, actor, {
        action: 'regenerate',
        text: null,
        conversationId: access.conv.id,
        requestId: meta.requestId,
        acceptLanguage: meta.acceptLanguage ?? null,
      });
      const alt = await this.queueAlternative(tx, actor, msg.id, msg.alternativeCount, resolved);
      await tx.update(
        Message,
        { id: msg.id },
        {
          activeAlternativeId: alt.id,
          alternativeCount: msg.alternativeCount + 1,
          content: '',
          reasoningContent: null,
          generationStatus: GenerationStatus.Queued,
          deliveryStatus: DeliveryStatus.Sent,
          provider: resolved.key.provider,
          model: resolved.model,
          apiKeyId: resolved.key.id,
          requestedByUserId: actor.id,
          inputTokens: 0,
          outputTokens: 0,
          totalTokens: 0,
          tokenCountSource: TokenCountSource.Estimated,
          costEstimate: null,
          processingTimeMs: null,
          firstTokenMs: null,
          finishReason: null,
          errorCode: null,
        },
      );
      if (msg.activeAlternativeId) this.registry.rememberPrevious(alt.id, msg.activeAlternativeId);
      const body: RegenerateResponseDto = {
        message_id: msg.id,
        alternative_id: alt.id,
        stream_path: streamPath(msg.id),
      };
      if (answer.wellbeing) body.wellbeing = answer.wellbeing;
      return { body, headers: answer.headers };
    });
  }

  /**
   * POST /messages/:id/cancel: aborts the upstream request of a running generation and waits for its final state
   * (cancelled, finish_reason cancelled, partial text kept); a queued one is cancelled directly.
   */
  async cancel(actor: Actor, id: string): Promise<MessageResponseDto> {
    const em = this.ds.manager;
    const { msg, access } = await this.loadForGeneration(em, actor, id);
    if (!OPEN.includes(msg.generationStatus)) {
      throw new ConflictError('NO_OPEN_GENERATION', 'This message is not being generated.');
    }
    const run = this.registry.get(id);
    if (run) {
      run.cancelRequested = true;
      run.controller.abort();
      await run.done;
    } else if (msg.activeAlternativeId) {
      // queued, or streaming in another process: that run sees it at its next flush and stops
      await this.persistence.finish(
        {
          messageId: msg.id,
          alternativeId: msg.activeAlternativeId,
          conversationId: msg.conversationId,
          seq: msg.seq,
          botId: msg.botId,
          requesterUserId: msg.requestedByUserId ?? access.conv.ownerUserId,
        },
        {
          status: GenerationStatus.Cancelled,
          content: msg.content,
          reasoning: msg.reasoningContent,
          finishReason: 'cancelled',
          errorCode: null,
          key: null,
          model: null,
          usage: null,
          promptEstimate: 0,
          processingTimeMs: null,
          firstTokenMs: null,
          memoryIds: [],
          personaId: null,
        },
      );
    }
    const fresh = await em.findOneByOrFail(Message, { id });
    const extras = await this.extras.extrasFor(em, actor, [id]);
    return toMessageResponse(actor, fresh, extras.get(id));
  }

  /** The message and the caller's access; unreadable → 404, not the owner or requester → 403 (chat.md §3.3). */
  async loadForGeneration(
    em: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<{ msg: Message; access: ConversationAccess }> {
    const found = await em.findOne(Message, { where: { id }, select: { id: true, conversationId: true } });
    if (!found) throw new NotFoundError('MESSAGE_NOT_FOUND');
    // writers lock the conversation row first, then the message (the order send uses)
    const access = await this.conversations.loadAccess(em, actor, found.conversationId, lock);
    if (!this.policy.can(actor, 'read', access.facts)) throw new NotFoundError('MESSAGE_NOT_FOUND');
    const msg = await em.findOne(Message, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!msg) throw new NotFoundError('MESSAGE_NOT_FOUND');
    this.policy.assertMessage(actor, 'generate', access.facts, msg);
    return { msg, access };
  }

  private assertRegeneratable(msg: Message, conv: Conversation): void {
    if (msg.authorKind !== AuthorKind.Bot || !msg.isAiGenerated) {
      throw new UnprocessableError('NOT_REGENERATABLE', 'Only generated bot replies can be regenerated.');
    }
    if (conv.status === ConversationStatus.Archived) {
      throw new ConflictError('CONVERSATION_ARCHIVED', 'Unarchive the conversation to regenerate.');
    }
    if (OPEN.includes(msg.generationStatus)) {
      throw new ConflictError('GENERATION_IN_PROGRESS', 'Wait for the reply to finish or cancel it.');
    }
    if (msg.alternativeCount >= MAX_ALTERNATIVES) {
      throw new ConflictError('ALTERNATIVE_LIMIT', `A message has at most ${MAX_ALTERNATIVES} alternatives.`);
    }
  }
}
