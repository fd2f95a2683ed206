import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type ApiEnv, readBody, requestHeader } from '../api/shared/api-env.js';
import { AbortLink, AfterResponse, LazyChildLogger, type Logger, QuarryError } from '../core/index.js';
import { type Action, type Authorizer, authenticate, type ConsoleSessions, type KeyStore, type Principal, type RequestContext } from '../iam/index.js';
import { timeOrderedId } from '../store/index.js';
import { SESSION_COOKIE } from './console-auth-routes.js';

/**
 * Request id, client-abort signal and one access-log line per request. The id is echoed in the headers each wire
 * format's clients look for (`x-amzn-requestid` for AWS SDKs, `x-request-id` for OpenAI and Anthropic). On a socket,
 * work the client need not wait for (`afterResponse`), the access-log line included, runs once the answer has been written.
 */
export function requestContext(log: Logger): MiddlewareHandler<ApiEnv> {
  return async function requestContext(c, next) {
    const requestId = timeOrderedId();
    const started = performance.now();
    c.set('requestId', requestId);
    c.set('log', new LazyChildLogger(log, { requestId }));
    const env = c.env as NodeBindings | undefined;
    const out = env?.outgoing;
    const after = out ? new AfterResponse((err) => log.error({ err, requestId }, 'work after the response failed')) : undefined;
    c.set('afterResponse', after);
    c.set('clientAbort', clientAbort(env, () => c.req.raw.signal, after));
    // On a socket the id goes straight onto Node's response, which merges it into whatever headers the route writes;
    // setting it on `c.res` afterwards made the adapter turn the route's plain header object into a Fetch Headers.
    if (out) {
      out.setHeader('x-amzn-requestid', requestId);
      out.setHeader('x-request-id', requestId);
    }
    await next();
    if (!out) {
      c.res.headers.set('x-amzn-requestid', requestId);
      c.res.headers.set('x-request-id', requestId);
    }
    const abort = c.get('clientAbort');
    // The line is written once the response is out (on a socket, when Node closes it: a stream's last byte, or the
    // client leaving), so `ms` is the whole exchange. An error the app answered names its code; the message, where it
    // matters, is in the runtime's own line ('invocation failed').
    const line = () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const err = c.error;
      log.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms,
          principal: c.get('principal')?.id,
          ...(err ? { error: QuarryError.isInstance(err) ? err.code : 'InternalServerException' } : {}),
          ...(abort.aborted ? { clientClosed: true } : {}),
        },
        'request',
      );
    };
    if (after) after.add(line);
    else setImmediate(line);
  };
}

type NodeBindings = {
  incoming?: { once(ev: 'close', fn: () => void): void };
  outgoing?: { writableEnded?: boolean; once(ev: 'close', fn: () => void): void; setHeader(name: string, value: string): void };
};

/**
 * Aborts when the client disconnects before the response is finished: the node adapter's outgoing stream closing
 * before we ended it is the signal for both HTTP/1.1 and HTTP/2. (`writableFinished` would not do: after an HTTP/2
 * stream reset Node 20 reports it true.)
 */
function clientAbort(env: NodeBindings | undefined, fallback: () => AbortSignal, after: AfterResponse | undefined): AbortLink {
  const link = new AbortLink();
  const out = env?.outgoing;
  if (out) {
    // The same event ends the request's after-response work: Node emits 'close' on the tick after 'finish' (the
    // answer handed to the socket), before it reads anything more, so what was deferred is done before the client's
    // next call can look for it (its audit event, its metrics). A stream's comes after its last byte.
    out.once('close', () => {
      if (!out.writableEnded) link.abort(new DOMException('The client closed the connection.', 'AbortError'));
      after?.flush();
    });
  } else {
    // (Touching c.req.raw makes the node adapter build a full Fetch Request, so only in-process calls do.)
    const signal = fallback();
    if (signal.aborted) link.abort(signal.reason);
    else signal.addEventListener('abort', () => link.abort(signal.reason), { once: true });
  }
  return link;
}

/** Every route but /health needs credentials. SigV4 covers the body, so it is read (once, with the limit) first. */
export function requireAuth(keys: KeyStore, authorizer: Authorizer, maxBodyBytes: number, sessions?: ConsoleSessions): MiddlewareHandler<ApiEnv> {
  return async function requireAuth(c, next) {
    // A request with a key of its own never looks at the console's session cookie (see sessionPrincipal).
    const explicit = Boolean(requestHeader(c, 'authorization') || requestHeader(c, 'x-api-key'));
    const principal = (sessions && !explicit && (await sessionPrincipal(c, sessions))) || await authenticate(keys, {
      header: (name) => requestHeader(c, name),
      async signedView() {
        const url = new URL(c.req.url);
        const headers: Record<string, string> = {};
        c.req.raw.headers.forEach((v, k) => {
          headers[k] = v;
        });
        // HTTP/2 carries the host in the :authority pseudo-header, which the Fetch API's Headers drop; SigV4 signs it
        // (the AWS SDK's HTTP/2 handler even lists ":authority" itself among the signed headers).
        const authority = (c.env as { incoming?: { headers?: Record<string, string> } } | undefined)?.incoming?.headers?.[':authority'];
        if (authority) headers[':authority'] = authority;
        headers.host ??= authority ?? url.host;
        return { method: c.req.method, path: url.pathname, query: url.searchParams, headers, body: await readBody(c, maxBodyBytes) };
      },
    });
    c.set('principal', principal);
    c.set('accountId', authorizer.accountOf(principal));
    c.set('authorize', (action: Action, resource: string) => {
      // Administrators pass without evaluating anything, so the common case builds no context.
      if (principal.isAdmin) return Promise.resolve();
      // The conditions are built only when the policies are evaluated: a remembered allow needs none.
      return authorizer.check(principal, action, resource, () => requestConditions(c.env as ConnectionBindings | undefined, principal));
    });
    await next();
  };
}

type ConnectionBindings = { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } };

/** Condition keys only the server can vouch for: where the request came from and how it was made. */
function requestConditions(env: ConnectionBindings | undefined, principal: { authMethod: string; keyId: string }): RequestContext {
  const socket = env?.incoming?.socket;
  const ip = socket?.remoteAddress;
  return {
    ...(ip ? { 'aws:SourceIp': ip.startsWith('::ffff:') ? ip.slice(7) : ip } : {}),
    'aws:SecureTransport': socket?.encrypted === true,
    'quarry:AuthMethod': principal.authMethod,
    'quarry:ApiKeyId': principal.keyId,
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The console session a request's cookie names, when it sends no other credential (an explicit key always wins, so
 * API clients never depend on cookies). A cookie rides along with any request the browser makes, so a state-changing
 * call must also come from a page of this very origin: browsers always send Origin with a cross-origin or non-GET
 * fetch, and SameSite=Lax already keeps the cookie off cross-site POSTs; this is the second lock on the door.
 */
async function sessionPrincipal(c: Context<ApiEnv>, sessions: ConsoleSessions): Promise<Principal | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const s = await sessions.lookup(token);
  if (!s) throw new QuarryError('UnrecognizedClientException', 'The console session has expired or was signed out; sign in again.');
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = requestHeader(c, 'origin');
    const site = requestHeader(c, 'sec-fetch-site');
    if (site ? site !== 'same-origin' : !origin || origin !== new URL(c.req.url).origin) {
      throw new QuarryError('AccessDeniedException', 'A console session may only be used by the console itself (the request came from another origin).');
    }
  }
  return s.principal;
}
