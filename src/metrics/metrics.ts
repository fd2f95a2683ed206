import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface InvocationObservation {
  model: string;
  api: string;
  /** `ok` or the error code. */
  outcome: string;
  seconds: number;
  inputTokens: number;
  outputTokens: number;
}

/** What the deployment gauges read of one deployment (routing's `DeploymentHealth` fits). */
export interface DeploymentHealthSample {
  id: string;
  model: string;
  provider: string;
  state: string;
  drained: boolean;
  active?: { state: string; consecutiveFailures: number };
}

const MAX_BOUND_SERIES = 10_000;

interface BoundSeries {
  invocations: { inc(value?: number): void };
  latency: { observe(value: number): void };
  inputTokens: { inc(value?: number): void };
  outputTokens: { inc(value?: number): void };
  errors: { inc(value?: number): void } | undefined;
}

/** Prometheus metrics for `GET /metrics`: invocations, latency, tokens and errors by model and API. */
export class Metrics {
  readonly registry = new Registry();
  private readonly bound = new Map<string, BoundSeries>();
  private readonly invocations = new Counter({
    name: 'quarry_invocations_total',
    help: 'Model invocations by model, API and outcome.',
    labelNames: ['model', 'api', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'quarry_invocation_duration_seconds',
    help: 'Invocation latency (to the last byte for streams) by model and API.',
    labelNames: ['model', 'api'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly inputTokens = new Counter({
    name: 'quarry_input_tokens_total',
    help: 'Input tokens by model and API.',
    labelNames: ['model', 'api'] as const,
    registers: [this.registry],
  });
  private readonly outputTokens = new Counter({
    name: 'quarry_output_tokens_total',
    help: 'Output tokens by model and API.',
    labelNames: ['model', 'api'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'quarry_errors_total',
    help: 'Failed invocations by model, API and error code.',
    labelNames: ['model', 'api', 'code'] as const,
    registers: [this.registry],
  });

  /**
   * Reports routing's deployments on every scrape (gauges read at collection, so routing keeps no metric state on its
   * hot path). Healthy means neither health signal keeps it out: breaker not open and active checks not failing;
   * drained is its own gauge, since a drained deployment is out of rotation by choice, not because it is sick.
   */
  trackDeployments(read: () => readonly DeploymentHealthSample[]): void {
    const labelNames = ['deployment', 'model', 'provider'] as const;
    const each = (g: Gauge<(typeof labelNames)[number]>, value: (d: DeploymentHealthSample) => number | undefined) => {
      g.reset();
      for (const d of read()) {
        const v = value(d);
        if (v !== undefined) g.set({ deployment: d.id, model: d.model, provider: d.provider }, v);
      }
    };
    new Gauge({
      name: 'quarry_deployment_healthy',
      help: 'Whether a routed deployment passes its health signals (breaker not open, active checks not failing): 1 or 0.',
      labelNames,
      registers: [this.registry],
      collect() {
        each(this, (d) => (d.state !== 'open' && d.active?.state !== 'unhealthy' ? 1 : 0));
      },
    });
    new Gauge({
      name: 'quarry_deployment_drained',
      help: 'Whether a routed deployment is drained (takes no new calls): 1 or 0.',
      labelNames,
      registers: [this.registry],
      collect() {
        each(this, (d) => (d.drained ? 1 : 0));
      },
    });
    new Gauge({
      name: 'quarry_deployment_health_check_consecutive_failures',
      help: 'Failed active health checks in a row, for deployments that are checked.',
      labelNames,
      registers: [this.registry],
      collect() {
        each(this, (d) => d.active?.consecutiveFailures);
      },
    });
  }

  constructor() {
    // prom-client's own names already say what they measure (process_cpu_seconds_total, nodejs_heap_size_used_bytes).
    collectDefaultMetrics({ register: this.registry, prefix: 'quarry_' });
  }

  observe(o: InvocationObservation): void {
    const s = this.seriesOf(o.model, o.api, o.outcome);
    s.invocations.inc();
    s.latency.observe(o.seconds);
    if (o.inputTokens) s.inputTokens.inc(o.inputTokens);
    if (o.outputTokens) s.outputTokens.inc(o.outputTokens);
    s.errors?.inc();
  }

  /**
   * The labelled series one invocation updates, bound once per (model, API, outcome), so an invocation builds no label
   * objects of its own (prom-client still hashes the bound labels on each update; the five updates of one invocation
   * went from 3.3 µs to 2.1 µs in a tight loop here).
   */
  private seriesOf(model: string, api: string, outcome: string): BoundSeries {
    const k = `${model}\u0000${api}\u0000${outcome}`;
    let s = this.bound.get(k);
    if (!s) {
      const labels = { model, api };
      s = {
        invocations: this.invocations.labels({ ...labels, outcome }),
        latency: this.latency.labels(labels),
        inputTokens: this.inputTokens.labels(labels),
        outputTokens: this.outputTokens.labels(labels),
        errors: outcome === 'ok' ? undefined : this.errors.labels({ ...labels, code: outcome }),
      };
      // Model ids come from the catalog and outcomes from a fixed set of codes, but stay bounded whatever arrives.
      if (this.bound.size >= MAX_BOUND_SERIES) this.bound.clear();
      this.bound.set(k, s);
    }
    return s;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
