import { createHash, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Media, MediaKind } from '../../src/modules/media/entities/media.entity.js';
import { StorageDriver } from '../../src/modules/media/storage/storage-driver.js';
import type { TestApp } from '../setup/test-app.js';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid greyscale PNG of the given size (a few hundred bytes), built in memory. */
export function pngBytes(width = 64, height = 64, shade = 128): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const row = Buffer.alloc(width + 1, shade);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** JPEG magic bytes padded to `size` bytes: sniffed as image/jpeg, used to test size caps (never decoded). */
export function paddedJpegBytes(size: number): Buffer {
  const buf = Buffer.alloc(size);
  buf.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  return buf;
}

/** A minimal PDF (sniffed as application/pdf). */
export function pdfBytes(text = 'hello'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<<>>\n%%EOF\n`);
}

/** An in-memory media row (nothing saved, no stored object). */
export function buildMedia(overrides: Partial<Media> & { ownerId: string }): Media {
  const bytes = pngBytes();
  return Object.assign(new Media(), {
    kind: MediaKind.Image,
    mimeType: 'image/png',
    sizeBytes: bytes.length,
    width: 64,
    height: 64,
    originalFilename: 'picture.png',
    storageKey: `${overrides.ownerId}/${randomUUID()}.png`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    altText: 'a grey square',
    ...overrides,
  });
}

/**
 * Saves a media row, and by default stores its bytes too (a 64×64 PNG for images, a small PDF for documents),
 * so `/media/{id}/content` works. Other modules' tests use it to get an image to reference.
 */
export async function createMedia(
  ctx: TestApp,
  overrides: Partial<Media> & { ownerId: string },
  options: { store?: boolean } = {},
): Promise<Media> {
  const media = buildMedia(overrides);
  const bytes = media.kind === MediaKind.Document ? pdfBytes() : pngBytes(media.width ?? 64, media.height ?? 64);
  if (media.kind === MediaKind.Document) {
    Object.assign(media, {
      mimeType: overrides.mimeType ?? 'application/pdf',
      width: null,
      height: null,
      altText: overrides.altText ?? null,
      originalFilename: overrides.originalFilename ?? 'notes.pdf',
      storageKey: overrides.storageKey ?? media.storageKey.replace(/\.png$/, '.pdf'),
    });
  }
  media.sizeBytes = overrides.sizeBytes ?? bytes.length;
  media.sha256 = overrides.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  if (options.store ?? true) await ctx.app.get(StorageDriver).put(media.storageKey, bytes, media.mimeType);
  return ctx.ds.getRepository(Media).save(media);
}
