import type { AbortLink, AbortSource, AfterResponse, Logger } from '../core/index.js';
import type { Action, Principal } from '../iam/index.js';

/** Everything the pipeline needs to know about the call besides the request itself. */
export interface InvocationContext {
  requestId: string;
  principal: Principal;
  /** Which wire API asked, for metrics and usage (`bedrock.converse`, `openai.chat`, …). */
  api: string;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  log: Logger;
  /** Bookkeeping the client need not wait for runs here once the response is out; absent, it runs at once. */
  afterResponse?: AfterResponse;
  /** The request's authorization (server/middleware.ts); absent for the server's own background work. */
  authorize?: (action: Action, resource: string) => Promise<void>;
  /** The `x-quarry-cache` request header as sent (`on`, `off`, `bypass`), when the wire API passes it on. */
  cache?: string;
  /** The `x-quarry-tags` request header as sent (cost-allocation tags, `team=search,env=prod`); validated by the runtime. */
  tags?: string;
}

const links = new WeakMap<InvocationContext, AbortLink>();

/**
 * Remembers that `ctx.signal` follows `link`, so the runtime can listen to the link and no AbortSignal is made for a
 * call nobody aborts (core/abort-link.ts). Kept beside the context rather than in it: a copy made by spreading a
 * context may carry a signal of its own, and then must not be taken for the original.
 */
export function linkInvocation(ctx: InvocationContext, link: AbortLink): InvocationContext {
  links.set(ctx, link);
  return ctx;
}

/** What aborts the invocation: its link when it has one, else its signal. */
export function abortSourceOf(ctx: InvocationContext): AbortSource {
  return links.get(ctx) ?? ctx.signal;
}

/** Whether the client went away; asks the link when there is one, so no AbortSignal is made just to read this. */
export function clientGone(ctx: InvocationContext): boolean {
  return abortSourceOf(ctx).aborted;
}
