import type { ModelInfo, Usage } from '../core/index.js';
import type { InvocationContext } from './invocation-context.js';

/**
 * The pipeline's admit step (rate limits, quotas, budgets): after the policy check and before the guardrail, the
 * cache and the model. Each concern lives in its own domain and plugs in here as an {@link AdmissionStep}; the
 * runtime only runs them in order and settles what they admitted when the invocation ends.
 */
export interface AdmissionRequest {
  ctx: InvocationContext;
  /** The model as the caller named it (or as an earlier step redirected it); profiles and aliases are not resolved. */
  modelId: string;
  /** The output cap the caller asked for; undefined when it left it to the model. */
  maxTokens?: number;
  /** The input's token count, estimated on first call only (a tokenizer pass is not free on the hot path). */
  inputTokens(): Promise<number>;
}

/** How an admitted invocation ended, for steps that reserved something (tokens, a concurrency slot, spend). */
export interface Settlement {
  /** The model that answered, or the one that was tried when nothing answered; absent when refused before routing. */
  model?: ModelInfo;
  /** What it used; undefined when it failed before producing anything. */
  usage?: Usage;
  costUsd: number;
  /** `ok`, an error code, `ClientClosed`, `CacheHit`, or `Refused` when a later admission step said no. */
  outcome: string;
}

export interface Admitted {
  /** Use this model instead (a budget's "route to a cheaper model" action). */
  modelId?: string;
  /**
   * The prepaid capacity the invocation runs on (`provisioned/<id>`): its tokens cost nothing per token, since the
   * capacity bills by the hour, and its usage record names it as the deployment.
   */
  prepaidCapacity?: string;
  /** Called exactly once, when the invocation ends. */
  settle(s: Settlement): void;
}

export interface AdmissionStep {
  /** Refuses by throwing a QuarryError (ThrottlingException, ServiceQuotaExceededException, …); undefined admits with nothing to settle. */
  admit(req: AdmissionRequest): Promise<Admitted | undefined>;
}

/** The outcome given to steps that had admitted an invocation a later step refused. */
export const REFUSED_OUTCOME = 'Refused';

/**
 * Runs the steps in order, each seeing the model an earlier one redirected to. When one refuses, the ones before it are
 * settled at once (their reservations released) and the refusal propagates.
 */
export async function admitAll(steps: readonly AdmissionStep[], req: AdmissionRequest): Promise<Admitted | undefined> {
  if (!steps.length) return undefined;
  const admitted: Admitted[] = [];
  let modelId: string | undefined;
  let prepaidCapacity: string | undefined;
  try {
    for (const step of steps) {
      const a = await step.admit(modelId === undefined ? req : { ...req, modelId });
      if (!a) continue;
      admitted.push(a);
      if (a.modelId !== undefined) modelId = a.modelId;
      if (a.prepaidCapacity !== undefined) prepaidCapacity = a.prepaidCapacity;
    }
  } catch (e) {
    for (const a of admitted) a.settle({ costUsd: 0, outcome: REFUSED_OUTCOME });
    throw e;
  }
  if (!admitted.length && modelId === undefined) return undefined;
  // Settled once however many exits an invocation takes (answer, error part, client gone, a throw before routing).
  let settled = false;
  return {
    modelId,
    prepaidCapacity,
    settle(s) {
      if (settled) return;
      settled = true;
      for (const a of admitted) a.settle(s);
    },
  };
}
