import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import { retryAfterMs } from '../shared/index.js';
import type { CallDeadline } from './call-deadline.js';
import { mapOpenAIHttpError, mapOpenAITransportError } from './map-openai-error.js';

/**
 * The provider's HTTP client: one undici `Pool` per upstream origin, with keep-alive, used directly rather than
 * through the `openai` SDK or `fetch`. This is Quarry's hot path and the gateway is judged against a bare proxy's
 * throughput: the SDK adds its own retry loop (which would double the router's retries), header building, and
 * WHATWG-stream parsing per call, and `fetch` wraps undici in WHATWG streams too. `pool.request` hands back a Node
 * stream on sockets that stay warm between calls, and lets the pool size be configured.
 */
export class OpenAIHttp {
  private readonly pool: Pool;
  private readonly prefix: string;
  /** Built once: header objects are read, not changed, by undici, so every call can share them. */
  private readonly getHeaders: Record<string, string>;
  private readonly postHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    opts: { apiKey?: string; headers: Record<string, string>; connections?: number; timeoutMs: number },
  ) {
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: opts.connections ?? null,
      // Keep sockets warm between bursts; the upstream's own Keep-Alive hint still caps this.
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      // Our deadline is the real bound; undici's own timers are a backstop at the same length.
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    const base: Record<string, string> = { ...opts.headers };
    if (opts.apiKey) base.authorization = `Bearer ${opts.apiKey}`;
    this.getHeaders = { ...base, accept: 'application/json' };
    this.postHeaders = { ...base, accept: 'application/json', 'content-type': 'application/json' };
    this.streamHeaders = { ...base, accept: 'text/event-stream', 'content-type': 'application/json' };
  }

  /**
   * Sends one request; resolves once a 2xx response's headers arrived. Any other status is read and thrown as the
   * mapped error, so callers only ever see success bodies.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    deadline: CallDeadline,
    stream = false,
  ): Promise<Dispatcher.ResponseData> {
    // An emitter cannot say it already fired, so a call whose client is already gone must stop here.
    if (deadline.reason) throw deadline.reason;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({
        method,
        path: this.prefix + path,
        body,
        signal: deadline.signal,
        headers: body === undefined ? this.getHeaders : stream ? this.streamHeaders : this.postHeaders,
      });
    } catch (e) {
      throw mapOpenAITransportError(e, this.baseUrl, 'request');
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    let text = '';
    try {
      text = await res.body.text();
    } catch {
      // The status alone still says what went wrong.
    }
    throw mapOpenAIHttpError(res.statusCode, text, this.baseUrl, retryAfterMs(res.headers));
  }

  /** Reads a whole success body; a connection lost half-way is a truncated answer. */
  async text(res: Dispatcher.ResponseData): Promise<string> {
    try {
      return await res.body.text();
    } catch (e) {
      throw mapOpenAITransportError(e, this.baseUrl, 'body');
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
