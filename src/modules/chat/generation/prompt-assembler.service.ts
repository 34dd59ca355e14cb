import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Env } from '../../../common/config/env.js';
import { NotFoundError, UnprocessableError } from '../../../common/errors/app-error.js';
import type { LlmChatMessage } from '../../api-keys/llm/llm.types.js';
import { Bot } from '../../bots/entities/bot.entity.js';
import { User } from '../../identity/entities/user.entity.js';
import type { ActivationHit } from '../../knowledge/activation/activation-engine.js';
import { KnowledgeActivationService } from '../../knowledge/activation/knowledge-activation.service.js';
import { KnowledgeEntryVisibility, KnowledgePosition } from '../../knowledge/knowledge.enums.js';
import { substituteMacros } from '../../knowledge/knowledge-links.service.js';
import { MemoryRetrieval, type RetrievedMemory } from '../../memories/memory-retrieval.service.js';
import { Persona } from '../../personas/entities/persona.entity.js';
import { ParticipantKind, ParticipantRole } from '../chat.enums.js';
import { userDisplayName } from '../conversations.service.js';
import { ConversationParticipant } from '../entities/conversation-participant.entity.js';
import { Conversation } from '../entities/conversation.entity.js';
import { parseContextWindows, promptBudget, resolveContextWindow, sideBlockCap } from './context-window.js';
import { type DepthMessage, fitHistory, type HistoryRow, insertAtDepth, toPromptMessage } from './history-window.js';
import {
  cutAtSentence,
  fitMemories,
  HEADERS,
  joinBlocks,
  type LoreTexts,
  type MacroNames,
  type PromptBlock,
  personaSwitchLine,
  renderBotBlock,
  renderLore,
  renderMemories,
  renderParticipantsBlock,
  renderPersonaBlock,
  renderUserBlock,
} from './prompt-blocks.js';
import { messageTokens, PER_MESSAGE_TOKENS, PER_REQUEST_TOKENS, requestTokens, TokenCounter } from './token-counter.js';

export interface AssembleInput {
  conversationId: string;
  /** History = messages with seq < targetSeq. */
  targetSeq: number;
  /** The replying bot. */
  botId: string;
  requesterUserId: string;
  /** The key's context_window_tokens (null → LLM_MODEL_CONTEXT_WINDOWS match → 8192). */
  contextWindowTokens: number | null;
  model: string;
  maxTokens: number;
}

export interface AssembledPrompt {
  messages: LlmChatMessage[];
  estimatedTokens: number;
  budgetTokens: number;
  windowTokens: number;
  blocks: { name: string; tokens: number }[];
  droppedLore: { entry_id: string; reason: string }[];
  /** Memories injected (for use_count and memory_recalled events). */
  memoryIds: string[];
  personaId: string | null;
}

export interface AssembleOptions {
  /** Activation without log rows or counters (previews). */
  dryRun?: boolean;
  /** The provider accepts `name` on messages (api-keys.md §1 registry); default true. */
  supportsNameField?: boolean;
}

/** Parts a preview may have to hide from a caller who cannot read them. */
export interface Redaction {
  /** The bot's system_prompt and speech_examples (bots.md §1.4 definition_visibility). */
  definition: boolean;
  /** Lore entries whose collection or entry the caller cannot read. */
  loreEntryIds: ReadonlySet<string>;
  /** custom_instructions of a persona that is not the caller's. */
  personaInstructions: boolean;
}

export interface LoreRef {
  entryId: string;
  collectionId: string;
  visibility: KnowledgeEntryVisibility;
}

export interface AssembledDetails {
  prompt: AssembledPrompt;
  bot: Bot;
  persona: Persona | null;
  /** Included lore (system blocks and at_depth), for redaction checks. */
  lore: LoreRef[];
  /** Lore the activation left out, with reasons. */
  dropped: (LoreRef & { reason: string })[];
  /** The same messages with the given parts replaced by placeholders (token figures stay those of the real prompt). */
  redacted(r: Redaction): LlmChatMessage[];
}

const HISTORY_BATCH = 200;
/** The activation service scans at most this many recent messages (knowledge.md §4.1). */
const SCAN_MESSAGES = 20;
/** Block separators and rounding: kept free when sizing the optional blocks. */
const SLACK_TOKENS = 2;
const HIDDEN_DEFINITION = "[hidden: this bot's definition]";
const HIDDEN_LORE = '[hidden lore entry]';
const HIDDEN_TEXT = '[hidden]';

