import { deflateSync } from 'node:zlib';
import { MediaKind } from './entities/media.entity.js';
import { dimensionsInRange, imageDimensions, sanitizeFilename, sniffMediaType } from './media-sniffer.js';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = Buffer.alloc((width + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('sniffMediaType', () => {
  it('trusts the bytes, not the name or the claimed type', async () => {
    await expect(sniffMediaType(png(60, 60), { filename: 'x.pdf', mimeType: 'application/pdf' })).resolves.toEqual({
      ok: true,
      kind: MediaKind.Image,
      mimeType: 'image/png',
      extension: 'png',
    });
  });

  it('recognises PDF, plain text and Markdown documents', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    await expect(sniffMediaType(pdf, { filename: 'a.txt' })).resolves.toMatchObject({
      ok: true,
      kind: MediaKind.Document,
      mimeType: 'application/pdf',
    });
    await expect(sniffMediaType(Buffer.from('# Notes\n\nhello'), { filename: 'n.md' })).resolves.toMatchObject({
      mimeType: 'text/markdown',
    });
    await expect(sniffMediaType(Buffer.from('hello\tworld\r\n'), { filename: 'n.png' })).resolves.toMatchObject({
      mimeType: 'text/plain',
    });
  });

  it.each([
    ['bare svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>', {}],
    ['xml-declared svg', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', {}],
    ['svg with a BOM and spaces', '\ufeff  \n<svg width="1"></svg>', {}],
    ['plain text named .svg', 'hello', { filename: 'logo.svg' }],
    ['text claimed as svg', 'hello', { mimeType: 'image/svg+xml' }],
  ])('refuses SVG (%s)', async (_label, body, hints) => {
    await expect(sniffMediaType(Buffer.from(body), hints)).resolves.toMatchObject({ ok: false, reason: 'svg' });
  });

  it.each([
    ['html', '<!DOCTYPE html><html><script>alert(1)</script></html>'],
    ['binary junk', Buffer.from([0, 1, 2, 3, 4, 5, 255, 254])],
    ['a zip archive', Buffer.from('504b030414000000080000000000', 'hex')],
    ['a gzip stream', Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3])],
    ['invalid utf-8', Buffer.from([0x68, 0x69, 0xc3, 0x28])],
  ])('refuses %s', async (_label, body) => {
    await expect(sniffMediaType(Buffer.from(body))).resolves.toMatchObject({ ok: false, reason: 'not_allowed' });
  });
});

describe('imageDimensions', () => {
  it('reads a PNG size and checks the 50–6000 px range', () => {
    expect(imageDimensions(png(40, 70))).toEqual({ width: 40, height: 70 });
    expect(dimensionsInRange({ width: 40, height: 70 })).toBe(false);
    expect(dimensionsInRange({ width: 50, height: 6000 })).toBe(true);
    expect(dimensionsInRange({ width: 6001, height: 100 })).toBe(false);
  });
  it('returns null for bytes that are not an image', () => {
    expect(imageDimensions(Buffer.from('nope'))).toBeNull();
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\photo.png', 'photo.png'],
    ['evil\u202egnp.exe', 'evilgnp.exe'],
    ['a\u0000b\nc.txt', 'abc.txt'],
    ['  spaced.md  ', 'spaced.md'],
    ['..', 'upload.png'],
    ['', 'upload.png'],
    [undefined, 'upload.png'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFilename(raw, 'png')).toBe(expected);
  });
  it('keeps at most 255 characters', () => {
    expect(Array.from(sanitizeFilename(`${'é'.repeat(300)}.txt`))).toHaveLength(255);
  });
});
