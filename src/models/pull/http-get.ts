import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, request } from 'undici';
import { QuarryError } from '../../core/errors.js';
import { expectedSha256 } from './expected-sha256.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export interface HttpGetResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  /** URL of the final hop, after redirects. */
  url: URL;
  /** A sha256 stated by any hop (the Hub states it on the redirect, not on the CDN's answer). */
  statedSha256?: string;
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  /** Sent only while the request stays on this origin, so a token never leaks to a CDN or another host. */
  auth?: { origin: string; token: string };
  /** Whether a 64-hex `etag` may be read as the sha256 (true for the Hub). */
  trustPlainEtag: boolean;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
}

/**
 * GET that follows redirects by hand: undici's automatic redirects would hide the headers of the first hop, where the
 * Hub states the file's sha256, and would forward Authorization across origins.
 */
export async function httpGet(start: URL, opts: HttpGetOptions): Promise<HttpGetResponse> {
  let url = start;
  let statedSha256: string | undefined;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.auth && url.origin === opts.auth.origin) headers.authorization = `Bearer ${opts.auth.token}`;
    const res = await request(url, { method: 'GET', headers, dispatcher: opts.dispatcher, signal: opts.signal });
    statedSha256 ??= expectedSha256(res.headers, opts.trustPlainEtag);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode) || !location) {
      return { statusCode: res.statusCode, headers: res.headers, body: res.body, url, statedSha256 };
    }
    await res.body.dump();
    if (hop >= MAX_REDIRECTS) {
      throw new QuarryError('ServiceUnavailableException', `${start.host} redirected more than ${MAX_REDIRECTS} times; check the URL.`);
    }
    url = new URL(Array.isArray(location) ? location[0] : location, url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new QuarryError('ServiceUnavailableException', `${start.host} redirected to a ${url.protocol} URL, which cannot be downloaded.`);
    }
  }
}
