import { setTimeout as delay } from 'node:timers/promises';
import { type Logger, type ModelInfo, type ModelProvider, QuarryError, silentLogger } from '../core/index.js';
import { parseModelId, type ResolvedModel } from '../models/index.js';
import type { BreakerSync } from './breaker-sync.js';
import { Deployment, type DeploymentHealth } from './deployment.js';
import { DeploymentSet } from './deployment-set.js';
import { DirectRoute } from './direct-route.js';
import { HealthChecker, type Schedule } from './health-checker.js';
import { ModelRoute } from './model-route.js';
import { RetryBudget } from './retry-budget.js';
import type { Preflight, Route } from './route.js';
import {
  type DeploymentEntry,
  defaultRoutingPolicy,
  healthCheckFor,
  type InferenceProfileEntry,
  type RoutingConfig,
  type RoutingPolicy,
  type RoutingStrategy,
  routingConfigured,
} from './routing-config.js';

/** What the router needs of the model catalog (`ModelCatalog` fits). */
export interface ModelLookup {
  resolve(id: string): Promise<ResolvedModel>;
}

export interface RouterOptions {
  catalog: ModelLookup;
  /** Every provider instance, by which deployments find theirs. */
  providers: readonly ModelProvider[];
  config: RoutingConfig;
  /** Runs before each model is called (the runtime's context-window check). */
  preflight: Preflight;
  log?: Logger;
  /** Shares breaker transitions with other replicas (Redis, when configured); absent, each breaker is this process's. */
  breakerSync?: BreakerSync;
  /** Injected by tests: randomness, a monotonic clock in ms, and sleep. */
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected by tests: the health checker's timers and wall clock. */
  schedule?: Schedule;
  wallClock?: () => number;
}

const MAX_ROUTES = 4096;

const sleepFor = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

/**
 * Turns a client-facing model id into a `Route`. Without routing configuration every id is its catalog model on its
 * one provider (a `DirectRoute`, as if there were no router). With it, every id gets a deployment set: an inference
 * profile's deployments, a model's configured deployments, or — for any other model — a set of one deployment, its
 * own provider; each with retries, circuit breakers and the model's fallbacks.
 *
 * Routes are built on first use (deployments take pricing and limits from the catalog, which discovers models
 * asynchronously) and kept, so a call after the first costs a map lookup.
 */
export class Router {
  readonly enabled: boolean;
  private readonly policy: RoutingPolicy;
  private readonly profiles: Map<string, InferenceProfileEntry>;
  private readonly entriesByModel = new Map<string, DeploymentEntry[]>();
  private readonly entries: Map<string, DeploymentEntry>;
  private readonly providers: Map<string, ModelProvider>;
  private readonly deployments = new Map<string, Deployment>();
  private readonly routes = new Map<string, ModelRoute>();
  private readonly building = new Map<string, Promise<ModelRoute>>();
  private readonly direct = new WeakMap<ResolvedModel, DirectRoute>();
  private readonly warned = new Set<string>();
  /** Operators' runtime drains (true) and restores (false) by deployment id, applied to deployments as they are built. */
  private drainOverrides: ReadonlyMap<string, boolean> = new Map();
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly log: Logger;
  readonly healthChecker: HealthChecker;

  constructor(private readonly o: RouterOptions) {
    const c = o.config;
    this.enabled = routingConfigured(c);
    this.policy = c.routing ?? defaultRoutingPolicy();
    this.profiles = new Map(c.inferenceProfiles.map((p) => [p.id, p]));
    this.entries = new Map(c.deployments.map((d) => [d.id, d]));
    for (const d of c.deployments) this.entriesByModel.set(d.model, [...(this.entriesByModel.get(d.model) ?? []), d]);
    this.providers = new Map(o.providers.map((p) => [p.id, p]));
    this.random = o.random ?? Math.random;
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? sleepFor;
    this.log = o.log ?? silentLogger;
    this.healthChecker = new HealthChecker({ log: this.log, schedule: o.schedule, now: o.wallClock });
  }

  /**
   * Builds every configured deployment that has active checks, so they are probed from start-up rather than from
   * their first call. A deployment that cannot be built yet (its model not listed) is left to its first call.
   */
  async startHealthChecks(): Promise<void> {
    if (!this.enabled) return;
    await Promise.all(
      this.o.config.deployments
        .filter((e) => healthCheckFor(this.policy, e) !== undefined)
        .map((e) => this.deployment(e).catch((err) => this.log.warn({ err, deployment: e.id }, 'deployment not checked until its first call'))),
    );
  }

