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

  /**
   * One call whose whole answer is wanted (a chat completion, embeddings, a model list): resolves with a 2xx body's
   * text and rejects with the mapped error otherwise, like `request` then reading the body. Built on `dispatch` with
   * a handler that only gathers chunks: `request` wraps every response in a Readable stream and an AsyncResource,
   * which is machinery a body read whole at once never uses (about 15 µs of CPU a call here, a tenth of a proxied
   * call's own cost).
   */
  fetchText(method: 'GET' | 'POST', path: string, body: string | undefined, deadline: CallDeadline): Promise<string> {
    if (deadline.reason) return Promise.reject(deadline.reason);
    return new Promise<string>((resolve, reject) => {
      this.pool.dispatch(
        { method, path: this.prefix + path, body, headers: body === undefined ? this.getHeaders : this.postHeaders },
        new WholeBody(this.baseUrl, deadline, resolve, reject),
      );
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Gathers one response for fetchText. Aborts the request when the deadline fires (the client left, or the time is
 * up); a deadline that fires before undici handed over its controller aborts as soon as it does.
 */
class WholeBody implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private retryAfter: number | undefined;
  private readonly chunks: Buffer[] = [];
  private readonly onAbort = () => this.controller?.abort(this.deadline.reason!);

  constructor(
    private readonly baseUrl: string,
    private readonly deadline: CallDeadline,
    private readonly resolve: (text: string) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    deadline.once('abort', this.onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.deadline.reason) controller.abort(this.deadline.reason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    if (statusCode < 200 || statusCode >= 300) this.retryAfter = retryAfterMs(headers);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.deadline.off('abort', this.onAbort);
    const text = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    if (this.status >= 200 && this.status < 300) this.resolve(text);
    else this.reject(mapOpenAIHttpError(this.status, text, this.baseUrl, this.retryAfter));
  }

  onResponseError(_c: Dispatcher.DispatchController, e: Error): void {
    this.deadline.off('abort', this.onAbort);
    // A connection lost after the headers is a truncated answer; before them, the upstream is unreachable.
    this.reject(this.deadline.reason ?? mapOpenAITransportError(e, this.baseUrl, this.status ? 'body' : 'request'));
  }
}
