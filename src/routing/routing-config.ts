import { z } from 'zod';

/** How a deployment set chooses where the next call goes. */
export const routingStrategySchema = z.enum(['priority', 'least-outstanding', 'lowest-latency', 'weighted', 'lowest-cost']);
export type RoutingStrategy = z.infer<typeof routingStrategySchema>;

/**
 * Active health checks: each deployment's provider is probed (`ModelProvider.probe`, a call that costs no tokens)
 * every `intervalMs`; after `unhealthyThreshold` failed probes in a row the deployment leaves rotation, after
 * `healthyThreshold` good ones in a row it returns.
 */
const healthCheckFields = {
  intervalMs: z.number().int().min(100).max(3_600_000),
  /** A probe that has not answered by then failed. */
  timeoutMs: z.number().int().min(10).max(600_000),
  unhealthyThreshold: z.number().int().min(1).max(100),
  healthyThreshold: z.number().int().min(1).max(100),
};
export const healthCheckSchema = z
  .object({
    intervalMs: healthCheckFields.intervalMs.default(10_000),
    timeoutMs: healthCheckFields.timeoutMs.default(2_000),
    unhealthyThreshold: healthCheckFields.unhealthyThreshold.default(3),
    healthyThreshold: healthCheckFields.healthyThreshold.default(2),
  })
  .strict();
/** A deployment's override: only the fields it names (no defaults, so the rest come from `routing.healthCheck`). */
const healthCheckOverrideSchema = z.object(healthCheckFields).partial().strict();
export type HealthCheckPolicy = z.infer<typeof healthCheckSchema>;

/** One `deployments:` entry: a model served by one provider (an endpoint or a local engine) in one region. */
export const deploymentEntrySchema = z
  .object({
    id: z.string().min(1).max(128).regex(/^[\w.:-]+$/, 'deployment ids use letters, digits, dot, colon, dash and underscore'),
    /** The catalog model this deployment serves (its pricing, context window and family apply). */
    model: z.string().min(1),
    /** The `providers:` entry that serves it. */
    provider: z.string().min(1),
    /** The provider's name for the model, when it differs from the model's own `upstreamModel`. */
    upstreamModel: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    /** Share of traffic under the `weighted` strategy. */
    weight: z.number().positive().max(1_000_000).default(1),
    /** Under `priority`, lower numbers are tried first; equal numbers share the load. */
    priority: z.number().int().min(0).max(1_000).default(0),
    /** Calls in flight at most; a deployment at capacity is skipped until one finishes. */
    capacity: z.number().int().positive().max(1_000_000).optional(),
    /** USD per 1,000 tokens for `lowest-cost`; the model's list price (input + output) when absent. */
    costPer1k: z.number().nonnegative().optional(),
    /** Takes no new calls (calls in flight finish). */
    drained: z.boolean().default(false),
    /**
     * This deployment's active checks: `false` turns them off for it, an object overrides fields of
     * `routing.healthCheck` (and turns checks on for this deployment alone when that is absent).
     */
    healthCheck: z.union([z.literal(false), healthCheckOverrideSchema]).optional(),
  })
  .strict();

/** One `inferenceProfiles:` entry: Bedrock's cross-region inference, a client-facing id over several deployments. */
export const inferenceProfileEntrySchema = z
  .object({
    id: z.string().min(1).max(256),
    name: z.string().optional(),
    strategy: routingStrategySchema.default('priority'),
    deployments: z.array(z.string().min(1)).min(1).max(64),
  })
  .strict();

const retrySchema = z
  .object({
    /** Tries per model, the first included; 1 turns retries off. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** Backoff before retrying a deployment already tried: a random delay up to base·2^(n-1), capped (full jitter). */
    baseDelayMs: z.number().int().min(0).max(60_000).default(25),
    maxDelayMs: z.number().int().min(0).max(600_000).default(1_000),
    /** Retries allowed on top of first tries, as a share of requests, so an outage does not multiply the load. */
    budgetRatio: z.number().min(0).max(10).default(0.2),
    /** Retries always allowed per second whatever the ratio, so a quiet server still retries. */
    minRetriesPerSecond: z.number().min(0).max(100_000).default(10),
  })
  .strict();

const breakerSchema = z
  .object({
    /** Opens after this many failures in a row. */
    consecutiveFailures: z.number().int().min(1).max(1_000).default(5),
    /** …or when the failure share of the last `window` calls reaches this (with at least `minCalls` of them). */
    failureRate: z.number().min(0.01).max(1).default(0.5),
    window: z.number().int().min(1).max(1_000).default(20),
    minCalls: z.number().int().min(1).max(1_000).default(10),
    /** How long an open breaker refuses calls before letting probes through. */
    cooldownMs: z.number().int().min(1).max(3_600_000).default(5_000),
    /** Probe calls at once while half-open. */
    halfOpenProbes: z.number().int().min(1).max(100).default(1),
  })
  .strict();

/** The `routing:` section. Present (even empty), every model is routed, plain ones as a set of one deployment. */
export const routingPolicySchema = z
  .object({
    /** Strategy for a model's own deployment set (inference profiles name theirs). */
    strategy: routingStrategySchema.default('priority'),
    retry: retrySchema.prefault({}),
    breaker: breakerSchema.prefault({}),
    /** A streamed attempt that has not produced its first token by then is abandoned and retried elsewhere. */
    firstTokenTimeoutMs: z.number().int().positive().optional(),
    /** A whole (non-streamed) attempt that takes longer is abandoned and retried elsewhere. */
    attemptTimeoutMs: z.number().int().positive().optional(),
    /**
     * Active health checks for every deployment whose provider can be probed; off when absent. Off by default
     * because a probe is traffic to upstreams nobody asked for (LiteLLM's background checks are opt-in too), and
     * the circuit breaker already finds failing deployments from real calls.
     */
    healthCheck: healthCheckSchema.optional(),
    /** Weight of the newest sample in the latency average that `lowest-latency` compares. */
    latencySmoothing: z.number().gt(0).max(1).default(0.2),
    /**
     * How often each replica re-reads operators' drains and restores from the store: a drain made on another replica
     * takes effect here within this long (the replica that made it applies it at once).
     */
    drainRefreshMs: z.number().int().min(100).max(600_000).default(2_000),
  })
  .strict();

