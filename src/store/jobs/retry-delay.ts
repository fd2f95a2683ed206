export interface RetryBackoff {
  /** Delay after the first failure; doubles with each further one. */
  baseMs: number;
  /** Ceiling for the doubled delay. */
  maxMs: number;
}

export const defaultRetryBackoff: RetryBackoff = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random. The random half spreads the retries of
 * jobs that failed together (an upstream outage) so they do not return as one burst; the fixed half keeps the growth.
 */
export function retryDelayMs(failures: number, backoff: RetryBackoff, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}
