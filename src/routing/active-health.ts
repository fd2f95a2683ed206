import type { HealthCheckPolicy } from './routing-config.js';

/** `unknown` until the first probe answers; a deployment not yet checked stays in rotation, so a restart is no outage. */
export type ActiveHealthState = 'unknown' | 'healthy' | 'unhealthy';

/** What `health()` reports of one deployment's active checks. */
export interface ActiveHealthReport {
  state: ActiveHealthState;
  /** When the last probe ended, ISO 8601. */
  lastCheckAt?: string;
  /** Why the last failed probe failed (kept after later successes, with `lastErrorAt`, for the operator). */
  lastError?: string;
  lastErrorAt?: string;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  checks: number;
}

/**
 * One deployment's verdict from active checks: `unhealthyThreshold` failed probes in a row take it out of rotation,
 * `healthyThreshold` good ones in a row bring it back. From `unknown`, one good probe is enough to say healthy
 * (nothing was wrong to recover from). Pure state: the `HealthChecker` runs the probes and the clock.
 */
export class ActiveHealth {
  state: ActiveHealthState = 'unknown';
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  checks = 0;
  lastCheckAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  /** Told when the deployment leaves or rejoins rotation, for the log. */
  onChange?: (state: 'healthy' | 'unhealthy', error: string | undefined) => void;

  constructor(readonly policy: HealthCheckPolicy) {}

  /** Read on every routing decision. */
  get inRotation(): boolean {
    return this.state !== 'unhealthy';
  }

  /** One probe's result at wall-clock time `at` (ms); `error` is why it failed, absent when it succeeded. */
  record(at: number, error?: string): void {
    this.checks++;
    this.lastCheckAt = at;
    if (error === undefined) {
      this.consecutiveSuccesses++;
      this.consecutiveFailures = 0;
      if (this.state === 'unknown' || (this.state === 'unhealthy' && this.consecutiveSuccesses >= this.policy.healthyThreshold)) this.become('healthy', undefined);
      return;
    }
    this.consecutiveFailures++;
    this.consecutiveSuccesses = 0;
    this.lastError = error;
    this.lastErrorAt = at;
    if (this.state !== 'unhealthy' && this.consecutiveFailures >= this.policy.unhealthyThreshold) this.become('unhealthy', error);
  }

  report(): ActiveHealthReport {
    const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
    return {
      state: this.state,
      lastCheckAt: iso(this.lastCheckAt),
      lastError: this.lastError,
      lastErrorAt: iso(this.lastErrorAt),
      consecutiveFailures: this.consecutiveFailures,
      consecutiveSuccesses: this.consecutiveSuccesses,
      checks: this.checks,
    };
  }

  private become(state: 'healthy' | 'unhealthy', error: string | undefined): void {
    const was = this.state;
    this.state = state;
    if (was !== 'unknown' || state === 'unhealthy') this.onChange?.(state, error);
  }
}
