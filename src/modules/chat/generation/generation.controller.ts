import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { MessageResponseDto } from '../dto/chat-response.dto.js';
import { RegenerateMessageDto, RegenerateResponseDto } from './dto/generation.dto.js';
import { GenerationStreamService } from './generation-stream.service.js';
import { GenerationService, requestMeta } from './generation.service.js';
import { SSE_HEADERS, SseWriter } from './sse-writer.js';

@ApiTags('chat')
@Controller('messages')
export class GenerationController {
  constructor(
    private readonly generation: GenerationService,
    private readonly streams: GenerationStreamService,
  ) {}

  /** Queue a new alternative of a generated bot reply; open `stream_path` to generate it. */
  @Post(':id/regenerate')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RegenerateResponseDto })
  async regenerate(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RegenerateMessageDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegenerateResponseDto> {
    const { body, headers } = await this.generation.regenerate(actor, id, dto, requestMeta(req));
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    return body;
  }

  /**
   * Server-sent events of a reply's generation (start, fallback, reasoning, delta, done | error; `: ping` every
   * 15 s). A queued reply is generated now; a finished one is replayed. Leaving does not stop the generation.
   */
  @Get(':id/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream (api-keys.md §6.5)' })
  async stream(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // every pre-stream check answers as an ordinary problem+json response
    const session = await this.streams.open(actor, id);
    reply.hijack();
    const headers: Record<string, string> = { ...SSE_HEADERS };
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined && !(name.toLowerCase() in headers)) headers[name] = String(value);
    }
    headers['x-correlation-id'] = String(reply.request.id);
    reply.raw.writeHead(200, headers);
    reply.raw.flushHeaders?.();
    await session.run(new SseWriter(reply.raw));
  }

  /** Stop an open generation: cancelled, partial text kept. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageResponseDto })
  cancel(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MessageResponseDto> {
    return this.generation.cancel(actor, id);
  }
}
