import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces requests to each host evenly: at most `perMinute` a minute, or the host's robots.txt Crawl-delay when that
 * is longer. A fixed interval, not a bucket: crawlers that burst are the ones sites block.
 */
export class HostRateLimiter {
  private readonly next = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(
    perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<unknown> = (ms, signal) => sleep(ms, undefined, { signal }),
  ) {
    this.intervalMs = 60_000 / perMinute;
  }

  /** Resolves when a request to `host` may go; `minIntervalMs` raises the spacing for this host. */
  async take(host: string, minIntervalMs = 0, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, at + Math.max(this.intervalMs, minIntervalMs));
    if (at > now) await this.wait(at - now, signal);
  }
}
