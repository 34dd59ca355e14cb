import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { InvalidError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../common/errors/app-error.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';

/** The parts of an upload form, read fully into memory (the plugin caps a file at 10 MiB). */
export interface ParsedUpload {
  file: { bytes: Buffer; filename?: string; clientMimeType?: string } | null;
  /** Text fields by name (validated by the service against UploadMediaDto). */
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data upload with @fastify/multipart (`request.parts()`, so `alt_text` may come before or
 * after the file). HTTP-level problems become problem documents here: not multipart → 415, file over the plugin's
 * cap → 413 FILE_TOO_LARGE, a second file or a repeated field → 400.
 */
export async function readMultipartUpload(request: FastifyRequest): Promise<ParsedUpload> {
  if (!request.isMultipart()) {
    throw new UnsupportedMediaTypeError('MULTIPART_REQUIRED', 'Send the upload as multipart/form-data.');
  }
  const fields: Record<string, string> = {};
  const problems: { field: string; message: string }[] = [];
  let file: ParsedUpload['file'] = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const filePart = part as MultipartFile;
        const bytes = await filePart.toBuffer();
        if (filePart.fieldname !== 'file') {
          problems.push({ field: filePart.fieldname, message: `${filePart.fieldname} is not an accepted field` });
        } else if (file) {
          problems.push({ field: 'file', message: 'send exactly one file' });
        } else {
          file = { bytes, filename: filePart.filename, clientMimeType: filePart.mimetype };
        }
      } else {
        const field = part as MultipartValue;
        if (Object.hasOwn(fields, field.fieldname)) {
          problems.push({ field: field.fieldname, message: `${field.fieldname} must be sent once` });
        } else {
          fields[field.fieldname] = String(field.value ?? '');
        }
      }
    }
  } catch (err) {
    throw translateMultipartError(err);
  }
  if (problems.length) throw new ValidationFailedException(problems);
  return { file, fields };
}

function translateMultipartError(err: unknown): unknown {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLargeError('FILE_TOO_LARGE', 'The file exceeds the 10 MiB upload limit.');
    case 'FST_FILES_LIMIT':
      return new InvalidError('VALIDATION_FAILED', 'Send exactly one file.', [
        { field: 'file', message: 'send exactly one file' },
      ]);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new InvalidError('VALIDATION_FAILED', 'The form has too many fields.');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
      return new InvalidError('INVALID_MULTIPART', 'The multipart body is malformed.');
    default:
      if (err instanceof Error && /multipart|boundary|part terminated/i.test(err.message)) {
        return new InvalidError('INVALID_MULTIPART', 'The multipart body is malformed.');
      }
      return err;
  }
}
