import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, NotFoundError } from '../../common/errors/app-error.js';
import { GenerationStatus } from './chat.enums.js';
import { ConversationPolicy } from './conversation.policy.js';
import { type ConversationAccess, ConversationsService } from './conversations.service.js';
import { type MessageResponseDto, toMessageResponse } from './dto/chat-response.dto.js';
import {
  type MessageAlternativeResponseDto,
  type SelectAlternativeDto,
  toMessageAlternativeResponse,
} from './dto/message-alternative.dto.js';
import { MessageAlternative } from './entities/message-alternative.entity.js';
import { Message } from './entities/message.entity.js';
import { MessageExtrasService } from './message-extras.service.js';

const OPEN_GENERATION: (GenerationStatus | null)[] = [GenerationStatus.Queued, GenerationStatus.Streaming];

/**
 * Makes a completed alternative the one its message shows (chat.md §3.4 "Select alternative", and the revert after
 * a failed regeneration): content, reasoning, model, provider, key, requester, tokens, cost, timings and status are
 * copied into the message. `updated_at` bumps; `edited_at` does not. A failed delivery becomes delivered again.
 * Call inside the transaction that holds the message row lock.
 */
export async function mirrorAlternative(em: EntityManager, messageId: string, alt: MessageAlternative): Promise<void> {
  await em
    .createQueryBuilder()
    .update(Message)
    .set({
      activeAlternativeId: alt.id,
      content: alt.content,
      reasoningContent: alt.reasoningContent,
      provider: alt.provider,
      model: alt.model,
      apiKeyId: alt.apiKeyId,
      requestedByUserId: alt.requestedByUserId,
      inputTokens: alt.inputTokens,
      outputTokens: alt.outputTokens,
      totalTokens: alt.totalTokens,
      tokenCountSource: alt.tokenCountSource,
      costEstimate: alt.costEstimate,
      processingTimeMs: alt.processingTimeMs,
      firstTokenMs: alt.firstTokenMs,
      finishReason: alt.finishReason,
      generationStatus: alt.generationStatus,
      errorCode: alt.errorCode,
      deliveryStatus: () => `CASE WHEN delivery_status = 'failed' THEN 'delivered' ELSE delivery_status END`,
    })
    .where({ id: messageId })
    .execute();
}

/**
 * What a regeneration that failed or was cancelled with no text reverts its message to (chat.md §3.4 Regenerate):
 * the alternative active before it when known and still completed, else the newest completed one.
 */
export async function previousCompletedAlternative(
  em: EntityManager,
  messageId: string,
  previousId?: string,
): Promise<MessageAlternative | null> {
  if (previousId) {
    const prev = await em.findOne(MessageAlternative, {
      where: { id: previousId, messageId, generationStatus: GenerationStatus.Completed },
    });
    if (prev) return prev;
  }
  return em.findOne(MessageAlternative, {
    where: { messageId, generationStatus: GenerationStatus.Completed },
    order: { position: 'DESC' },
  });
}

/** GET /messages/:id/alternatives and PUT /messages/:id/active-alternative (chat.md §3.5, §3.6). */
@Injectable()
export class MessageAlternativesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly conversations: ConversationsService,
    private readonly extras: MessageExtrasService,
  ) {}

  /** Every alternative of a message the caller can read, by position (at most 20, so no paging). */
  async list(actor: Actor, messageId: string): Promise<MessageAlternativeResponseDto[]> {
    const em = this.dataSource.manager;
    const { msg } = await this.loadReadable(em, actor, messageId);
    const rows = await em.find(MessageAlternative, { where: { messageId }, order: { position: 'ASC' } });
    return rows.map((a) => toMessageAlternativeResponse(actor, a, msg.activeAlternativeId));
  }

  /**
   * The conversation owner or the reply's requester picks a completed alternative. 404 ALTERNATIVE_NOT_FOUND for
   * an id that is not one of this message's alternatives; 409 ALTERNATIVE_NOT_COMPLETED for a queued, streaming,
   * failed or cancelled one; 409 GENERATION_IN_PROGRESS while the message itself is generating.
   */
  async select(actor: Actor, messageId: string, dto: SelectAlternativeDto): Promise<MessageResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const { msg, access } = await this.loadReadable(em, actor, messageId, true);
      this.policy.assertMessage(actor, 'select_alternative', access.facts, msg);
      const alt = await em.findOne(MessageAlternative, { where: { id: dto.alternative_id, messageId } });
      if (!alt) throw new NotFoundError('ALTERNATIVE_NOT_FOUND', 'This message has no such alternative.');
      if (OPEN_GENERATION.includes(msg.generationStatus)) {
        throw new ConflictError('GENERATION_IN_PROGRESS', 'Wait for the reply to finish or cancel it.');
      }
      if (alt.generationStatus !== GenerationStatus.Completed) {
        throw new ConflictError('ALTERNATIVE_NOT_COMPLETED', 'Only a completed alternative can be shown.', {
          generation_status: alt.generationStatus,
        });
      }
      await mirrorAlternative(em, msg.id, alt);
    });
    const em = this.dataSource.manager;
    const msg = await em.findOneByOrFail(Message, { id: messageId });
    const extras = await this.extras.extrasFor(em, actor, [messageId]);
    return toMessageResponse(actor, msg, extras.get(messageId));
  }

  /**
   * The message plus the caller's access to its conversation; unreadable → 404 MESSAGE_NOT_FOUND. With `lock` the
   * message row is locked (FOR UPDATE) after the access check, so a concurrent regeneration cannot interleave.
   */
  private async loadReadable(
    em: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<{ msg: Message; access: ConversationAccess }> {
    const found = await em.findOne(Message, { where: { id }, select: { id: true, conversationId: true } });
    if (!found) throw new NotFoundError('MESSAGE_NOT_FOUND');
    const access = await this.conversations.loadAccess(em, actor, found.conversationId);
    if (!this.policy.can(actor, 'read', access.facts)) throw new NotFoundError('MESSAGE_NOT_FOUND');
    const msg = await em.findOne(Message, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}) });
    if (!msg) throw new NotFoundError('MESSAGE_NOT_FOUND');
    return { msg, access };
  }
}
