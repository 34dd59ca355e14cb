import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { InvalidError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../common/errors/app-error.js';
import { ConversationResponseDto } from '../dto/chat-response.dto.js';
import { ChatJsonlService } from './chat-jsonl.service.js';
import { ExportChatQueryDto, ImportChatQueryDto } from './chat-jsonl.dto.js';

@ApiTags('chat')
@Controller('conversations')
export class ChatJsonlController {
  constructor(private readonly jsonl: ChatJsonlService) {}

  /**
   * Import a SillyTavern JSONL chat log (optional header line, then one line per message with name, is_user,
   * send_date, mes, swipes) as a new conversation with the bot `bot_id` (query). Send the log as multipart `file`
   * (≤ 10 MB, like card import) or as a `text/plain` body. 201 with the conversation; a bad line → 422 naming it and
   * nothing is created.
   */
  @Post('import')
  @ApiConsumes('multipart/form-data', 'text/plain')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        { type: 'string', description: 'The JSONL chat log' },
      ],
    },
  })
  @ApiCreatedResponse({ type: ConversationResponseDto })
  async import(
    @CurrentUser() actor: Actor,
    @Query() query: ImportChatQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ConversationResponseDto> {
    return this.jsonl.import(actor, query.bot_id, await readChatLog(request));
  }

  /** Export the conversation as a SillyTavern JSONL chat log (conversation owner only; anyone else → 404). */
  @Get(':id/export')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSONL: a header line, then one line per message.' })
  async export(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() _query: ExportChatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const out = await this.jsonl.export(actor, id);
    reply.header('content-type', 'application/x-ndjson; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${out.filename}"`);
    return out.body;
  }
}

/** The uploaded file (multipart `file`) or a text/plain body, as UTF-8 text. Oversized → 413; other types → 415. */
async function readChatLog(request: FastifyRequest): Promise<string> {
  if (request.isMultipart()) {
    let file: MultipartFile | undefined;
    try {
      file = await request.file();
      if (!file) {
        throw new InvalidError('VALIDATION_FAILED', 'Send the chat log as `file`.', [
          { field: 'file', message: 'file is required' },
        ]);
      }
      if (file.fieldname !== 'file') {
        throw new InvalidError('VALIDATION_FAILED', 'Send the chat log as `file`.', [
          { field: file.fieldname, message: `${file.fieldname} is not an accepted field` },
        ]);
      }
      return (await file.toBuffer()).toString('utf8');
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new PayloadTooLargeError('FILE_TOO_LARGE', 'A chat log file may be at most 10 MB.');
      }
      if (typeof code === 'string' && code.startsWith('FST_')) {
        throw new InvalidError('INVALID_MULTIPART', 'The multipart body is malformed.');
      }
      throw err;
    }
  }
  const type = String(request.headers['content-type'] ?? '');
  if (!/^text\/plain\b/i.test(type) || typeof request.body !== 'string') {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the chat log as multipart/form-data (`file`) or as a text/plain body.',
    );
  }
  return request.body;
}
