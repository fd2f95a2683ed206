import type { Usage } from '../core/index.js';
import type { Principal } from '../iam/index.js';

/**
 * The part of the runtime's admission hook (runtime/admission.ts) the quota step uses. A domain may not import the
 * runtime, which sits above it; the runtime's AdmissionStep accepts this shape structurally, and the server, which
 * puts the step in the pipeline, is where the compiler checks that it does.
 */
export interface QuotaAdmissionRequest {
  ctx: { principal: Principal };
  modelId: string;
  maxTokens?: number;
  inputTokens(): Promise<number>;
}

export interface QuotaSettlement {
  usage?: Usage;
  outcome: string;
}

export interface QuotaAdmitted {
  settle(s: QuotaSettlement): void;
}

/** The outcome runtime/admission.ts gives steps whose invocation a later step refused (its REFUSED_OUTCOME). */
export const REFUSED = 'Refused';
/** The outcome of an answer served from the response cache (runtime's CACHE_HIT_OUTCOME). */
export const CACHE_HIT = 'CacheHit';