const LORE_IN_SYSTEM = [
  KnowledgePosition.SystemTop,
  KnowledgePosition.BeforeCharacter,
  KnowledgePosition.AfterCharacter,
  KnowledgePosition.BeforeExamples,
  KnowledgePosition.AfterExamples,
  KnowledgePosition.SystemBottom,
];
const BOT_ROLE_RANK = [ParticipantRole.Primary, ParticipantRole.Secondary, ParticipantRole.Moderator];

interface RawRow {
  seq: string;
  author_kind: 'user' | 'bot';
  author_user_id: string | null;
  bot_id: string | null;
  persona_id: string | null;
  author_name: string;
  content: string;
}

/**
 * Builds the messages of one reply (api-keys.md §6.3 with knowledge.md's placement, README decision 5): one system
 * message (preamble, system_top lore, bot block with its lore, persona, other participants, system_bottom lore,
 * memories, summary), then the history that fits the token budget, with at_depth lore inserted.
 *
 * Lore activation reads through its own connection (KnowledgeActivationService uses the data source); on the
 * embedded database (one connection) call this outside an open transaction.
 */
@Injectable()
export class PromptAssembler {
  private readonly windows: ReadonlyMap<string, number>;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly activation: KnowledgeActivationService,
    private readonly counter: TokenCounter,
    private readonly memories: MemoryRetrieval,
  ) {
    this.windows = parseContextWindows(this.config.get('LLM_MODEL_CONTEXT_WINDOWS', { infer: true }));
  }

  /** Throws UnprocessableError CONTEXT_TOO_LARGE when the mandatory blocks plus the newest user message do not fit. */
  async assemble(em: EntityManager, input: AssembleInput, options: AssembleOptions = {}): Promise<AssembledPrompt> {
    return (await this.assembleDetailed(em, input, options)).prompt;
  }

  async assembleDetailed(
    em: EntityManager,
    input: AssembleInput,
    options: AssembleOptions = {},
  ): Promise<AssembledDetails> {
    const count = (text: string) => this.counter.count(text, input.model);
    const msgTokens = (m: LlmChatMessage) => messageTokens(this.counter, m, input.model);
    const systemTokens = (text: string) => (text ? count(text) + PER_MESSAGE_TOKENS : 0);

    const conv = await em.findOneBy(Conversation, { id: input.conversationId });
    if (!conv) throw new NotFoundError('CONVERSATION_NOT_FOUND');
    const bot = await em.findOneBy(Bot, { id: input.botId });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const window = resolveContextWindow(input.contextWindowTokens, input.model, this.windows);
    const budget = promptBudget(window, input.maxTokens);

    // history candidates, oldest → newest (more are loaded below while they fit)
    let rows = await this.loadHistory(em, conv.id, input.targetSeq);
    let exhausted = rows.length < HISTORY_BATCH;
    const newestUser = [...rows].reverse().find((r) => r.authorKind === 'user') ?? null;

    const persona = await this.loadPersona(em, newestUser ? newestUser.personaId : conv.personaId);
    const user = persona ? null : await em.findOneBy(User, { id: newestUser?.authorUserId ?? input.requesterUserId });
    const names: MacroNames = {
      char: bot.name,
      user: persona?.name ?? (user ? userDisplayName(user) : 'User'),
    };
    const others = await this.otherBots(em, conv.id, bot.id);
    const toMessage = (r: HistoryRow) => toPromptMessage(r, bot.id, names, options.supportsNameField ?? true);

    // mandatory: preamble, bot, persona, participants, and the newest user message
    const preamble = this.config.get('CHAT_SYSTEM_PREAMBLE', { infer: true }) ?? '';
    const parts: SystemParts = {
      preamble,
      lore: {},
      bot,
      persona,
      user,
      switchLine: null,
      others,
      memories: [],
      summary: '',
      names,
    };
    const newestCost = newestUser ? msgTokens(toMessage(newestUser)) : 0;
    const mandatory = PER_REQUEST_TOKENS + systemTokens(composeSystem(parts, null).text) + newestCost;
    if (mandatory > budget) {
      throw new UnprocessableError(
        'CONTEXT_TOO_LARGE',
        `The bot, persona and newest message need about ${mandatory} tokens; the budget of this model is ${Math.max(0, budget)}.`,
      );
    }

    // lore: placed by position; its budget never takes what the mandatory part needs
    const knowledgeBudget = Math.max(0, Math.min(this.activation.defaultBudget(window), budget - mandatory));
    const activation = await this.activation.activate({
      bot_id: bot.id,
      persona_id: persona?.id ?? null,
      conversation_id: conv.id,
      message_seq: input.targetSeq,
      messages: rows.slice(-SCAN_MESSAGES).map((r) => ({ role: r.authorKind, text: r.content })),
      budget_tokens: knowledgeBudget,
      persona_description: persona?.description ?? null,
      dry_run: options.dryRun ?? false,
    });
    const hitsIn = (position: KnowledgePosition) => activation.byPosition[position] ?? [];
    parts.lore = Object.fromEntries(LORE_IN_SYSTEM.map((p) => [p, hitsIn(p)]));
    const depthHits = hitsIn(KnowledgePosition.AtDepth);
    const depthMessages = (hidden: ReadonlySet<string> | null): DepthMessage[] =>
      depthHits.map((h) => ({
        depth: h.entry.depth,
        message: { role: h.entry.depthRole, content: loreText(h, hidden, names) },
      }));
    const depthTokens = depthMessages(null).reduce((sum, d) => sum + msgTokens(d.message), 0);
    const fixed = () => PER_REQUEST_TOKENS + systemTokens(composeSystem(parts, null).text) + depthTokens + newestCost;

    // memories, then the summary: each ≤ min(10 % of the budget, 1000) and never more than is left
    const cap = sideBlockCap(budget);
    const memoryCap = Math.min(cap, budget - fixed() - SLACK_TOKENS);
    if (memoryCap > count(HEADERS.memories)) {
      const found = await this.memories.retrieve(em, {
        userId: input.requesterUserId,
        conversationId: conv.id,
        botId: bot.id,
        personaId: persona?.id ?? null,
        queryText: newestUser?.content ?? '',
        budgetTokens: memoryCap - count(HEADERS.memories) - 1,
      });
      parts.memories = fitMemories(found, memoryCap, count).kept;
    }
    const summaryCap = Math.min(cap, budget - fixed() - SLACK_TOKENS) - count(HEADERS.summary) - 1;
    if (conv.summary?.trim() && summaryCap > 0) parts.summary = cutAtSentence(conv.summary, summaryCap, count);

    // history gets the rest, newest backwards; the newest user message is always in
    let kept: number[] = [];
    const fit = async () => {
      for (;;) {
        const costs = rows.map((r) => msgTokens(toMessage(r)));
        kept = fitHistory(costs, budget - fixed(), newestUser ? rows.indexOf(newestUser) : null);
        if (exhausted || kept.length < rows.length) return;
        const older = await this.loadHistory(em, conv.id, rows[0]?.seq ?? input.targetSeq);
        exhausted = older.length < HISTORY_BATCH;
        rows = [...older, ...rows];
      }
    };
    await fit();

    // several personas of the same person in the window → one line in the persona block, then re-fit
    const personaUser = newestUser?.authorUserId ?? null;
    const spoken = new Map<string, string>();
    for (const i of kept) {
      const r = rows[i];
      if (r.authorKind === 'user' && r.personaId && r.authorUserId === personaUser)
        spoken.set(r.personaId, r.authorName);
    }
    if (spoken.size > 1) {
      parts.switchLine = personaSwitchLine([...spoken.values()]);
      await fit();
    }

    const system = composeSystem(parts, null);
    const history = kept.map((i) => toMessage(rows[i]));
    const messages = [
      { role: 'system' as const, content: system.text },
      ...insertAtDepth(history, depthMessages(null)),
    ];
    const historyTokens = history.reduce((sum, m) => sum + msgTokens(m), 0);

    const prompt: AssembledPrompt = {
      messages,
      estimatedTokens: requestTokens(this.counter, messages, input.model),
      budgetTokens: budget,
      windowTokens: window,
      blocks: [
        ...system.blocks
          .filter((b) => b.body.trim() !== '')
          .map((b) => ({ name: b.name, tokens: count(b.header ? `${b.header}\n${b.body}` : b.body) })),
        ...(depthTokens ? [{ name: 'knowledge_at_depth', tokens: depthTokens }] : []),
        { name: 'history', tokens: historyTokens },
      ],
      droppedLore: activation.excluded.map((x) => ({ entry_id: x.entry.id, reason: x.reason })),
      memoryIds: parts.memories.map((m) => m.id),
      personaId: persona?.id ?? null,
    };
    const included = [...Object.values(parts.lore).flat(), ...depthHits];
    return {
      prompt,
      bot,
      persona,
      lore: included.map((h) => loreRef(h)),
      dropped: activation.excluded.map((x) => ({ ...loreRef(x), reason: x.reason })),
      redacted: (r) => [
        { role: 'system', content: composeSystem(parts, r).text },
        ...insertAtDepth(history, depthMessages(r.loreEntryIds)),
      ],
    };
  }

  /** Up to HISTORY_BATCH prompt-eligible messages before `beforeSeq`, oldest → newest. */
  private async loadHistory(em: EntityManager, conversationId: string, beforeSeq: number): Promise<HistoryRow[]> {
    const raw: RawRow[] = await em.query(
      `SELECT m.seq, m.author_kind, m.author_user_id, m.bot_id, m.persona_id, m.author_name,
              COALESCE(a.content, m.content) AS content
         FROM messages m
         LEFT JOIN message_alternatives a ON a.id = m.active_alternative_id
        WHERE m.conversation_id = $1 AND m.seq < $2
          AND (m.author_kind = 'user' OR (m.author_kind = 'bot' AND m.generation_status = 'completed'))
        ORDER BY m.seq DESC
        LIMIT ${HISTORY_BATCH}`,
      [conversationId, beforeSeq],
    );
    return raw.reverse().map((r) => ({
      seq: Number(r.seq),
      authorKind: r.author_kind,
      authorUserId: r.author_user_id,
      botId: r.bot_id,
      personaId: r.persona_id,
      authorName: r.author_name,
      content: r.content,
    }));
  }

  private async loadPersona(em: EntityManager, id: string | null): Promise<Persona | null> {
    if (!id) return null;
    return em.findOne(Persona, { where: { id }, relations: { detailSections: true } });
  }

  /** The other active bots of the conversation, in reply order. */
  private async otherBots(em: EntityManager, conversationId: string, botId: string): Promise<Bot[]> {
    const parts = await em.find(ConversationParticipant, {
      where: { conversationId, participantKind: ParticipantKind.Bot, isActive: true },
      relations: { bot: true },
    });
    return parts
      .filter((p) => p.bot && p.botId !== botId)
      .sort(
        (a, b) =>
          BOT_ROLE_RANK.indexOf(a.role) - BOT_ROLE_RANK.indexOf(b.role) || a.joinedAt.getTime() - b.joinedAt.getTime(),
      )
      .map((p) => p.bot!);
  }
}

