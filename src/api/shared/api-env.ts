import type { Context } from 'hono';
import type { AuditNote } from '../../audit/index.js';
import { TAGS_HEADER } from '../../billing/index.js';
import { type AbortLink, type AfterResponse, type Logger, QuarryError } from '../../core/index.js';
import type { Action, KeyStore, Principal } from '../../iam/index.js';
import type { StoredResponses } from '../../responses/index.js';
import { type InvocationContext, linkInvocation, type Runtime } from '../../runtime/index.js';

/** Per-request values set by the server's middleware, typed once for every route. */
export type ApiEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    rawBody: Uint8Array | undefined;
    /** Aborted when the client goes away (its `signal` is made on first use). */
    clientAbort: AbortLink;
    /** Work to run once the response has been written (on a socket only; in-process calls run it at once). */
    afterResponse: AfterResponse | undefined;
    /** Decides for this request's principal (see authorize-request.ts); throws AccessDeniedException on a deny. */
    authorize: (action: Action, resource: string) => Promise<void>;
    /** The account (project) the principal acts in. */
    accountId: string;
    /** The action and resources the route authorized, for the audit trail (see authorize-request.ts). */
    auditNote: AuditNote | undefined;
  };
};

export interface ApiDeps {
  runtime: Runtime;
  keys: KeyStore;
  region: string;
  accountId: string;
  maxBodyBytes: number;
  /** The OpenAI Responses API's stored responses. */
  responses: StoredResponses;
}

/**
 * A request header, by its lower-case name. On a real socket it is read from the headers Node already parsed: Hono's
 * `c.req.header` makes the node adapter build a Fetch `Headers` of every header the request has on first use (about
 * 4 µs here), for the two or three an invocation reads. Node keeps the first of a repeated Authorization,
 * Content-Type, User-Agent and the like, and joins other repeated headers with ", " as `Headers.get` does.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * A 200 JSON answer whose headers stay a plain object. Hono's `c.json` builds a Fetch `Headers` as soon as a response
 * has two headers (its content type and the model id), which the node adapter then turns back into an object for
 * Node's writeHead; a plain object goes to writeHead as it is. For the invocation routes, which answer every call.
 */
export function jsonAnswer(value: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Reads the whole body once (SigV4 verification and the handler both need it), refusing more than `limit` bytes
 * whatever Content-Length claims — HTTP/2 and chunked uploads may not send one.
 */
export async function readBody(c: Context<ApiEnv>, limit: number): Promise<Uint8Array> {
  const cached = c.get('rawBody');
  if (cached) return cached;
  const declared = Number(requestHeader(c, 'content-length') ?? 0);
  if (declared > limit) throw tooLarge(limit);
  // On a real socket read Node's request directly: `c.req.raw.body` would make the node adapter build a Fetch Request
  // and a web stream for every call, a measurable share of the gateway's time.
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  if (incoming) {
    const received = receivedBody(incoming);
    if (received && received.length > limit) throw tooLarge(limit);
    const body = received ?? (await readNodeBody(incoming, limit));
    c.set('rawBody', body);
    return body;
  }
  const stream = c.req.raw.body;
  let body: Uint8Array = new Uint8Array(0);
  if (stream) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
    body = chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
  }
  c.set('rawBody', body);
  return body;
}

type NodeIncoming = NodeJS.ReadableStream & { complete?: boolean; aborted?: boolean; readableFlowing?: boolean | null };

/**
 * The body when Node has already received all of it, taken from the stream's buffer at once. A small request comes
 * with its headers in one packet, and the parser has buffered the body and its end before any route runs; reading
 * it through 'data' and 'end' events added the ticks between them (~20 µs of a proxied call at concurrency 1).
 * Undefined when more is to come, or when the stream is already being read.
 */
function receivedBody(incoming: NodeIncoming): Buffer | undefined {
  if (incoming.complete !== true || incoming.aborted || incoming.readableFlowing != null || typeof incoming.read !== 'function') return undefined;
  const chunk = incoming.read() as Buffer | null;
  return chunk ?? EMPTY_BODY;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Collects a Node request body up to `limit` bytes. Past the limit it stops collecting but lets the rest flow away
 * unread rather than destroying the request, so the 413 still reaches the client on the same connection.
 */
function readNodeBody(incoming: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        incoming.resume();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}

const tooLarge = (limit: number) =>
  new QuarryError('RequestEntityTooLargeException', `The request body is larger than the server's limit of ${limit} bytes (limits.maxBodyBytes).`);

/** Asks the response cache to be used (`on`), skipped (`off`) or refreshed (`bypass`); see routing/cache-directive.ts. */
export const CACHE_HEADER = 'x-quarry-cache';
/** Names the model that answered: a fallback's when one took over, the model under an inference profile. */
export const MODEL_ID_HEADER = 'x-quarry-model-id';

export function invocationContext(c: Context<ApiEnv>, api: string): InvocationContext {
  const abort = c.get('clientAbort');
  // The signal is made only if something asks for it; the runtime listens to the link itself (linkInvocation).
  const ctx: InvocationContext = {
    requestId: c.get('requestId'),
    principal: c.get('principal'),
    api,
    get signal() {
      return abort.signal;
    },
    log: c.get('log'),
    afterResponse: c.get('afterResponse'),
    authorize: c.get('authorize'),
    cache: requestHeader(c, CACHE_HEADER),
    tags: requestHeader(c, TAGS_HEADER),
  };
  return linkInvocation(ctx, abort);
}
