/** Where a file's bytes are served (API_PREFIX of configure-app.ts, not imported to keep this module light). */
const CONTENT_BASE = '/api/v1/media';

/** Path of a file's bytes; other modules build `avatar_url` / `picture_url` with it. Null in, null out. */
export function mediaContentUrl(mediaId: string): string;
export function mediaContentUrl(mediaId: string | null | undefined): string | null;
export function mediaContentUrl(mediaId: string | null | undefined): string | null {
  return mediaId ? `${CONTENT_BASE}/${mediaId}/content` : null;
}
