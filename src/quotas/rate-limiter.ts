import type { EffectiveLimits, LimitName } from './quota-limits.js';

/** The limits' window: "per minute" is any 60 seconds, not the calendar minute (no double burst at the boundary). */
export const WINDOW_MS = 60_000;

export interface AcquireRequest {
  /** One counter set: a key on a model. Opaque to the limiter. */
  bucket: string;
  limits: EffectiveLimits;
  /** Tokens to reserve now (input plus max_tokens); ignored unless limits.tokensPerMinute is set. */
  tokens: number;
}

/** What an admitted request holds until it is settled. */
export interface RateTicket {
  readonly bucket: string;
  readonly id: string;
  /** The tokens reserved, when the bucket counts tokens. */
  readonly tokens?: number;
  /** Whether it holds a concurrency slot. */
  readonly slot: boolean;
  /** Whether it is in the requests/tokens window. */
  readonly logged: boolean;
}

export type AcquireResult =
  | { ok: true; ticket: RateTicket }
  /** `limit` is the one that refused (the one freeing last when several did); `retryAfterMs` when it will admit again. */
  | { ok: false; limit: LimitName; retryAfterMs: number };

export interface ReleaseRequest {
  /** The tokens actually used, replacing the reservation in the window (a refund, or a charge when it ran over). */
  tokens?: number;
  /** The request never ran (a later admission step refused it): it leaves the window altogether. */
  cancel?: boolean;
}

/**
 * Counts requests, tokens and requests in flight per bucket, and admits or refuses atomically against all three: a
 * request refused for tokens does not consume a request. Implementations: in-process (one replica) and Redis (several
 * replicas sharing one count); both pass rate-limiter-conformance.ts.
 */
export interface RateLimiter {
  acquire(req: AcquireRequest): Promise<AcquireResult>;
  /** Settles a ticket once: adjusts its tokens in the window and frees its slot. Never throws. */
  release(ticket: RateTicket, r: ReleaseRequest): void;
  /** Resolves once every release so far has reached the counters (they may travel in the background). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Slots freed by requests ending cannot be predicted; this is the advice given when only concurrency refused. */
export const CONCURRENCY_RETRY_MS = 1000;
