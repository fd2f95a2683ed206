import type { Logger } from '../core/index.js';
import type { Principal } from '../iam/index.js';

/** Everything the pipeline needs to know about the call besides the request itself. */
export interface InvocationContext {
  requestId: string;
  principal: Principal;
  /** Which wire API asked, for metrics and usage (`bedrock.converse`, `openai.chat`, …). */
  api: string;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  log: Logger;
}