/** Everything the system message is made of, decided step by step above. */
interface SystemParts {
  preamble: string;
  lore: Partial<Record<KnowledgePosition, ActivationHit[]>>;
  bot: Bot;
  persona: Persona | null;
  user: User | null;
  switchLine: string | null;
  others: Bot[];
  memories: RetrievedMemory[];
  summary: string;
  names: MacroNames;
}

function loreRef(hit: Pick<ActivationHit, 'entry'>): LoreRef {
  return {
    entryId: hit.entry.id,
    collectionId: hit.entry.collectionId,
    visibility: hit.entry.visibility ?? KnowledgeEntryVisibility.Inherit,
  };
}

function loreText(hit: ActivationHit, hidden: ReadonlySet<string> | null, names: MacroNames): string {
  return hidden?.has(hit.entry.id) ? HIDDEN_LORE : substituteMacros(hit.content, names);
}

/** The system message and its named blocks; with a redaction, hidden parts become placeholders. */
function composeSystem(p: SystemParts, r: Redaction | null): { text: string; blocks: PromptBlock[] } {
  const lore: LoreTexts = Object.fromEntries(
    Object.entries(p.lore).map(([position, hits]) => [
      position,
      hits.map((h) => loreText(h, r?.loreEntryIds ?? null, p.names)),
    ]),
  );
  const bot = r?.definition ? { ...p.bot, systemPrompt: HIDDEN_DEFINITION, speechExamples: [] } : p.bot;
  const persona =
    p.persona && r?.personaInstructions && p.persona.customInstructions
      ? { ...p.persona, customInstructions: HIDDEN_TEXT }
      : p.persona;
  const personaBody = [
    persona ? renderPersonaBlock(persona, p.names) : p.user ? renderUserBlock(p.user, p.names) : '',
    p.switchLine ?? '',
  ]
    .filter(Boolean)
    .join('\n');
  const blocks: PromptBlock[] = [
    { name: 'preamble', header: '', body: substituteMacros(p.preamble, p.names) },
    { name: 'knowledge_top', header: '', body: renderLore(lore, KnowledgePosition.SystemTop, p.names) },
    { name: 'bot', header: HEADERS.bot, body: renderBotBlock(bot, lore, p.names) },
    { name: 'persona', header: HEADERS.persona, body: personaBody },
    {
      name: 'participants',
      header: HEADERS.participants,
      body: renderParticipantsBlock(p.others, p.bot.name, p.names),
    },
    {
      name: 'knowledge_bottom',
      header: HEADERS.knowledge,
      body: renderLore(lore, KnowledgePosition.SystemBottom, p.names),
    },
    { name: 'memories', header: HEADERS.memories, body: renderMemories(p.memories) },
    { name: 'summary', header: HEADERS.summary, body: substituteMacros(p.summary, p.names) },
  ];
  return { text: joinBlocks(blocks), blocks };
}
