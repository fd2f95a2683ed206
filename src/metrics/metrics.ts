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

/** Prometheus metrics for `GET /metrics`: invocations, latency, tokens and errors by model and API. */
export class Metrics {
  readonly registry = new Registry();
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
    collectDefaultMetrics({ register: this.registry, prefix: 'quarry_process_' });
  }

  observe(o: InvocationObservation): void {
    const labels = { model: o.model, api: o.api };
    this.invocations.inc({ ...labels, outcome: o.outcome });
    this.latency.observe(labels, o.seconds);
    if (o.inputTokens) this.inputTokens.inc(labels, o.inputTokens);
    if (o.outputTokens) this.outputTokens.inc(labels, o.outputTokens);
    if (o.outcome !== 'ok') this.errors.inc({ ...labels, code: o.outcome });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
