import type { IncomingHttpHeaders } from 'node:http';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function unquote(v: string | undefined): string | undefined {
  if (!v || v.startsWith('W/')) return undefined; // a weak tag says "equivalent", never "these exact bytes"
  return v.replace(/^"|"$/g, '').toLowerCase();
}

/**
 * The sha256 a server states for the body, if any. The Hub puts an LFS file's sha256 in `x-linked-etag` on the
 * `/resolve/` redirect (the CDN behind it answers with its own tags), and in `etag` when it serves the file itself.
 * A plain `etag` is trusted only from the Hub: other servers use arbitrary 64-hex tags that are not content hashes.
 */
export function expectedSha256(headers: IncomingHttpHeaders, trustPlainEtag: boolean): string | undefined {
  const linked = unquote(header(headers, 'x-linked-etag'));
  if (linked && SHA256_HEX.test(linked)) return linked;
  if (!trustPlainEtag) return undefined;
  const etag = unquote(header(headers, 'etag'));
  return etag && SHA256_HEX.test(etag) ? etag : undefined;
}
