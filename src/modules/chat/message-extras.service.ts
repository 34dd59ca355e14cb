import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { ForbiddenError, InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { Media, MediaKind } from '../media/entities/media.entity.js';
import { MediaCitationRegistry } from '../media/media-citation.registry.js';
import { mediaContentUrl } from '../media/media-url.js';
import { MessageType } from './chat.enums.js';
import { ConversationPolicy } from './conversation.policy.js';
import { ConversationsService } from './conversations.service.js';
import type { MessageExtras, MessageReactionsResponseDto } from './dto/chat-response.dto.js';
import type { Conversation } from './entities/conversation.entity.js';
import { MessageAttachment } from './entities/message-attachment.entity.js';
import { MessageReaction } from './entities/message-reaction.entity.js';
import { Message } from './entities/message.entity.js';

export const MAX_ATTACHMENTS = 10;
const MAX_EMOJI_CHARS = 32;
/** One emoji (pictograph, flag, keycap, with modifiers/ZWJ joins): no whitespace or control characters. */
const EMOJI = /^(?=.*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3))[^\s\p{Cc}]+$/u;

/** SQL: the actor (`$2`) owns or is an active member of a conversation with a message citing media `$1`. */
const CAN_READ_CITING_SQL = `SELECT EXISTS (
  SELECT 1 FROM message_attachments a
    JOIN messages m ON m.id = a.message_id
    JOIN conversations c ON c.id = m.conversation_id
   WHERE a.media_id = $1
     AND (c.owner_user_id = $2 OR EXISTS (
          SELECT 1 FROM conversation_participants p
           WHERE p.conversation_id = c.id AND p.user_id = $2 AND p.is_active AND p.role = 'member'))
) AS ok`;

/**
 * Message attachments and reactions (chat.md §3.1), and chat's resolver on the media citation hook: an attached
 * file is private (README decision 12) and readable by whoever can read a citing message (identity.md §2).
 */
