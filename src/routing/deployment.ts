import type { ModelInfo, ModelProvider } from '../core/index.js';
import type { ActiveHealth, ActiveHealthReport } from './active-health.js';
import { type BreakerState, CircuitBreaker } from './circuit-breaker.js';
import type { BreakerPolicy } from './routing-config.js';

/** How one call to a deployment ended, as far as the deployment's health is concerned. */
export type CallOutcome = 'ok' | 'failure' | 'timeout' | 'neutral';

export interface DeploymentSpec {
  id: string;
  /** The model as this deployment serves it: the catalog model with this deployment's provider and upstream name. */
  model: ModelInfo;
  provider: ModelProvider;
  region?: string;
  weight: number;
  priority: number;
  capacity?: number;
  /** USD per 1,000 tokens, for `lowest-cost`. */
  costPer1k: number;
  /** As configured; an operator's runtime drain or restore (`Deployment.override`) beats it. */
  drained: boolean;
}

/** What `health()` reports for one deployment. */
export interface DeploymentHealth {
  id: string;
  model: string;
  provider: string;
  region?: string;
  state: BreakerState;
  /** Takes no new calls: the operator's override when there is one, the configuration's `drained` otherwise. */
  drained: boolean;
  /** Who decided `drained`: an operator at runtime (stored, every replica), or the configuration. */
  drainedBy: 'operator' | 'config';
  outstanding: number;
  /** Smoothed latency of recent successful calls (time to first token for streams), ms; 0 before the first. */
  latencyMs: number;
  calls: number;
  failures: number;
  timeouts: number;
  /** Times the breaker opened. */
  breakerOpened: number;
  /** Active health checks; absent when this deployment is not checked. */
  active?: ActiveHealthReport;
}

/**
 * A deployment and what routing knows about it right now: calls in flight, a latency average, passive health
 * counters and its circuit breaker. One instance per configured deployment, shared by every set that names it (a
 * model's own set and the inference profiles over it), so they all see the same health.
 */
export class Deployment {
  outstanding = 0;
  latencyMs = 0;
  calls = 0;
  failures = 0;
  timeouts = 0;
  readonly breaker: CircuitBreaker;
  /** Set by the `HealthChecker` when this deployment is checked actively. */
  active?: ActiveHealth;
  /** An operator's runtime drain (true) or restore (false); undefined leaves the configuration's `drained` in force. */
  override: boolean | undefined;

  constructor(
    readonly spec: DeploymentSpec,
    breaker: BreakerPolicy,
    private readonly smoothing: number,
    now?: () => number,
  ) {
    this.breaker = new CircuitBreaker(breaker, now);
  }

  /**
   * Whether a call may go here now: not drained, below capacity, breaker letting calls through, and not failing its
   * active checks. The two health signals veto independently: either one takes the deployment out, and it is back
   * only when the checks pass again (`healthyThreshold` in a row) and the breaker lets calls through (closed, or
   * half-open for its probe calls). Neither touches calls already sent, which finish where they are.
   */
  available(): boolean {
    const s = this.spec;
    return (
      !this.drained &&
      (s.capacity === undefined || this.outstanding < s.capacity) &&
      this.breaker.available() &&
      (this.active === undefined || this.active.inRotation)
    );
  }

  /** Whether this deployment takes no new calls now. */
  get drained(): boolean {
    return this.override ?? this.spec.drained;
  }

  begin(): void {
    this.outstanding++;
    this.calls++;
    this.breaker.begin();
  }

  /** Folds one successful call's latency into the average (a stream's, at its first token). */
  observeLatency(ms: number): void {
    this.latencyMs = this.latencyMs === 0 ? ms : this.latencyMs + this.smoothing * (ms - this.latencyMs);
  }

  /** Exactly one `end` per `begin`. */
  end(outcome: CallOutcome): void {
    this.outstanding--;
    switch (outcome) {
      case 'ok':
        this.breaker.success();
        break;
      case 'timeout':
        this.timeouts++;
        this.failures++;
        this.breaker.failure();
        break;
      case 'failure':
        this.failures++;
        this.breaker.failure();
        break;
      case 'neutral':
        this.breaker.release();
        break;
      default:
        outcome satisfies never;
    }
  }

  health(): DeploymentHealth {
    const s = this.spec;
    return {
      id: s.id,
      model: s.model.id,
      provider: s.provider.id,
      region: s.region,
      state: this.breaker.state,
      drained: this.drained,
      drainedBy: this.override === undefined ? 'config' : 'operator',
      outstanding: this.outstanding,
      latencyMs: Math.round(this.latencyMs * 100) / 100,
      calls: this.calls,
      failures: this.failures,
      timeouts: this.timeouts,
      breakerOpened: this.breaker.opened,
      active: this.active?.report(),
    };
  }
}
