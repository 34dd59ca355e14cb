import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { RegenerateMessageDto } from './generation.dto.js';

/** `api_key_id` and `model` as a reply would take them (api-keys.md §6.1), plus the bot to preview. */
export class PromptPreviewQueryDto extends RegenerateMessageDto {
  /** The bot whose next reply to preview (default: the primary bot). */
  @IsOptional() @IsUUID() bot_id?: string;
}

export class PromptMessageDto {
  @ApiProperty({ enum: ['system', 'user', 'assistant'] })
  role!: 'system' | 'user' | 'assistant';
  /** Text sent; parts you may not read (a hidden bot definition, lore you cannot read) appear as placeholders. */
  content!: string;
  /** Sanitised speaker name of user messages. */
  name?: string;
}

export class PromptBlockDto {
  /** preamble, knowledge_top, bot, persona, participants, knowledge_bottom, memories, summary, knowledge_at_depth, history. */
  name!: string;
  /** Estimated tokens of the block. */
  tokens!: number;
}

export class DroppedLoreDto {
  /** Null when the entry belongs to a lore book you cannot read. */
  entry_id!: string | null;
  /** budget_exceeded, cooldown_active, probability_failed, group_lost, filter_excluded or delay_not_met. */
  reason!: string;
  /** The entry is in a lore book you cannot read. */
  hidden!: boolean;
}

/** What the next reply of the bot would send to the provider, with its token accounting (api-keys.md §6.3). */
export class PromptPreviewResponseDto {
  model!: string;
  /** Context window of the model (key setting, LLM_MODEL_CONTEXT_WINDOWS or 8192). */
  window_tokens!: number;
  /** window − max_tokens − 5 % of the window. */
  budget_tokens!: number;
  /** Estimate of the whole request (ceil(chars/4) per text + 4 per message + 3). */
  estimated_tokens!: number;
  /** The seq the reply would get. */
  target_seq!: number;
  messages!: PromptMessageDto[];
  blocks!: PromptBlockDto[];
  dropped_lore!: DroppedLoreDto[];
  /** Memories the prompt contains. */
  memory_ids!: string[];
}
