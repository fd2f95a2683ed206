import { type CostAllocationTags, costAllocationTags, costOf, countImages, type PriceBook, type UsageMeter } from '../billing/index.js';
import { type ConverseRequest, type ModelInfo, QuarryError, type Usage } from '../core/index.js';
import type { Metrics } from '../metrics/index.js';
import type { AnsweringDeployment, ExactResponseCache } from '../routing/index.js';
import type { Admitted } from './admission.js';
import type { InvocationContext } from './invocation-context.js';

/** The usage record's outcome for an answer served from the response cache. */
export const CACHE_HIT_OUTCOME = 'CacheHit';

/** What the usage record of one invocation needs beyond its answer, gathered before the model is called. */
export interface Metered {
  started: number;
  tags: CostAllocationTags | undefined;
  images: number;
}

/** Validates the invocation's cost-allocation tags before anything is spent on it (a bad tag is a 400). */
export function meteredOf(ctx: InvocationContext, req: ConverseRequest, started: number): Metered {
  return { started, tags: costAllocationTags(ctx.tags, req.requestMetadata), images: countImages(req.messages) };
}

/** What settling needs of the runtime's dependencies. */
export interface SettleDeps {
  meter: UsageMeter;
  prices?: PriceBook;
  metrics: Metrics;
  region: string;
  cache?: ExactResponseCache;
}

/**
 * One usage record and one metrics observation per invocation, whatever retries or fallbacks it took, naming the
 * model and deployment that answered. A cache hit is recorded with the tokens it served, no cost, and what it saved
 * (those tokens at list price); for metrics it is a success that processed no tokens. A failure is given as its error
 * (its code is the outcome), and logged as a warning with its message: the access log line only has the status, and a
 * stream that fails after its first byte has status 200. Resolves when the record is committed (durable metering)
 * and rejects if it could not be.
 */
export function settleInvocation(
  deps: SettleDeps,
  ctx: InvocationContext,
  model: ModelInfo,
  usage: Usage | undefined,
  m: Metered,
  result: string | QuarryError,
  admitted: Admitted | undefined,
  deployment?: AnsweringDeployment,
  answerImages = 0,
): Promise<void> {
  const failure = QuarryError.isInstance(result) ? result : undefined;
  const outcome = failure ? failure.code : (result as string);

  const ms = performance.now() - m.started;
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const hit = outcome === CACHE_HIT_OUTCOME;
  const region = deployment?.region ?? deps.region;
  const images = m.images + answerImages;
  const prices = deps.prices;
  const prepaid = admitted?.prepaidCapacity;
  const cost = !usage || prepaid ? 0 : prices ? prices.costOf(model, region, { usage, images }) : costOf(usage, model.pricing, images);
  if (hit) deps.cache?.recordSaving(cost);
  admitted?.settle({ model, usage, costUsd: hit ? 0 : cost, outcome });
  const observe = () => {
    deps.metrics.observe({
      model: model.id,
      api: ctx.api,
      outcome: hit ? 'ok' : outcome,
      seconds: ms / 1000,
      inputTokens: hit ? 0 : input,
      outputTokens: hit ? 0 : output,
    });
    const line = { model: model.id, api: ctx.api, outcome, inputTokens: input, outputTokens: output, ms: Math.round(ms) };
    if (failure) ctx.log.warn({ ...line, message: failure.message }, 'invocation failed');
    else ctx.log.debug(line, 'invocation');
  };
  // The usage record is committed before the answer goes out (durable metering); the metrics need not be.
  if (ctx.afterResponse) ctx.afterResponse.add(observe);
  else observe();
  return deps.meter.record({
    request_id: ctx.requestId,
    time: new Date().toISOString(),
    principal: ctx.principal.id,
    key_id: ctx.principal.keyId,
    account_id: ctx.principal.accountId ?? '',
    model_id: model.id,
    api: ctx.api,
    deployment_id: hit ? '' : (prepaid ?? deployment?.id ?? model.id),
    provider_id: model.providerId,
    region,
    input_tokens: input,
    output_tokens: output,
    cache_read_tokens: usage?.cacheReadInputTokens ?? 0,
    cache_write_tokens: usage?.cacheWriteInputTokens ?? 0,
    images,
    cost_usd: hit ? 0 : cost,
    cache_hit: hit ? 1 : 0,
    saved_usd: hit ? cost : 0,
    latency_ms: Math.round(ms),
    outcome,
    tags: m.tags,
  });
}
