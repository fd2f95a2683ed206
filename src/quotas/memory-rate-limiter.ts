import type { LimitName } from './quota-limits.js';
import { type AcquireRequest, type AcquireResult, CONCURRENCY_RETRY_MS, type RateLimiter, type RateTicket, type ReleaseRequest, WINDOW_MS } from './rate-limiter.js';
import { WindowLog } from './window-log.js';

export interface MemoryRateLimiterOptions {
  /** The sliding window; tests shorten it. */
  windowMs?: number;
  /** A monotonic clock in milliseconds. */
  now?: () => number;
}

/** One key on one model: the window's admissions and the requests in flight. */
interface Bucket {
  log: WindowLog;
  active: number;
}

interface MemoryTicket extends RateTicket {
  readonly owner: Bucket;
  /** The entry's sequence number in the owner's log; -1 when not logged. */
  readonly seq: number;
  released: boolean;
}

let sequence = 0;

/**
 * The in-process limiter: an exact sliding-window log per bucket (each admission stays counted for exactly one window,
 * so no 60 seconds ever see more than the limit) and a counter of requests in flight. The check and the reservation
 * run in one synchronous call, so concurrent requests cannot interleave between them.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(opts: MemoryRateLimiterOptions = {}) {
    this.windowMs = opts.windowMs ?? WINDOW_MS;
    this.now = opts.now ?? (() => performance.now());
    // Buckets nobody asks for again would otherwise stay forever (a key used once, a model id tried once).
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, this.windowMs));
    this.sweeper.unref();
  }

  acquire(req: AcquireRequest): Promise<AcquireResult> {
    return Promise.resolve(this.acquireNow(req));
  }

  /** The synchronous core (the Promise wrapper is the interface's). */
  acquireNow({ bucket: name, limits, tokens }: AcquireRequest): AcquireResult {
    const now = this.now();
    let b = this.buckets.get(name);
    if (!b) {
      b = { log: new WindowLog(), active: 0 };
      this.buckets.set(name, b);
    }
    const rpm = limits.requestsPerMinute;
    const tpm = limits.tokensPerMinute;
    const conc = limits.concurrentRequests;
    const logged = rpm !== undefined || tpm !== undefined;
    const cost = tpm === undefined ? 0 : Math.max(0, Math.ceil(tokens));
    const log = b.log;
    if (logged) log.evict(now - this.windowMs);
    const over = (rpm !== undefined && log.count >= rpm) || (tpm !== undefined && log.tokens + cost > tpm) || (conc !== undefined && b.active >= conc);
    if (over) return this.refusal(b, now, rpm, tpm, conc, cost);
    const seq = logged ? log.push(now, cost) : -1;
    const slot = conc !== undefined;
    if (slot) b.active++;
    const ticket: MemoryTicket = { bucket: name, id: `m${++sequence}`, slot, logged, owner: b, seq, released: false, tokens: tpm === undefined ? undefined : cost };
    return { ok: true, ticket };
  }

  /** Which limit refused, and when it will admit again (the latest of those that refused). */
  private refusal(b: Bucket, now: number, rpm?: number, tpm?: number, conc?: number, cost = 0): AcquireResult {
    let limit: LimitName = 'concurrentRequests';
    let retryAfterMs = 0;
    if (conc !== undefined && b.active >= conc) retryAfterMs = CONCURRENCY_RETRY_MS;
    if (rpm !== undefined && b.log.count >= rpm) {
      const at = b.log.freedAt((count) => count < rpm);
      const ms = at === undefined ? this.windowMs : at + this.windowMs - now;
      if (ms > retryAfterMs) [limit, retryAfterMs] = ['requestsPerMinute', ms];
    }
    if (tpm !== undefined && b.log.tokens + cost > tpm) {
      const at = cost > tpm ? undefined : b.log.freedAt((_, t) => t + cost <= tpm);
      const ms = at === undefined ? this.windowMs : at + this.windowMs - now;
      if (ms > retryAfterMs) [limit, retryAfterMs] = ['tokensPerMinute', ms];
    }
    return { ok: false, limit, retryAfterMs: Math.max(1, retryAfterMs) };
  }

  release(t: RateTicket, r: ReleaseRequest): void {
    const ticket = t as MemoryTicket;
    if (!ticket.owner || ticket.released) return;
    ticket.released = true;
    const b = ticket.owner;
    if (ticket.slot) b.active--;
    if (ticket.seq < 0) return;
    if (r.cancel) b.log.cancel(ticket.seq);
    else if (ticket.tokens !== undefined && r.tokens !== undefined) b.log.settle(ticket.seq, Math.max(0, Math.ceil(r.tokens)));
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Buckets in memory, for tests. */
  get size(): number {
    return this.buckets.size;
  }

  sweep(): void {
    const before = this.now() - this.windowMs;
    for (const [name, b] of this.buckets) {
      b.log.evict(before);
      // A ticket still pointing at a swept bucket settles into it harmlessly: its entry has aged out, and it holds no slot.
      if (b.log.empty && b.active === 0) this.buckets.delete(name);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.buckets.clear();
  }
}
