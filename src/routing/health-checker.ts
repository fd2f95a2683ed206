import { type Logger, QuarryError, silentLogger } from '../core/index.js';
import { ActiveHealth } from './active-health.js';
import type { Deployment } from './deployment.js';
import type { HealthCheckPolicy } from './routing-config.js';

/** Runs `fn` after `ms`; returns how to cancel it. Injected by tests to step a fake clock. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface HealthCheckerOptions {
  log?: Logger;
  /** Wall-clock ms, for `lastCheckAt`. */
  now?: () => number;
  schedule?: Schedule;
}

const realSchedule: Schedule = (fn, ms) => {
  // Unreferenced: a pending check must not keep a process alive that has nothing else to do.
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

interface Watched {
  d: Deployment;
  health: ActiveHealth;
  cancel?: () => void;
}

/**
 * Probes deployments on an interval and sets their `active` verdict, which `Deployment.available` reads. The next
 * probe is scheduled when the last one ends, so a slow upstream is never probed twice at once.
 *
 * Active health is per replica, deliberately not shared through `BreakerSync`: every replica probes for itself, so
 * a deployment that only one replica cannot reach (a partition, a bad route) leaves rotation there and nowhere else,
 * and a probe costs nothing, so N replicas probing is no burden. Breaker verdicts are shared because finding them
 * costs failed client requests; finding these costs nothing.
 */
export class HealthChecker {
  private readonly watched = new Map<string, Watched>();
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly schedule: Schedule;
  private closed = false;

  constructor(o: HealthCheckerOptions = {}) {
    this.log = o.log ?? silentLogger;
    this.now = o.now ?? Date.now;
    this.schedule = o.schedule ?? realSchedule;
  }

  /** Starts checking `d` (once per deployment id): the first probe runs at once, then every `intervalMs`. */
  watch(d: Deployment, policy: HealthCheckPolicy): void {
    if (this.closed || this.watched.has(d.spec.id)) return;
    if (!d.spec.provider.probe) {
      // Said once per deployment, since configuration asked for checks it cannot have; the breaker still guards it.
      this.log.info({ deployment: d.spec.id, provider: d.spec.provider.type }, 'provider has no health probe; deployment not actively checked');
      return;
    }
    const health = new ActiveHealth(policy);
    health.onChange = (state, error) => {
      if (state === 'unhealthy') this.log.warn({ deployment: d.spec.id, error }, 'deployment failed its health checks; out of rotation until it passes them');
      else this.log.info({ deployment: d.spec.id }, 'deployment passed its health checks; back in rotation');
    };
    d.active = health;
    const w: Watched = { d, health };
    this.watched.set(d.spec.id, w);
    void this.check(w);
  }

  /** Stops every check; a probe in flight finishes but records nothing. */
  close(): void {
    this.closed = true;
    for (const w of this.watched.values()) w.cancel?.();
  }

  private check(w: Watched): Promise<void> {
    w.cancel = undefined;
    return this.probe(w).finally(() => {
      if (!this.closed) w.cancel = this.schedule(() => void this.check(w), w.health.policy.intervalMs);
    });
  }

  private async probe(w: Watched): Promise<void> {
    const { d, health } = w;
    const ac = new AbortController();
    let timedOut!: () => void;
    const timeout = new Promise<never>((_, reject) => {
      timedOut = () => {
        const e = new QuarryError('ModelTimeoutException', `Health check of deployment ${d.spec.id} took longer than ${health.policy.timeoutMs} ms.`);
        ac.abort(e);
        reject(e);
      };
    });
    // Raced rather than only signalled, so a provider that ignores the signal still fails the check on time.
    const cancelTimer = this.schedule(() => timedOut(), health.policy.timeoutMs);
    let error: string | undefined;
    try {
      await Promise.race([d.spec.provider.probe!({ signal: ac.signal }), timeout]);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      cancelTimer();
      timeout.catch(() => undefined);
    }
    if (!this.closed) health.record(this.now(), error);
  }
}
