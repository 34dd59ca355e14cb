import { AuthorKind, DeliveryStatus, GenerationStatus } from '../../src/modules/chat/chat.enums.js';
import { MessageAlternative } from '../../src/modules/chat/entities/message-alternative.entity.js';
import { Message } from '../../src/modules/chat/entities/message.entity.js';
import type { TestApp } from '../setup/test-app.js';

export interface SeedBotReplyOptions {
  conversationId: string;
  botId: string | null;
  requestedByUserId: string | null;
  /** One entry per alternative, in position order. */
  alternatives: Partial<MessageAlternative>[];
  /** Index of the alternative the message shows (its fields are mirrored into the message). Default: the last. */
  active?: number;
  /** Extra message columns (e.g. generationStatus while a regeneration is open). */
  message?: Partial<Message>;
}

/**
 * Writes a generated bot reply with its alternatives straight through the entities, with seq allocated the way send
 * does (conversation counters in step): for tests that need swipes without a provider. Returns the rows.
 */
export async function seedBotReply(
  ctx: TestApp,
  opts: SeedBotReplyOptions,
): Promise<{ message: Message; alternatives: MessageAlternative[] }> {
  return ctx.ds.transaction(async (em) => {
    const out: unknown[] = await em.query(
      `UPDATE conversations SET last_message_seq = last_message_seq + 1, message_count = message_count + 1
        WHERE id = $1 RETURNING last_message_seq`,
      [opts.conversationId],
    );
    // UPDATE … RETURNING answers [rows, rowCount] on node-postgres
    const rows = (Array.isArray(out[0]) ? out[0] : out) as { last_message_seq: string | number }[];
    const seq = Number(rows[0].last_message_seq);
    const activeIndex = opts.active ?? opts.alternatives.length - 1;
    const shown = opts.alternatives[activeIndex] ?? {};
    const status = shown.generationStatus ?? GenerationStatus.Completed;
    const message = await em.save(
      em.create(Message, {
        conversationId: opts.conversationId,
        seq,
        authorKind: AuthorKind.Bot,
        botId: opts.botId,
        requestedByUserId: opts.requestedByUserId,
        authorName: 'Seeded Bot',
        isAiGenerated: true,
        content: shown.content ?? '',
        model: shown.model ?? null,
        provider: shown.provider ?? null,
        apiKeyId: shown.apiKeyId ?? null,
        inputTokens: shown.inputTokens ?? 0,
        outputTokens: shown.outputTokens ?? 0,
        totalTokens: (shown.inputTokens ?? 0) + (shown.outputTokens ?? 0),
        costEstimate: shown.costEstimate ?? null,
        generationStatus: status,
        deliveryStatus: status === GenerationStatus.Completed ? DeliveryStatus.Delivered : DeliveryStatus.Sent,
        alternativeCount: opts.alternatives.length,
        ...opts.message,
      }),
    );
    const alternatives = await em.save(
      opts.alternatives.map((a, position) =>
        em.create(MessageAlternative, {
          messageId: message.id,
          position,
          requestedByUserId: opts.requestedByUserId,
          generationStatus: GenerationStatus.Completed,
          ...a,
          totalTokens: (a.inputTokens ?? 0) + (a.outputTokens ?? 0),
        }),
      ),
    );
    await em.update(Message, { id: message.id }, { activeAlternativeId: alternatives[activeIndex]?.id ?? null });
    message.activeAlternativeId = alternatives[activeIndex]?.id ?? null;
    return { message, alternatives };
  });
}
