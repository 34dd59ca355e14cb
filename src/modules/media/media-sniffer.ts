import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { MediaKind } from './entities/media.entity.js';

/** Byte caps per kind (identity.md §2); the HTTP layer caps every file at 10 MiB before this runs. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MIN_IMAGE_DIMENSION = 50;
export const MAX_IMAGE_DIMENSION = 6000;

export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const DOCUMENT_MIME_TYPES = [
  'application/pdf',
  'text/plain',
  'text/markdown',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

export type AllowedMimeType = (typeof IMAGE_MIME_TYPES)[number] | (typeof DOCUMENT_MIME_TYPES)[number];

const EXTENSION: Record<AllowedMimeType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** Signature-detected types that are an allowed type under another name (an animated PNG is a PNG). */
const ALIASES: Record<string, AllowedMimeType> = { 'image/apng': 'image/png' };

export type SniffResult =
  | { ok: true; kind: MediaKind; mimeType: AllowedMimeType; extension: string }
  | { ok: false; reason: 'svg' | 'not_allowed'; detected: string | null };

/**
 * Decides the type of an upload from its bytes alone. Binary formats come from their magic numbers (file-type);
 * a file without a signature is a text document only if it is valid UTF-8 without control characters, and never
 * when it looks like SVG, XML or HTML markup. The client's file name is consulted only to tell Markdown from plain
 * text once the bytes are known to be text, and the client's type and name may only ever make the answer "refused".
 */
export async function sniffMediaType(
  bytes: Uint8Array,
  clientHints: { filename?: string; mimeType?: string } = {},
): Promise<SniffResult> {
  if (looksLikeSvgHint(clientHints)) return { ok: false, reason: 'svg', detected: clientHints.mimeType ?? null };
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const mime = ALIASES[detected.mime] ?? detected.mime;
    if (isImageMime(mime)) return { ok: true, kind: MediaKind.Image, mimeType: mime, extension: EXTENSION[mime] };
    if (isDocumentMime(mime)) return { ok: true, kind: MediaKind.Document, mimeType: mime, extension: EXTENSION[mime] };
    if (detected.mime === 'application/xml' || detected.ext === 'xml') {
      return { ok: false, reason: looksLikeSvg(bytes) ? 'svg' : 'not_allowed', detected: detected.mime };
    }
    return { ok: false, reason: 'not_allowed', detected: detected.mime };
  }
  const text = decodeText(bytes);
  if (text === null) return { ok: false, reason: 'not_allowed', detected: null };
  if (isMarkup(text)) return { ok: false, reason: looksLikeSvg(bytes) ? 'svg' : 'not_allowed', detected: 'text/xml' };
  const mime: AllowedMimeType = /\.(md|markdown)$/i.test(clientHints.filename ?? '') ? 'text/markdown' : 'text/plain';
  return { ok: true, kind: MediaKind.Document, mimeType: mime, extension: EXTENSION[mime] };
}

export function isImageMime(mime: string): mime is (typeof IMAGE_MIME_TYPES)[number] {
  return (IMAGE_MIME_TYPES as readonly string[]).includes(mime);
}

export function isDocumentMime(mime: string): mime is (typeof DOCUMENT_MIME_TYPES)[number] {
  return (DOCUMENT_MIME_TYPES as readonly string[]).includes(mime);
}

export function maxBytesFor(kind: MediaKind): number {
  return kind === MediaKind.Image ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
}

/** Pixel size of an image, or null when the bytes cannot be parsed as one. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(bytes);
    if (!Number.isInteger(width) || !Number.isInteger(height)) return null;
    return { width, height };
  } catch {
    return null;
  }
}

export function dimensionsInRange(dims: { width: number; height: number }): boolean {
  return [dims.width, dims.height].every((d) => d >= MIN_IMAGE_DIMENSION && d <= MAX_IMAGE_DIMENSION);
}

/**
 * The client's file name made safe to store and to echo in Content-Disposition: the last path segment only,
 * without control, bidi-override or zero-width characters, trimmed, at most 255 characters.
 */
export function sanitizeFilename(raw: string | undefined, fallbackExtension?: string): string {
  const fallback = fallbackExtension ? `upload.${fallbackExtension}` : 'upload';
  if (!raw) return fallback;
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    // C0/C1 controls, bidi overrides and isolates, zero-width characters, BOM
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim();
  if (!cleaned || cleaned === '.' || cleaned === '..') return fallback;
  const chars = Array.from(cleaned);
  return chars.length > 255 ? chars.slice(0, 255).join('') : cleaned;
}

/** Extension used for the storage key; the key never contains client-supplied text. */
export function extensionFor(mime: AllowedMimeType): string {
  return EXTENSION[mime];
}

function looksLikeSvgHint(hints: { filename?: string; mimeType?: string }): boolean {
  return /svg/i.test(hints.mimeType ?? '') || /\.svgz?$/i.test(hints.filename ?? '');
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  return /<svg[\s>]/i.test(head) || /<!doctype\s+svg/i.test(head);
}

/** Markup served back could be rendered by a browser that ignores nosniff; none of it is an allowed type. */
function isMarkup(text: string): boolean {
  const start = text
    .replace(/^\ufeff/, '')
    .trimStart()
    .slice(0, 512)
    .toLowerCase();
  return (
    /^<(\?xml|svg|!doctype|html|head|body|script|iframe|object|embed)[\s>/]/.test(start) || /<svg[\s>]/.test(start)
  );
}

/** UTF-8 text without NUL or other control characters (tab, newlines and form feed allowed), or null. */
function decodeText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return null;
  return text;
}