  /** Stops the health checks. */
  close(): void {
    this.healthChecker.close();
  }

  /**
   * The route for a client-facing id (a model id, an inference profile id, or an ARN of either). Synchronous once
   * the route is built: this runs on every invocation.
   */
  route(rawId: string): Route | Promise<Route> {
    if (!this.enabled) return this.directRoute(rawId);
    const known = this.routes.get(rawId);
    if (known) return known;
    const { id, fallback } = parseModelId(rawId);
    const route = this.routes.get(id);
    if (!route) return this.build(id, fallback, rawId);
    if (this.routes.size < MAX_ROUTES) this.routes.set(rawId, route);
    return route;
  }

  private async directRoute(rawId: string): Promise<Route> {
    const resolved = await this.o.catalog.resolve(rawId);
    let r = this.direct.get(resolved);
    if (!r) {
      r = new DirectRoute(resolved.model, resolved.provider, this.o.preflight);
      this.direct.set(resolved, r);
    }
    return r;
  }

  /** Inference profiles as models, for model listings; those whose model is not served are left out. */
  async profileModels(): Promise<ModelInfo[]> {
    const out: ModelInfo[] = [];
    for (const id of this.profiles.keys()) {
      const r = await Promise.resolve()
        .then(() => this.route(id))
        .catch(() => undefined);
      if (r) out.push(r.model);
    }
    return out;
  }

  /** Every deployment routing has used so far, with its breaker state and passive health counters. */
  health(): DeploymentHealth[] {
    return [...this.deployments.values()].map((d) => d.health());
  }

  /** Whether `id` names a deployment routing knows now: a configured one, or a model's implicit one it has built. */
  hasDeployment(id: string): boolean {
    return this.entries.has(id) || this.deployments.has(id);
  }

  /**
   * Whether `id` names a deployment, built or not: also a model's implicit one (`<provider>/<model>`, for a catalog
   * model with no configured deployments) that this replica has not routed to yet, so an operator can drain it on any
   * replica before its first call there.
   */
  async knowsDeployment(id: string): Promise<boolean> {
    if (this.hasDeployment(id)) return true;
    const slash = id.indexOf('/');
    if (slash <= 0) return false;
    const resolved = await this.o.catalog.resolve(id.slice(slash + 1)).catch(() => undefined);
    return !!resolved && `${resolved.provider.id}/${resolved.model.id}` === id && !this.entriesByModel.has(resolved.model.id);
  }

  /**
   * Replaces every operator override at once (the stored set, read afresh): a deployment named gets the override, one
   * left out goes back to its configuration. Calls already in flight are untouched; only picking changes.
   */
  setDrainOverrides(overrides: ReadonlyMap<string, boolean>): void {
    this.drainOverrides = overrides;
    for (const [id, d] of this.deployments) d.override = overrides.get(id);
  }

  /** An operator's drain (true) or restore (false) of a deployment, when one is in force; undefined: the configuration decides. */
  drainOverride(id: string): boolean | undefined {
    return this.drainOverrides.get(id);
  }

  private build(id: string, geoFallback: string | undefined, rawId: string): Promise<ModelRoute> {
    let p = this.building.get(id);
    if (!p) {
      p = this.create(id, geoFallback, rawId)
        .then((route) => {
          this.routes.set(id, route);
          // The id as sent (an ARN, an encoded id) is kept too so the next call skips parsing it; bounded, because
          // a client could spell a known id in endless ways.
          if (rawId !== id && this.routes.size < MAX_ROUTES) this.routes.set(rawId, route);
          return route;
        })
        .finally(() => this.building.delete(id));
      this.building.set(id, p);
    }
    return p;
  }

  private async create(id: string, geoFallback: string | undefined, rawId: string): Promise<ModelRoute> {
    // A configured profile or deployment set wins; a geography-prefixed id not configured as a profile falls back to
    // the model without the prefix, as the catalog does.
    for (const key of geoFallback ? [id, geoFallback] : [id]) {
      const profile = this.profiles.get(key);
      if (profile) return this.profileRoute(profile);
      const entries = this.entriesByModel.get(key);
      if (entries) {
        const ds = await Promise.all(entries.map((e) => this.deployment(e)));
        return this.modelRoute(ds[0]!.spec.model, ds, this.policy.strategy, key, key);
      }
    }
    const resolved = await this.o.catalog.resolve(rawId);
    const own = this.entriesByModel.get(resolved.model.id);
    const ds = own ? await Promise.all(own.map((e) => this.deployment(e))) : [this.implicitDeployment(resolved)];
    return this.modelRoute(own ? ds[0]!.spec.model : resolved.model, ds, this.policy.strategy, resolved.model.id, id);
  }

