import { deflateSync, inflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import * as pngText from 'png-chunk-text';

/**
 * Character cards inside PNG files (interop.md §1): a text chunk with keyword `chara` (V2) or `ccv3` (V3) holding
 * base64 of UTF-8 JSON. Pure functions over buffers; problems are returned as {field, message} so the service can
 * answer 422 naming the chunk.
 */

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const MAX_CARD_PNG_DIMENSION = 4096;
const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);
/** An inflated text chunk may not grow beyond this (zip-bomb guard). */
const MAX_INFLATED_BYTES = 10 * 1024 * 1024;

export type PngChunk = { name: string; data: Uint8Array };
export type CardProblem = { field: string; message: string };

export class CardPngError extends Error {
  constructor(readonly problem: CardProblem) {
    super(problem.message);
  }
}

export const isPng = (bytes: Uint8Array): boolean =>
  bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE);

/**
 * Walks the chunk layout before the library reads it: every chunk must fit in the file (the library would read past
 * the end or allocate a declared multi-gigabyte length) and the file must end with IEND.
 */
function assertChunkLayout(bytes: Buffer): void {
  let offset = 8;
  let index = 0;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) {
      throw new CardPngError({ field: `file.chunks[${index}]`, message: 'truncated chunk header' });
    }
    const length = bytes.readUInt32BE(offset);
    const name = bytes.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(name)) {
      throw new CardPngError({ field: `file.chunks[${index}]`, message: 'invalid chunk type' });
    }
    if (offset + 12 + length > bytes.length) {
      throw new CardPngError({ field: `file.chunks[${index}]`, message: `${name} chunk is truncated` });
    }
    if (name === 'IEND') return;
    offset += 12 + length;
    index += 1;
  }
  throw new CardPngError({ field: `file.chunks[${index}]`, message: 'the PNG ends without an IEND chunk (truncated)' });
}

/** Splits a PNG into chunks; a bad signature, layout or CRC → CardPngError naming the chunk. */
export function readChunks(bytes: Buffer): PngChunk[] {
  if (!isPng(bytes)) throw new CardPngError({ field: 'file', message: 'not a PNG file' });
  assertChunkLayout(bytes);
  try {
    return extractChunks(bytes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const crc = /CRC values for (\S+) header/.exec(message);
    if (crc) throw new CardPngError({ field: `file.chunks.${crc[1]}`, message: `${crc[1]} chunk has a CRC mismatch` });
    throw new CardPngError({ field: 'file', message: `unreadable PNG: ${message}` });
  }
}

/** Width and height from IHDR. */
export function pngSize(chunks: PngChunk[]): { width: number; height: number } {
  const ihdr = chunks[0];
  if (!ihdr || ihdr.name !== 'IHDR' || ihdr.data.length < 8) {
    throw new CardPngError({ field: 'file.chunks.IHDR', message: 'IHDR chunk is missing or too short' });
  }
  const view = Buffer.from(ihdr.data.buffer, ihdr.data.byteOffset, ihdr.data.byteLength);
  return { width: view.readUInt32BE(0), height: view.readUInt32BE(4) };
}

function inflate(data: Uint8Array, chunk: string): string {
  try {
    return inflateSync(data, { maxOutputLength: MAX_INFLATED_BYTES }).toString('latin1');
  } catch {
    throw new CardPngError({ field: `file.chunks.${chunk}`, message: `${chunk} chunk cannot be decompressed` });
  }
}

/** Keyword and text of a tEXt, zTXt or iTXt chunk (the latter two are read too: interop.md §4). */
export function decodeTextChunk(chunk: PngChunk): { keyword: string; text: string } {
  const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  if (chunk.name === 'tEXt') return pngText.decode(chunk.data);
  const nul = data.indexOf(0);
  if (nul < 1)
    throw new CardPngError({ field: `file.chunks.${chunk.name}`, message: `${chunk.name} chunk has no keyword` });
  const keyword = data.toString('latin1', 0, nul);
  if (chunk.name === 'zTXt') return { keyword, text: inflate(data.subarray(nul + 2), 'zTXt') };
  // iTXt: keyword \0 flag method language \0 translated \0 text (UTF-8, compressed when flag = 1)
  const compressed = data[nul + 1] === 1;
  const langEnd = data.indexOf(0, nul + 3);
  const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
  if (transEnd < 0) throw new CardPngError({ field: 'file.chunks.iTXt', message: 'iTXt chunk is malformed' });
  const body = data.subarray(transEnd + 1);
  const text = compressed ? Buffer.from(inflate(body, 'iTXt'), 'latin1').toString('utf8') : body.toString('utf8');
  return { keyword, text };
}

/** The card JSON text in a PNG: `ccv3` wins over `chara` when both exist. */
export function cardTextFromChunks(chunks: PngChunk[]): { keyword: 'ccv3' | 'chara'; chunk: string; base64: string } {
  const found = new Map<string, { chunk: string; base64: string }>();
  for (const chunk of chunks) {
    if (!TEXT_CHUNKS.has(chunk.name)) continue;
    const { keyword, text } = decodeTextChunk(chunk);
    const key = keyword.toLowerCase();
    if ((key === 'ccv3' || key === 'chara') && !found.has(key)) found.set(key, { chunk: chunk.name, base64: text });
  }
  const hit = found.get('ccv3') ? ('ccv3' as const) : found.get('chara') ? ('chara' as const) : null;
  if (!hit) throw new CardPngError({ field: 'file', message: 'the PNG has no chara or ccv3 text chunk' });
  return { keyword: hit, ...found.get(hit)! };
}

/** Strict base64 → UTF-8 text (Node's decoder silently skips bad characters). */
export function decodeBase64Text(value: string, field: string): string {
  const compact = value.replace(/\s+/g, '');
  if (!compact.length || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new CardPngError({ field, message: 'not valid base64' });
  }
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CardPngError({ field, message: 'the decoded text is not valid UTF-8' });
  }
  return text;
}

/** The image without any text chunks (interop.md §2: the picture is stored without the card). */
export function stripTextChunks(chunks: PngChunk[]): Buffer {
  return Buffer.from(encodeChunks(chunks.filter((c) => !TEXT_CHUNKS.has(c.name))));
}

/** Writes the card chunks (base64 JSON in tEXt) before IEND of the given image, replacing existing text chunks. */
export function writeCardPng(image: Buffer, cards: { chara?: unknown; ccv3?: unknown }): Buffer {
  const chunks = extractChunks(image).filter((c) => !TEXT_CHUNKS.has(c.name));
  const end = chunks.findIndex((c) => c.name === 'IEND');
  const text: PngChunk[] = [];
  for (const keyword of ['chara', 'ccv3'] as const) {
    if (cards[keyword] === undefined) continue;
    text.push(pngText.encode(keyword, Buffer.from(JSON.stringify(cards[keyword]), 'utf8').toString('base64')));
  }
  chunks.splice(end < 0 ? chunks.length : end, 0, ...text);
  return Buffer.from(encodeChunks(chunks));
}

function crcChunk(name: string, data: Buffer): PngChunk {
  return { name, data: new Uint8Array(data) };
}

let placeholder: Buffer | undefined;

/** A plain 400×600 grey PNG for bots without a PNG picture. */
export function placeholderPng(): Buffer {
  if (placeholder) return placeholder;
  const width = 400;
  const height = 600;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Buffer.alloc(width + 1, 0xc8);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  placeholder = Buffer.from(
    encodeChunks([crcChunk('IHDR', ihdr), crcChunk('IDAT', deflateSync(raw)), crcChunk('IEND', Buffer.alloc(0))]),
  );
  return placeholder;
}
