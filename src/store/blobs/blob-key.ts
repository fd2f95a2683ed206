import { validation } from '../../core/index.js';

export const MAX_BLOB_KEY_CHARS = 1024;
/** Most filesystems cap one name at 255 bytes; the temporary file's name adds 29 to the last segment. */
const MAX_SEGMENT_BYTES = 220;
/** Temporary files of interrupted writes end with this, so keys may not: a listing must never show one. */
export const TEMP_SUFFIX = '.quarry-partial';

/**
 * A key as `/`-separated segments, normalised (`a//./b` is `a/b`), or a clear error. Anything that could name a path
 * outside the store's root is refused rather than resolved: `..` anywhere, absolute paths, backslashes (a separator on
 * Windows), NUL and other control characters.
 */
export function blobKeySegments(key: unknown, what: 'key' | 'prefix' = 'key'): string[] {
  if (typeof key !== 'string') throw validation(`A blob ${what} must be a string`);
  if (key.length > MAX_BLOB_KEY_CHARS) throw validation(`A blob ${what} must be at most ${MAX_BLOB_KEY_CHARS} characters`);
  const shown = JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
  if (/\p{Cc}/u.test(key)) throw validation(`Blob ${what} ${shown} contains a control character`);
  if (key.includes('\\')) throw validation(`Blob ${what} ${shown} contains a backslash; use / to separate segments`);
  if (key.startsWith('/')) throw validation(`Blob ${what} ${shown} is absolute; keys are relative to the store`);
  const segments = key.split('/').filter((s) => s !== '' && s !== '.');
  for (const s of segments) {
    if (s === '..') throw validation(`Blob ${what} ${shown} contains "..", which could escape the store`);
    if (Buffer.byteLength(s) > MAX_SEGMENT_BYTES) throw validation(`Blob ${what} ${shown} has a segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  if (what === 'key') {
    if (!segments.length) throw validation(`Blob key ${shown} is empty`);
    if (key.endsWith('/')) throw validation(`Blob key ${shown} ends with /, so it names a folder, not a blob`);
    if (segments.at(-1)!.endsWith(TEMP_SUFFIX)) throw validation(`Blob key ${shown} ends with ${TEMP_SUFFIX}, which is reserved`);
  }
  return segments;
}
