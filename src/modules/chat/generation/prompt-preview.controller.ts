import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { PromptPreviewQueryDto, PromptPreviewResponseDto } from './dto/prompt-preview.dto.js';
import { PromptPreviewService } from './prompt-preview.service.js';

@ApiTags('chat')
@Controller('conversations')
export class PromptPreviewController {
  constructor(private readonly previews: PromptPreviewService) {}

  /**
   * The prompt the next reply of a bot would send (participants who may post): messages, token budget per block,
   * lore left out with reasons, memories used. Nothing is stored.
   */
  @Get(':id/prompt-preview')
  @ApiOkResponse({ type: PromptPreviewResponseDto })
  preview(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PromptPreviewQueryDto,
  ): Promise<PromptPreviewResponseDto> {
    return this.previews.preview(actor, id, query);
  }
}
