import { validation } from '../../core/index.js';

/** List calls page by the last id seen; the token is opaque to clients (base64url) so its format may change. */
export function encodeToken(lastKey: string | undefined): string | undefined {
  return lastKey === undefined ? undefined : Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (!s || s.length > 2048) throw validation('nextToken is not a token this API returned.');
  return s;
}

/** Fetches one more than the page so the token is only returned when another page exists. */
export async function page<T>(maxResults: number | undefined, token: string | undefined, fetch: (limit: number, after?: string) => Promise<T[]>, keyOf: (t: T) => string) {
  const size = Math.min(Math.max(maxResults ?? 100, 1), 1000);
  const rows = await fetch(size + 1, decodeToken(token));
  const more = rows.length > size;
  const items = rows.slice(0, size);
  return { items, nextToken: more ? encodeToken(keyOf(items[items.length - 1]!)) : undefined };
}