  private async profileRoute(p: InferenceProfileEntry): Promise<ModelRoute> {
    const ds = await Promise.all(p.deployments.map((id) => this.deployment(this.entries.get(id)!)));
    const base = ds[0]!.spec.model;
    const model: ModelInfo = { ...base, id: p.id, name: p.name ?? `${base.name} (inference profile ${p.id})` };
    return this.modelRoute(model, ds, p.strategy, p.id, p.id);
  }

  private modelRoute(model: ModelInfo, ds: Deployment[], strategy: RoutingStrategy, name: string, requested: string): ModelRoute {
    const set = new DeploymentSet(name, ds, {
      strategy,
      policy: this.policy,
      retryBudget: new RetryBudget(this.policy.retry.budgetRatio, this.policy.retry.minRetriesPerSecond, () => this.now()),
      random: this.random,
      now: this.now,
      sleep: this.sleep,
    });
    const fallbacks = this.o.config.fallbacks[requested] ?? this.o.config.fallbacks[name] ?? this.o.config.fallbacks[ds[0]!.spec.model.id] ?? [];
    return new ModelRoute(model, set, fallbacks, (fid) => this.fallbackRoute(fid, name), this.o.preflight);
  }

  private async fallbackRoute(id: string, from: string): Promise<ModelRoute | undefined> {
    try {
      return (await this.route(id)) as ModelRoute;
    } catch (e) {
      // Once per fallback: a configured fallback that is not served is a configuration mistake, not a request's.
      if (!this.warned.has(id)) {
        this.warned.add(id);
        this.log.warn({ err: e, model: from, fallback: id }, 'a configured fallback model is not available; it is skipped');
      }
      return undefined;
    }
  }

  private async deployment(e: DeploymentEntry): Promise<Deployment> {
    const known = this.deployments.get(e.id);
    if (known) return known;
    const provider = this.providers.get(e.provider);
    if (!provider) throw new QuarryError('ServiceUnavailableException', `Deployment ${e.id} names provider ${e.provider}, which is not running.`);
    let base: ModelInfo;
    try {
      base = (await this.o.catalog.resolve(e.model)).model;
    } catch (err) {
      throw new QuarryError(
        'ResourceNotFoundException',
        `Deployment ${e.id} serves model ${e.model}, which no provider lists; describe it under \`models:\` (pricing, context window) to route to it.`,
        { cause: err },
      );
    }
    const model: ModelInfo = { ...base, providerId: provider.id, upstreamModel: e.upstreamModel ?? base.upstreamModel };
    const costPer1k = e.costPer1k ?? (base.pricing ? base.pricing.inputPer1k + base.pricing.outputPer1k : 0);
    const d =
      this.deployments.get(e.id) ??
      new Deployment(
        { id: e.id, model, provider, region: e.region, weight: e.weight, priority: e.priority, capacity: e.capacity, costPer1k, drained: e.drained },
        this.policy.breaker,
        this.policy.latencySmoothing,
        this.now,
      );
    if (!this.deployments.has(e.id)) {
      d.override = this.drainOverrides.get(e.id);
      this.o.breakerSync?.attach(e.id, d.breaker);
      const check = healthCheckFor(this.policy, e);
      if (check) this.healthChecker.watch(d, check);
    }
    this.deployments.set(e.id, d);
    return d;
  }

  /** A model with no configured deployments: its own provider, as one deployment named after the model. */
  private implicitDeployment(r: ResolvedModel): Deployment {
    const id = `${r.provider.id}/${r.model.id}`;
    let d = this.deployments.get(id);
    if (!d) {
      const costPer1k = r.model.pricing ? r.model.pricing.inputPer1k + r.model.pricing.outputPer1k : 0;
      d = new Deployment(
        { id, model: r.model, provider: r.provider, weight: 1, priority: 0, costPer1k, drained: false },
        this.policy.breaker,
        this.policy.latencySmoothing,
        this.now,
      );
      d.override = this.drainOverrides.get(id);
      this.deployments.set(id, d);
      this.o.breakerSync?.attach(id, d.breaker);
      const check = healthCheckFor(this.policy, undefined);
      if (check) this.healthChecker.watch(d, check);
    }
    return d;
  }
}