@Injectable()
export class MessageExtrasService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ConversationPolicy,
    private readonly conversations: ConversationsService,
    private readonly citations: MediaCitationRegistry,
  ) {}

  onModuleInit(): void {
    this.citations.register({
      name: 'chat',
      isAttachment: async (mediaId, manager) => {
        const rows: { ok: boolean }[] = await (manager ?? this.dataSource.manager).query(
          `SELECT EXISTS (SELECT 1 FROM message_attachments WHERE media_id = $1) AS ok`,
          [mediaId],
        );
        return rows[0]?.ok === true;
      },
      canReadCiting: async (actor, mediaId, manager) => {
        if (!actor) return false;
        const rows: { ok: boolean }[] = await (manager ?? this.dataSource.manager).query(CAN_READ_CITING_SQL, [
          mediaId,
          actor.id,
        ]);
        return rows[0]?.ok === true;
      },
      excludeAttachmentsSql: (alias) =>
        `NOT EXISTS (SELECT 1 FROM message_attachments ma WHERE ma.media_id = ${alias}.id)`,
    });
  }

  /**
   * Inside the send transaction, after the message insert: the files must be the sender's own (400
   * MEDIA_NOT_USABLE, the same answer for someone else's file and a missing one), `image` messages take images
   * only, and the conversation must allow file sharing (403 FILE_SHARING_DISABLED).
   */
  async attach(
    em: EntityManager,
    actor: Actor,
    conv: Conversation,
    message: { id: string; messageType: MessageType },
    mediaIds: string[],
  ): Promise<void> {
    if (!mediaIds.length) return;
    if (!conv.allowFileSharing) {
      throw new ForbiddenError('FILE_SHARING_DISABLED', 'This conversation does not allow attachments.');
    }
    const media = await em.find(Media, {
      where: { id: In(mediaIds), ownerId: actor.id },
      select: { id: true, kind: true },
    });
    if (media.length !== mediaIds.length) {
      throw new InvalidError('MEDIA_NOT_USABLE', 'Attach only files you uploaded.', [
        { field: 'media_ids', message: 'media_ids must be files you uploaded' },
      ]);
    }
    if (message.messageType === MessageType.Image && media.some((m) => m.kind !== MediaKind.Image)) {
      throw new InvalidError('MEDIA_NOT_USABLE', 'An image message takes images only.', [
        { field: 'media_ids', message: 'media_ids must be images for an image message' },
      ]);
    }
    await em.insert(
      MessageAttachment,
      mediaIds.map((mediaId, position) => ({ messageId: message.id, mediaId, position })),
    );
  }

  /** Attachments and reactions of many messages in two queries (no N+1). */
  async extrasFor(em: EntityManager, actor: Actor, messageIds: string[]): Promise<Map<string, MessageExtras>> {
    const out = new Map<string, MessageExtras>(
      messageIds.map((id) => [id, { attachments: [], reactions: {}, mine: [] }]),
    );
    if (!messageIds.length) return out;
    const attachments = await em.find(MessageAttachment, {
      where: { messageId: In(messageIds) },
      relations: { media: true },
      order: { messageId: 'ASC', position: 'ASC' },
    });
    for (const a of attachments) {
      const m = a.media!;
      out.get(a.messageId)!.attachments.push({
        media_id: m.id,
        position: a.position,
        kind: m.kind,
        mime_type: m.mimeType,
        original_filename: m.originalFilename,
        size_bytes: m.sizeBytes,
        width: m.width,
        height: m.height,
        alt_text: m.altText,
        url: mediaContentUrl(m.id),
      });
    }
    const rows = await em
      .createQueryBuilder(MessageReaction, 'r')
      .select('r.message_id', 'message_id')
      .addSelect('r.emoji', 'emoji')
      .addSelect('count(*)::int', 'n')
      .addSelect('bool_or(r.user_id = :me)', 'mine')
      .where('r.message_id IN (:...ids)', { ids: messageIds, me: actor.id })
      .groupBy('r.message_id')
      .addGroupBy('r.emoji')
      .orderBy('min(r.created_at)', 'ASC')
      .addOrderBy('r.emoji', 'ASC')
      .getRawMany<{ message_id: string; emoji: string; n: number | string; mine: boolean }>();
    for (const r of rows) {
      const e = out.get(r.message_id)!;
      e.reactions[r.emoji] = Number(r.n);
      if (r.mine) e.mine.push(r.emoji);
    }
    return out;
  }

  /** PUT /messages/:id/reactions/:emoji: idempotent; participants only (admins read, never write). */
  async react(actor: Actor, messageId: string, rawEmoji: string): Promise<MessageReactionsResponseDto> {
    const emoji = this.assertEmoji(rawEmoji);
    return this.dataSource.transaction(async (em) => {
      await this.loadReactable(em, actor, messageId);
      await em
        .createQueryBuilder()
        .insert()
        .into(MessageReaction)
        .values({ messageId, userId: actor.id, emoji })
        .orIgnore()
        .execute();
      return this.summary(em, actor, messageId);
    });
  }

  /** DELETE /messages/:id/reactions/:emoji: idempotent (removing a reaction one does not have is fine). */
  async unreact(actor: Actor, messageId: string, rawEmoji: string): Promise<MessageReactionsResponseDto> {
    const emoji = this.assertEmoji(rawEmoji);
    return this.dataSource.transaction(async (em) => {
      await this.loadReactable(em, actor, messageId);
      await em.delete(MessageReaction, { messageId, userId: actor.id, emoji });
      return this.summary(em, actor, messageId);
    });
  }

  private async summary(em: EntityManager, actor: Actor, messageId: string): Promise<MessageReactionsResponseDto> {
    const extras = (await this.extrasFor(em, actor, [messageId])).get(messageId)!;
    return { message_id: messageId, reactions: extras.reactions, mine: extras.mine };
  }

  /**
   * Not readable → 404 MESSAGE_NOT_FOUND; readable but not a participant (admin) → 403. Locks the message row so
   * a concurrent delete cannot leave the insert pointing at nothing.
   */
  private async loadReactable(em: EntityManager, actor: Actor, id: string): Promise<void> {
    const msg = await em.findOne(Message, { where: { id }, select: { id: true, conversationId: true } });
    if (!msg) throw new NotFoundError('MESSAGE_NOT_FOUND');
    const { facts } = await this.conversations.loadAccess(em, actor, msg.conversationId);
    if (!this.policy.can(actor, 'read', facts)) throw new NotFoundError('MESSAGE_NOT_FOUND');
    if (!this.policy.can(actor, 'post', facts)) {
      throw new ForbiddenError('MESSAGE_FORBIDDEN', 'Only participants may react to messages.');
    }
    const locked = await em.findOne(Message, {
      where: { id },
      select: { id: true },
      lock: { mode: 'for_key_share' },
    });
    if (!locked) throw new NotFoundError('MESSAGE_NOT_FOUND');
  }

  private assertEmoji(raw: string): string {
    const emoji = raw.normalize('NFC');
    const chars = [...emoji].length;
    if (chars < 1 || chars > MAX_EMOJI_CHARS || !EMOJI.test(emoji)) {
      throw new InvalidError('VALIDATION_FAILED', 'Not a valid emoji.', [
        { field: 'emoji', message: `emoji must be a single emoji of at most ${MAX_EMOJI_CHARS} characters` },
      ]);
    }
    return emoji;
  }
}
