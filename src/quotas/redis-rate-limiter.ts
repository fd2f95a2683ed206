import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Logger, QuarryError } from '../core/index.js';
import type { LimitName } from './quota-limits.js';
import { type AcquireRequest, type AcquireResult, type RateLimiter, type RateTicket, type ReleaseRequest, WINDOW_MS } from './rate-limiter.js';
import { RedisScript } from './redis-script.js';
import { ACQUIRE_LUA, RELEASE_LUA, RENEW_LUA } from './redis-scripts.js';

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Prepended to every key (`quarry:rl:` by default); tests give each run its own. */
  keyPrefix?: string;
  /** When Redis fails: admit without counting, or refuse with ServiceUnavailableException. */
  onError?: 'allow' | 'deny';
  /** A concurrency slot's lifetime without renewal: how long a crashed replica's slots outlive it. */
  leaseMs?: number;
  windowMs?: number;
  log: Logger;
}

const LIMITS: Record<number, LimitName> = { 1: 'requestsPerMinute', 2: 'tokensPerMinute', 3: 'concurrentRequests' };
// A warning per Redis outage is useful; one per request would drown the log.
const WARN_EVERY_MS = 10_000;

const acquireScript = new RedisScript(ACQUIRE_LUA);
const releaseScript = new RedisScript(RELEASE_LUA);
const renewScript = new RedisScript(RENEW_LUA);

/**
 * The limiter several replicas share: every admission is one Lua script on Redis (check all three limits, then reserve),
 * so N replicas with a limit of L per minute admit L, not N×L. The window is an exact sliding log, as in process.
 * Concurrency slots are leases this replica renews while it holds them, so a replica that dies frees its slots within
 * one lease instead of holding them forever.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly onError: 'allow' | 'deny';
  private readonly leaseMs: number;
  private readonly windowMs: number;
  private readonly log: Logger;
  private readonly instance = randomBytes(6).toString('base64url');
  private sequence = 0;
  /** Slot key → ids of slots this replica holds there, renewed every third of a lease. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewer: NodeJS.Timeout;
  private lastWarning = 0;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(opts: RedisRateLimiterOptions) {
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix ?? 'quarry:rl:';
    this.onError = opts.onError ?? 'allow';
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.windowMs = opts.windowMs ?? WINDOW_MS;
    this.log = opts.log;
    this.renewer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewer.unref();
  }

  async acquire({ bucket, limits, tokens }: AcquireRequest): Promise<AcquireResult> {
    const keys = this.keys(bucket);
    const id = `${this.instance}.${++this.sequence}`;
    const rpm = limits.requestsPerMinute ?? -1;
    const tpm = limits.tokensPerMinute ?? -1;
    const conc = limits.concurrentRequests ?? -1;
    const cost = tpm < 0 ? 0 : Math.max(0, Math.ceil(tokens));
    let reply: number[];
    try {
      reply = (await acquireScript.run(this.redis, keys, [this.windowMs, rpm, tpm, conc, cost, id, this.leaseMs])) as number[];
    } catch (e) {
      return this.failed(e, bucket, id);
    }
    if (reply[0] !== 1) return { ok: false, limit: LIMITS[reply[1]!] ?? 'requestsPerMinute', retryAfterMs: Number(reply[2]) };
    const slot = conc >= 0;
    if (slot) {
      const ids = this.held.get(keys[3]!);
      if (ids) ids.add(id);
      else this.held.set(keys[3]!, new Set([id]));
    }
    return { ok: true, ticket: { bucket, id, slot, logged: rpm >= 0 || tpm >= 0, ...(tpm < 0 ? {} : { tokens: cost }) } };
  }

  release(ticket: RateTicket, r: ReleaseRequest): void {
    if (!ticket.slot && !ticket.logged) return;
    const keys = this.keys(ticket.bucket);
    if (ticket.slot) {
      const ids = this.held.get(keys[3]!);
      ids?.delete(ticket.id);
      if (ids?.size === 0) this.held.delete(keys[3]!);
    }
    const tokens = ticket.tokens !== undefined && r.tokens !== undefined ? Math.max(0, Math.ceil(r.tokens)) : -1;
    if (!r.cancel && tokens < 0 && !ticket.slot) return;
    const args = [this.windowMs, ticket.id, tokens, r.cancel ? 1 : 0, ticket.slot ? 1 : 0];
    // Settling must not hold up the response; a lost release is bounded (tokens age out, a slot's lease expires).
    const p = releaseScript
      .run(this.redis, keys, args)
      .catch((e) => this.warn(e, 'releasing a rate-limit reservation failed; it expires on its own'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    clearInterval(this.renewer);
    await this.flush();
    this.held.clear();
  }

  private keys(bucket: string): string[] {
    // Hash tags keep a bucket's keys in one Cluster slot; odd or long names are hashed so a hostile model id can
    // neither break the tag nor make keys of unbounded length.
    const tag = /^[\w.:|@/+=-]{1,200}$/.test(bucket) ? bucket : createHash('sha256').update(bucket).digest('base64url');
    const base = `${this.prefix}{${tag}}`;
    return [`${base}:w`, `${base}:k`, `${base}:n`, `${base}:c`];
  }

  private async renew(): Promise<void> {
    for (const [key, ids] of this.held) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += 500) {
        await renewScript.run(this.redis, [key], [this.leaseMs, ...all.slice(i, i + 500)]).catch((e) => this.warn(e, 'renewing concurrency slots failed'));
      }
    }
  }

  private failed(e: unknown, bucket: string, id: string): AcquireResult {
    if (this.onError === 'deny') {
      this.warn(e, 'Redis is unreachable; requests under rate limits are refused (quotas.onRedisError: deny)');
      throw new QuarryError('ServiceUnavailableException', 'The rate limiter is unavailable; retry shortly.', { cause: e, retryAfterMs: 1000 });
    }
    this.warn(e, 'Redis is unreachable; rate limits are not enforced until it is back (quotas.onRedisError: allow)');
    return { ok: true, ticket: { bucket, id, slot: false, logged: false } };
  }

  private warn(err: unknown, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.log.warn({ err }, msg);
  }
}
