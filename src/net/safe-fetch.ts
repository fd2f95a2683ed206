import { isIP } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';
import { blockedAddressReason } from './address-policy.js';
import { BlockedAddressError } from './blocked-address-error.js';
import { FetchLimitError } from './fetch-limit-error.js';
import { guardedLookup } from './guarded-lookup.js';
import { HostAllowList } from './host-allow-list.js';
import { type ResolveHost, systemResolveHost } from './resolve-host.js';
import { SafeResponse } from './safe-response.js';

export interface SafeFetchLimits {
  /** Hosts (`host` or `host:port`) that skip the address check: how a user allows an internal service on purpose. */
  allowHosts?: readonly string[];
  /** Response body cap; a longer body fails with FetchLimitError rather than being cut silently. */
  maxBytes?: number;
  /** Whole-fetch deadline, redirects and body included. */
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface SafeFetchPolicy extends SafeFetchLimits {
  /** DNS for tests; the system resolver (getaddrinfo, all addresses) by default. */
  resolve?: ResolveHost;
}

export interface SafeFetchInit extends SafeFetchLimits {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** 'follow' (default) re-checks every hop; 'manual' returns the 3xx itself; 'error' refuses any redirect. */
  redirect?: 'follow' | 'manual' | 'error';
}

export interface SafeFetch {
  (input: string | URL, init?: SafeFetchInit): Promise<SafeResponse>;
  /** Closes the pooled connections (tests, shutdown). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Credentials meant for one origin must not follow a redirect to another (what browsers and undici's fetch do).
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * A fetch for URLs that users (or models) choose: http(s) only, every host resolved and refused when any address is
 * loopback, private, link-local (cloud metadata), CGNAT, unique-local, multicast or unspecified — IPv4-mapped forms
 * included — unless the host is in `allowHosts`. The socket connects to the very addresses that were checked, so
 * DNS rebinding cannot swap them; redirects are followed by hand and each hop is checked again. Bodies are capped
 * and the whole exchange has a deadline.
 */
export function createSafeFetch(policy: SafeFetchPolicy = {}): SafeFetch {
  const resolve = policy.resolve ?? systemResolveHost;
  let guarded: Agent | undefined;
  let open: Agent | undefined;
  const dispatcher = (check: boolean): Dispatcher => {
    if (check) {
      guarded ??= new Agent({ connect: { lookup: guardedLookup(resolve, true) } });
      return guarded;
    }
    open ??= new Agent({ connect: { lookup: guardedLookup(resolve, false) } });
    return open;
  };

  const safeFetch = async (input: string | URL, init: SafeFetchInit = {}): Promise<SafeResponse> => {
    const maxBytes = init.maxBytes ?? policy.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = init.timeoutMs ?? policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxRedirects = init.maxRedirects ?? policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const allow = new HostAllowList([...(policy.allowHosts ?? []), ...(init.allowHosts ?? [])]);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;

    let url = new URL(input);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    try {
      for (let hop = 0; ; hop++) {
        const check = !allow.allows(url);
        refuseUnsafeUrl(url, check);
        const res = await request(url, { method, headers: toRecord(headers), body, signal, dispatcher: dispatcher(check) });
        const location = REDIRECTS.has(res.statusCode) ? headerValue(res.headers.location) : undefined;
        if (location === undefined || init.redirect === 'manual') {
          const bytes = await readCapped(res, maxBytes, url);
          return new SafeResponse(url.href, res.statusCode, res.statusText ?? '', toHeaders(res.headers), bytes, hop > 0);
        }
        // A redirect's body is a courtesy page; read a little of it so the connection can be reused, then drop it.
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        if (init.redirect === 'error') throw new FetchLimitError('redirects', `${url.href} redirects to ${location}, and redirects are refused here`);
        if (hop >= maxRedirects) throw new FetchLimitError('redirects', `${input} redirected more than ${maxRedirects} times`);
        const next = new URL(location, url);
        // 303 always, and 301/302 after a POST, turn into a GET without a body (what every client does).
        if ((res.statusCode === 303 && method !== 'HEAD') || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers.delete('content-type');
          headers.delete('content-length');
        }
        if (next.origin !== url.origin) for (const h of ORIGIN_BOUND_HEADERS) headers.delete(h);
        url = next;
      }
    } catch (e) {
      if (deadline.aborted && !init.signal?.aborted) {
        throw new FetchLimitError('time', `Fetching ${url.href} took longer than ${timeoutMs} ms`);
      }
      throw findCause(e, BlockedAddressError.is) ?? e;
    }
  };

  return Object.assign(safeFetch, {
    async close() {
      await Promise.all([guarded?.close(), open?.close()]);
      guarded = open = undefined;
    },
  });
}

/** A process-wide guarded fetch with the default limits; pass `allowHosts` per call where a user allowed some. */
export const safeFetch: SafeFetch = createSafeFetch();

function refuseUnsafeUrl(url: URL, check: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedAddressError(`Refused to fetch ${url.href}: only http and https URLs may be fetched`, { host: url.host });
  }
  if (!check) return;
  // Literal addresses never reach the resolver (net.connect skips lookup for them), so they are checked here.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!isIP(host)) return;
  const reason = blockedAddressReason(host);
  if (reason) {
    throw new BlockedAddressError(`Refused to fetch ${url.href}: ${host} is ${reason}. Add "${url.host}" to allowHosts to allow it.`, {
      host: url.host,
      address: host,
    });
  }
}

async function readCapped(res: Dispatcher.ResponseData, maxBytes: number, url: URL): Promise<Uint8Array> {
  const tooBig = () => new FetchLimitError('bytes', `${url.href} is larger than the ${maxBytes}-byte limit`);
  const declared = Number(headerValue(res.headers['content-length']));
  if (declared > maxBytes) {
    discard(res.body);
    throw tooBig();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      discard(res.body);
      throw tooBig();
    }
    chunks.push(chunk);
  }
  const all = Buffer.concat(chunks, total);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/** Drops a body we will not read; undici reports the destroy as an error, which nobody else is listening for. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function toRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else if (v !== undefined) h.append(k, v);
  }
  return h;
}

function findCause<T>(e: unknown, is: (x: unknown) => x is T): T | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; depth++) {
    if (is(cur)) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
