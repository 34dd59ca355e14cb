import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import { shareable } from '../../../common/access/access-level.js';
import { AccessResourceType } from '../../../common/access/access.enums.js';
import { AccessPolicy } from '../../../common/access/access.policy.js';
import type { Actor } from '../../../common/auth/actor.js';
import { ConflictError } from '../../../common/errors/app-error.js';
import { PROVIDERS } from '../../api-keys/providers.js';
import { canReadDefinition } from '../../bots/dto/bot-response.dto.js';
import { KnowledgeCollection } from '../../knowledge/entities/knowledge-collection.entity.js';
import { KnowledgeCollectionPolicy } from '../../knowledge/knowledge-collection.policy.js';
import { asShareable } from '../../knowledge/knowledge-collections.service.js';
import { ParticipantKind, ParticipantRole } from '../chat.enums.js';
import { ConversationPolicy } from '../conversation.policy.js';
import { ConversationsService } from '../conversations.service.js';
import { ConversationParticipant } from '../entities/conversation-participant.entity.js';
import type { PromptPreviewQueryDto, PromptPreviewResponseDto } from './dto/prompt-preview.dto.js';
import { GenerationService } from './generation.service.js';
import { KeyResolver } from './key-resolver.service.js';
import { type LoreRef, PromptAssembler } from './prompt-assembler.service.js';

/**
 * GET /conversations/:id/prompt-preview: what the next reply of a bot would send, built by the same assembler with
 * a dry-run activation (no log rows, no counters). Parts the caller may not read elsewhere — a hidden bot
 * definition, lore from books they cannot read, another member's persona instructions — become placeholders; the
 * token figures stay those of the real prompt.
 */
@Injectable()
export class PromptPreviewService {
  private readonly lorePolicy = new KnowledgeCollectionPolicy();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: ConversationsService,
    private readonly policy: ConversationPolicy,
    private readonly access: AccessPolicy,
    private readonly keys: KeyResolver,
    private readonly generation: GenerationService,
    private readonly assembler: PromptAssembler,
  ) {}

  async preview(actor: Actor, conversationId: string, query: PromptPreviewQueryDto): Promise<PromptPreviewResponseDto> {
    const em = this.dataSource.manager;
    const { conv, facts } = await this.conversations.loadAccess(em, actor, conversationId);
    this.policy.assert(actor, 'post', facts);
    const botId = query.bot_id ?? (await this.primaryBotId(conv.id));
    const bot = await this.generation.assertBotAvailable(em, actor, conv.id, botId);
    const resolved = await this.keys.resolve(em, actor, conv, { api_key_id: query.api_key_id, model: query.model });
    const targetSeq = conv.lastMessageSeq + 1;
    const details = await this.assembler.assembleDetailed(
      em,
      {
        conversationId: conv.id,
        targetSeq,
        botId: bot.id,
        requesterUserId: actor.id,
        contextWindowTokens: resolved.key.contextWindowTokens,
        model: resolved.model,
        maxTokens: resolved.maxTokens,
      },
      { dryRun: true, supportsNameField: PROVIDERS[resolved.key.provider].supportsNameField },
    );
    const { prompt } = details;
    const unreadable = await this.unreadableLore(actor, [...details.lore, ...details.dropped]);
    const botLevel = await this.access.levelFor(actor, shareable(AccessResourceType.Bot, details.bot), em);
    const messages = details.redacted({
      definition: !canReadDefinition(details.bot, botLevel),
      loreEntryIds: unreadable,
      personaInstructions: !!details.persona && details.persona.ownerId !== actor.id,
    });
    return {
      model: resolved.model,
      window_tokens: prompt.windowTokens,
      budget_tokens: prompt.budgetTokens,
      estimated_tokens: prompt.estimatedTokens,
      target_seq: targetSeq,
      messages: messages.map((m) => ({ role: m.role, content: m.content, ...(m.name ? { name: m.name } : {}) })),
      blocks: prompt.blocks,
      dropped_lore: details.dropped.map((d) => {
        const hidden = unreadable.has(d.entryId);
        return { entry_id: hidden ? null : d.entryId, reason: d.reason, hidden };
      }),
      memory_ids: prompt.memoryIds,
    };
  }

  /** The primary active bot (any active bot when none is primary); none → 409 BOT_UNAVAILABLE. */
  private async primaryBotId(conversationId: string): Promise<string> {
    const parts = await this.dataSource.manager.find(ConversationParticipant, {
      where: { conversationId, participantKind: ParticipantKind.Bot, isActive: true },
      order: { joinedAt: 'ASC', id: 'ASC' },
    });
    const part = parts.find((p) => p.role === ParticipantRole.Primary) ?? parts[0];
    if (!part?.botId) throw new ConflictError('BOT_UNAVAILABLE', 'No bot takes part in this conversation.');
    return part.botId;
  }

  /** Entries whose lore book (or editors-only entry) the caller cannot read (knowledge.md §2.3). */
  private async unreadableLore(actor: Actor, refs: LoreRef[]): Promise<Set<string>> {
    const ids = [...new Set(refs.map((r) => r.collectionId))];
    if (!ids.length) return new Set();
    const collections = await this.dataSource.getRepository(KnowledgeCollection).findBy({ id: In(ids) });
    const levels = await this.access.levelsFor(actor, collections.map(asShareable));
    const byId = new Map(collections.map((c) => [c.id, c]));
    return new Set(
      refs
        .filter((r) => {
          const c = byId.get(r.collectionId);
          return !c || !this.lorePolicy.canReadEntry(actor, r, c, levels.get(c.id) ?? null);
        })
        .map((r) => r.entryId),
    );
  }
}
