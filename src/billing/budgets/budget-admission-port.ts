import type { Usage } from '../../core/index.js';
import type { Principal } from '../../iam/index.js';

/**
 * The part of the runtime's admission hook (runtime/admission.ts) the budget step uses. A domain may not import the
 * runtime, which sits above it; the runtime's AdmissionStep accepts this shape structurally, and the server, which
 * puts the step in the pipeline, is where the compiler checks that it does.
 */
export interface BudgetAdmissionRequest {
  /** `tags` is the x-quarry-tags header as sent (cost-allocation tags). */
  ctx: { principal: Principal; tags?: string };
  modelId: string;
  maxTokens?: number;
  inputTokens(): Promise<number>;
}

export interface BudgetSettlement {
  usage?: Usage;
  costUsd: number;
  outcome: string;
}

export interface BudgetAdmitted {
  modelId?: string;
  settle(s: BudgetSettlement): void;
}

/** What the budget step needs to know of a model: its id with profiles and aliases resolved, and its prices. */
export interface BudgetModelPrice {
  modelId: string;
  maxOutputTokens?: number;
  /** USD for a call with this usage (the pricing catalog's answer, or `costOf` on the model's own pricing). */
  cost(usage: Usage): number;
}

/** Undefined when no model answers to the id (the invocation then fails in routing; nothing is reserved). */
export type BudgetPriceLookup = (modelId: string) => Promise<BudgetModelPrice | undefined>;
