import { z } from 'zod';

/**
 * The three limits Quarry enforces, each counted per API key and per model (every key has its own allowance on every
 * model, as Bedrock's quotas are per account and model). A number is the limit; `null` says "no limit" and overrides
 * a default; an absent field inherits from the next, less specific definition.
 */
export interface QuotaLimits {
  /** Requests admitted in any sliding 60-second window. */
  requestsPerMinute?: number | null;
  /** Tokens in any sliding 60-second window: input plus max_tokens on admission, settled to what was used. */
  tokensPerMinute?: number | null;
  /** Requests in flight at once (a stream counts until its last event). */
  concurrentRequests?: number | null;
}

/** The limits that apply to one key on one model once every definition is merged; absent: unlimited. */
export interface EffectiveLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
}

export type LimitName = keyof EffectiveLimits;
export const LIMIT_NAMES: readonly LimitName[] = ['requestsPerMinute', 'tokensPerMinute', 'concurrentRequests'];

// A billion a minute is far past any real deployment; bounding it keeps arithmetic exact in Lua's doubles and SQL ints.
const MAX_LIMIT = 1_000_000_000;
const limit = z.number().int().min(1).max(MAX_LIMIT).nullable().optional();

export const quotaLimitsSchema = z.strictObject({ requestsPerMinute: limit, tokensPerMinute: limit, concurrentRequests: limit });

const modelLimits = z.record(z.string().min(1).max(512), quotaLimitsSchema).default({});

export const quotasConfigSchema = z.strictObject({
  /** Every key's limits on every model, unless a model entry or a stored override says otherwise. */
  default: quotaLimitsSchema.optional(),
  /** Per model id (as in the catalog, without ARN or geography prefix): every key's limits on that model. */
  models: modelLimits,
  /**
   * One allowance per account and model that all the account's keys draw from together, on top of each key's own (as
   * Bedrock's quotas are per account): 50 keys with 100k tokens a minute each cannot together take more than this.
   */
  account: z.strictObject({ default: quotaLimitsSchema.optional(), models: modelLimits }).optional(),
  /** Administrators' keys are limited like any other unless this is true. */
  exemptAdministrators: z.boolean().default(false),
  /** The output reserved on admission when a request sets no max_tokens (Bedrock reserves the model's maximum). */
  defaultMaxTokens: z.number().int().min(1).max(MAX_LIMIT).default(4096),
  /** When Redis cannot be reached: admit (and log a warning) or refuse with ServiceUnavailableException. */
  onRedisError: z.enum(['allow', 'deny']).default('allow'),
  /** How long a replica's concurrency slot outlives the replica if it crashes, in milliseconds (renewed while held). */
  concurrencyLeaseMs: z.number().int().min(1000).max(600_000).default(30_000),
});

export type QuotasConfig = z.infer<typeof quotasConfigSchema>;

/** `over` wins field by field where it says anything (a number or null); undefined fields fall through to `under`. */
export function mergeLimits(over: QuotaLimits | undefined, under: QuotaLimits | undefined): QuotaLimits | undefined {
  if (!over) return under;
  if (!under) return over;
  return {
    requestsPerMinute: over.requestsPerMinute !== undefined ? over.requestsPerMinute : under.requestsPerMinute,
    tokensPerMinute: over.tokensPerMinute !== undefined ? over.tokensPerMinute : under.tokensPerMinute,
    concurrentRequests: over.concurrentRequests !== undefined ? over.concurrentRequests : under.concurrentRequests,
  };
}

/** Drops nulls; undefined when nothing is limited at all. */
export function effective(l: QuotaLimits | undefined): EffectiveLimits | undefined {
  if (!l) return undefined;
  const out: EffectiveLimits = {};
  for (const name of LIMIT_NAMES) {
    const v = l[name];
    if (typeof v === 'number') out[name] = v;
  }
  return out.requestsPerMinute === undefined && out.tokensPerMinute === undefined && out.concurrentRequests === undefined ? undefined : out;
}

/** Whether a definition limits anything (a null-only definition lifts limits but sets none). */
export function limitsAnything(l: QuotaLimits | undefined): boolean {
  return !!l && LIMIT_NAMES.some((n) => typeof l[n] === 'number');
}
