import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * Shares circuit-breaker transitions between replicas, so a deployment one replica found failing is avoided by all
 * of them rather than each paying its own run of failures to find out. Each replica's breaker still judges on its own
 * evidence; the sync only spreads its verdicts, and a sync that cannot reach its peers leaves every breaker local.
 */
export interface BreakerSync {
  /** From now on, `breaker` (of deployment `id`) shares its transitions and takes its peers'. */
  attach(id: string, breaker: CircuitBreaker): void;
  close(): Promise<void>;
}
