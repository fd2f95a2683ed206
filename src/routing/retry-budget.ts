/**
 * Caps retries to a share of traffic (Finagle's retry budget): every request deposits `ratio` of a retry, every retry
 * withdraws one, and `minPerSecond` trickles in with time so a quiet server can still retry. When a whole deployment
 * set fails at once, requests fail fast instead of every one of them multiplying the load on an upstream that is
 * already down.
 */
export class RetryBudget {
  private balance: number;
  private last: number;
  private readonly cap: number;

  constructor(
    private readonly ratio: number,
    private readonly minPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    // Enough banked for a burst of failures right after a quiet spell, not for an outage's worth.
    this.cap = minPerSecond + 100 * ratio;
    this.balance = this.cap;
    this.last = now();
  }

  deposit(): void {
    this.balance = Math.min(this.cap, this.balance + this.ratio);
  }

  /** Takes one retry from the budget; false when it is spent. */
  withdraw(): boolean {
    const t = this.now();
    if (t > this.last) {
      this.balance = Math.min(this.cap, this.balance + ((t - this.last) / 1000) * this.minPerSecond);
      this.last = t;
    }
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }
}