/** `fallbacks:` — per model (or profile) id, the models to try, in order, when it cannot answer. */
export const fallbacksSchema = z.record(z.string().min(1), z.array(z.string().min(1)).min(1).max(8));

/** `responseCache:` — the exact response cache. */
export const responseCacheConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    ttlMs: z.number().int().positive().max(30 * 86_400_000).default(300_000),
    maxEntries: z.number().int().positive().max(10_000_000).default(10_000),
    /** Approximate bound on what the entries hold. */
    maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
    /**
     * Who shares entries: `account` (the isolation unit, default), `principal`, or `global`. Sharing across
     * tenants lets one learn, from timing, what another asked.
     */
    scope: z.enum(['account', 'principal', 'global']).default('account'),
    /**
     * Where entries live: `auto` (default) in Redis when `redis:` is configured, so replicas share them, and in this
     * process otherwise; `memory` keeps them in this process regardless.
     */
    store: z.enum(['auto', 'memory']).default('auto'),
    /** The semantic cache: off unless configured (a near-duplicate prompt getting another's answer is a choice to make). */
    semantic: z
      .object({
        /** The embedding model that compares prompts (the bundled `quarry.embed-use-v1:0` runs offline). */
        embeddingModel: z.string().min(1),
        /** Cosine similarity at or above which a cached answer is served; bench/semantic-cache.ts shows the trade-off. */
        threshold: z.number().min(0.5).max(1).default(0.95),
        /** Prompts indexed in this process at most, oldest out first. */
        maxEntries: z.number().int().positive().max(1_000_000).default(10_000),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SemanticCacheConfig = NonNullable<z.infer<typeof responseCacheConfigSchema>['semantic']>;

export type DeploymentEntry = z.infer<typeof deploymentEntrySchema>;
export type InferenceProfileEntry = z.infer<typeof inferenceProfileEntrySchema>;
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;
export type RetryPolicy = RoutingPolicy['retry'];
export type BreakerPolicy = RoutingPolicy['breaker'];
export type ResponseCacheConfig = z.infer<typeof responseCacheConfigSchema>;

/** Everything routing reads from the configuration. */
export interface RoutingConfig {
  routing?: RoutingPolicy;
  deployments: DeploymentEntry[];
  inferenceProfiles: InferenceProfileEntry[];
  fallbacks: Record<string, string[]>;
}

/** Routing is on when any of its sections is present; otherwise every model goes straight to its one provider. */
export function routingConfigured(c: RoutingConfig): boolean {
  return c.routing !== undefined || c.deployments.length > 0 || c.inferenceProfiles.length > 0 || Object.keys(c.fallbacks).length > 0;
}

/** The checks that apply to one deployment, or undefined when it is not checked. */
export function healthCheckFor(policy: RoutingPolicy, entry: Pick<DeploymentEntry, 'healthCheck'> | undefined): HealthCheckPolicy | undefined {
  const own = entry?.healthCheck;
  if (own === false) return undefined;
  if (own === undefined) return policy.healthCheck;
  return healthCheckSchema.parse({ ...policy.healthCheck, ...own });
}

export const defaultRoutingPolicy = (): RoutingPolicy => routingPolicySchema.parse({});

/** Cross-references the schemas cannot check alone; each issue has a path into the configuration. */
export function routingConfigIssues(c: RoutingConfig, providerIds: ReadonlySet<string>): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const deployments = new Map<string, DeploymentEntry>();
  c.deployments.forEach((d, i) => {
    if (deployments.has(d.id)) issues.push({ path: ['deployments', i, 'id'], message: `deployment id "${d.id}" is used twice` });
    deployments.set(d.id, d);
    if (!providerIds.has(d.provider)) {
      issues.push({ path: ['deployments', i, 'provider'], message: `deployment "${d.id}" names provider "${d.provider}", which is not configured` });
    }
  });
  const profiles = new Set<string>();
  c.inferenceProfiles.forEach((p, i) => {
    if (profiles.has(p.id)) issues.push({ path: ['inferenceProfiles', i, 'id'], message: `inference profile id "${p.id}" is used twice` });
    profiles.add(p.id);
    const models = new Set<string>();
    p.deployments.forEach((id, j) => {
      const d = deployments.get(id);
      if (!d) issues.push({ path: ['inferenceProfiles', i, 'deployments', j], message: `inference profile "${p.id}" names deployment "${id}", which is not configured` });
      else models.add(d.model);
    });
    if (new Set(p.deployments).size !== p.deployments.length) {
      issues.push({ path: ['inferenceProfiles', i, 'deployments'], message: `inference profile "${p.id}" lists a deployment twice` });
    }
    if (models.size > 1) {
      issues.push({
        path: ['inferenceProfiles', i, 'deployments'],
        message: `inference profile "${p.id}" mixes models (${[...models].join(', ')}); a profile routes one model across deployments`,
      });
    }
  });
  for (const [id, list] of Object.entries(c.fallbacks)) {
    if (list.includes(id)) issues.push({ path: ['fallbacks', id], message: `model "${id}" lists itself as its own fallback` });
  }
  return issues;
}
