import type { BreakerPolicy } from './routing-config.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * One deployment's circuit breaker: closed → open after `consecutiveFailures` in a row or when the failure share of
 * the last `window` calls reaches `failureRate` → half-open once `cooldownMs` has passed, letting `halfOpenProbes`
 * calls through → closed on a probe's success, open again on its failure.
 *
 * The window counts calls, not seconds (a ring of the last N outcomes), so a deployment that gets little traffic is
 * judged on as many calls as a busy one, and nothing here allocates after construction. The clock is injected so
 * tests step through the states without waiting.
 */
export class CircuitBreaker {
  private stateNow: BreakerState = 'closed';
  private readonly ring: Uint8Array;
  private ringAt = 0;
  private ringFilled = 0;
  private ringFailures = 0;
  private consecutive = 0;
  private openedAt = 0;
  private probes = 0;
  /** Times the breaker went from closed or half-open to open, for reporting. */
  opened = 0;
  /**
   * Told of the transitions this breaker made on its own evidence (not those applied from a peer, which would echo),
   * so they can be shared with other replicas (see `BreakerSync`).
   */
  onChange?: (state: 'open' | 'closed', cooldownMs: number) => void;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.ring = new Uint8Array(policy.window);
  }

  get state(): BreakerState {
    if (this.stateNow === 'open' && this.now() - this.openedAt >= this.policy.cooldownMs) {
      this.stateNow = 'half-open';
      this.probes = 0;
    }
    return this.stateNow;
  }

  /** Whether a call may be sent now. Does not reserve anything: call `begin` for the call actually sent. */
  available(): boolean {
    const s = this.state;
    return s === 'closed' || (s === 'half-open' && this.probes < this.policy.halfOpenProbes);
  }

  /** A call is being sent (while half-open, it takes a probe slot). */
  begin(): void {
    if (this.state === 'half-open') this.probes++;
  }

  success(): void {
    this.consecutive = 0;
    if (this.stateNow === 'half-open') {
      this.close();
      return;
    }
    this.push(0);
  }

  failure(): void {
    this.consecutive++;
    if (this.stateNow === 'half-open') {
      this.open();
      return;
    }
    if (this.stateNow === 'open') return;
    this.push(1);
    const p = this.policy;
    if (this.consecutive >= p.consecutiveFailures || (this.ringFilled >= p.minCalls && this.ringFailures >= p.failureRate * this.ringFilled)) this.open();
  }

  /** A call ended without saying anything about the deployment (the client went away): frees its probe slot. */
  release(): void {
    if (this.stateNow === 'half-open' && this.probes > 0) this.probes--;
  }

  /**
   * Another replica opened this deployment's breaker with `remainingMs` of its cooldown left: open here too, for that
   * long at most (this replica's own cooldown bounds it), then half-open as usual.
   */
  openFromPeer(remainingMs: number): void {
    const left = Math.min(Math.max(0, remainingMs), this.policy.cooldownMs);
    this.stateNow = 'open';
    this.openedAt = this.now() - (this.policy.cooldownMs - left);
    this.probes = 0;
  }

  /** Another replica's probe succeeded: the deployment is healthy again. */
  closeFromPeer(): void {
    if (this.stateNow !== 'closed') this.reset();
  }

  private push(failed: 0 | 1): void {
    if (this.ringFilled === this.ring.length) this.ringFailures -= this.ring[this.ringAt]!;
    else this.ringFilled++;
    this.ring[this.ringAt] = failed;
    this.ringFailures += failed;
    this.ringAt = (this.ringAt + 1) % this.ring.length;
  }

  private open(): void {
    this.stateNow = 'open';
    this.openedAt = this.now();
    this.opened++;
    this.onChange?.('open', this.policy.cooldownMs);
  }

  private close(): void {
    this.reset();
    this.onChange?.('closed', this.policy.cooldownMs);
  }

  private reset(): void {
    this.stateNow = 'closed';
    this.consecutive = 0;
    this.ring.fill(0);
    this.ringAt = 0;
    this.ringFilled = 0;
    this.ringFailures = 0;
  }
}
