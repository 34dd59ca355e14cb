import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { MessageResponseDto } from './dto/chat-response.dto.js';
import { MessageAlternativeResponseDto, SelectAlternativeDto } from './dto/message-alternative.dto.js';
import { MessageAlternativesService } from './message-alternatives.service.js';

@ApiTags('chat')
@Controller('messages')
export class MessageAlternativesController {
  constructor(private readonly alternatives: MessageAlternativesService) {}

  /** Every alternative ("swipe") of a message you can read, ordered by position. */
  @Get(':id/alternatives')
  @ApiOkResponse({ type: [MessageAlternativeResponseDto] })
  list(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MessageAlternativeResponseDto[]> {
    return this.alternatives.list(actor, id);
  }

  /** Show another completed alternative (conversation owner or the reply's requester); returns the message. */
  @Put(':id/active-alternative')
  @ApiOkResponse({ type: MessageResponseDto })
  select(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SelectAlternativeDto,
  ): Promise<MessageResponseDto> {
    return this.alternatives.select(actor, id, dto);
  }
}
