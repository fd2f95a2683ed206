/** Full-jitter exponential backoff: a uniform delay in [0, min(max, base·2^(retry-1))). `retry` counts from 1. */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 30)));
}
