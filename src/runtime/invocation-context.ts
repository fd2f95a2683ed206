import type { Logger } from '../core/index.js';
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
  /** The request's authorization (server/middleware.ts); absent for the server's own background work. */
  authorize?: (action: Action, resource: string) => Promise<void>;
  /** The `x-quarry-cache` request header as sent (`on`, `off`, `bypass`), when the wire API passes it on. */
  cache?: string;
  /** The `x-quarry-tags` request header as sent (cost-allocation tags, `team=search,env=prod`); validated by the runtime. */
  tags?: string;
}
