import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/index.js';
import { RedisScript } from '../../quotas/index.js';
import type { Budget } from './budget.js';
import type { PeriodWindow } from './budget-period.js';
import { BUDGET_RENEW_LUA, BUDGET_RESERVE_LUA, BUDGET_SETTLE_LUA, BUDGET_SYNC_LUA } from './budget-redis-scripts.js';

export interface RedisBudgetCounterOptions {
  redis: Redis;
  /** Prepended to every key (`quarry:bg:` by default); tests give each run its own. */
  keyPrefix?: string;
  /** A reservation's lifetime without renewal: how long a crashed replica's reservations outlive it. */
  leaseMs?: number;
  log: Logger;
}

/** One applicable budget in a reservation. */
export interface SharedReserveEntry {
  budget: Budget;
  window: PeriodWindow;
  /** DENY refuses, ROUTE redirects, NONE only counts. */
  action: Budget['action'];
  /** The worst case if this budget's route is the one taken. */
  routedWorstUsd: number;
  /** What this replica knows was spent in the period: Redis takes it when it has nothing for the period yet. */
  seedUsd: number;
}

export type SharedReserveResult =
  | { ok: false; index: number; committedUsd: number }
  /** `route`: the index of the ROUTE budget whose model the request goes to, or -1; `worstUsd`: what was reserved. */
  | { ok: true; id: string; route: number; worstUsd: number };

const ACTION_CODE: Record<Budget['action'], number> = { NONE: 0, DENY: 1, ROUTE: 2 };
// A period's keys outlive its end by a day: a settlement arriving late still finds them (and is then not needed).
const KEEP_AFTER_PERIOD_MS = 86_400_000;
const WARN_EVERY_MS = 10_000;

const reserveScript = new RedisScript(BUDGET_RESERVE_LUA);
const settleScript = new RedisScript(BUDGET_SETTLE_LUA);
const syncScript = new RedisScript(BUDGET_SYNC_LUA);
const renewScript = new RedisScript(BUDGET_RENEW_LUA);

/**
 * Budget spend several replicas share: every admission under a budget is one Lua script that checks every applicable
 * budget and reserves the request's worst case on all of them, so a DENY budget holds across replicas to within one
 * request's cost, not one per replica. Throws when Redis cannot be reached; the caller then counts in process.
 */
export class RedisBudgetCounter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly log: Logger;
  private readonly instance = randomBytes(6).toString('base64url');
  private sequence = 0;
  /** Reservation-set key → ids this replica holds there, renewed every third of a lease. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewer: NodeJS.Timeout;
  private readonly pending = new Set<Promise<unknown>>();
  private lastWarning = 0;

  constructor(opts: RedisBudgetCounterOptions) {
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix ?? 'quarry:bg:';
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.log = opts.log;
    this.renewer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewer.unref();
  }

  async reserve(entries: SharedReserveEntry[], worstUsd: number): Promise<SharedReserveResult> {
    const id = `${this.instance}.${++this.sequence}`;
    const keys: string[] = [];
    const args: (string | number)[] = [entries.length, usd(worstUsd), id, this.leaseMs];
    for (const e of entries) {
      keys.push(...this.keys(e.budget, e.window));
      args.push(usd(e.budget.amountUsd), ACTION_CODE[e.action], usd(e.routedWorstUsd), usd(e.seedUsd), e.window.end.getTime() + KEEP_AFTER_PERIOD_MS);
    }
    const reply = (await reserveScript.run(this.redis, keys, args)) as [number, number, string];
    if (reply[0] !== 1) return { ok: false, index: reply[1] - 1, committedUsd: Number(reply[2]) };
    for (let i = 1; i < keys.length; i += 3) {
      const ids = this.held.get(keys[i]!);
      if (ids) ids.add(id);
      else this.held.set(keys[i]!, new Set([id]));
    }
    return { ok: true, id, route: reply[1] - 1, worstUsd: Number(reply[2]) };
  }

  /**
   * Swaps a reservation for the actual cost (`cancel`: the request never ran) in the background; `onSpent` hears each
   * budget's spend after it. A settlement lost to an outage is bounded: the reservation lapses, the cost is in the
   * store and comes back at the next sync.
   */
  settle(entries: { budget: Budget; window: PeriodWindow }[], id: string, costUsd: number, cancel: boolean, onSpent: (spent: number[]) => void): void {
    const keys = entries.flatMap((e) => this.keys(e.budget, e.window));
    for (let i = 1; i < keys.length; i += 3) {
      const ids = this.held.get(keys[i]!);
      ids?.delete(id);
      if (ids?.size === 0) this.held.delete(keys[i]!);
    }
    const p = settleScript
      .run(this.redis, keys, [entries.length, id, usd(costUsd), cancel ? 1 : 0])
      .then((r) => onSpent((r as string[]).map(Number)))
      .catch((e) => this.warn(e, 'settling a budget reservation in Redis failed; the store has the cost and the next sync restores it'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Raises the shared spend to the store's (`floorUsd`) and reads it back with what is reserved on every replica. */
  async sync(budget: Budget, window: PeriodWindow, floorUsd: number): Promise<{ spentUsd: number; reservedUsd: number }> {
    const r = (await syncScript.run(this.redis, this.keys(budget, window), [usd(floorUsd), window.end.getTime() + KEEP_AFTER_PERIOD_MS])) as [string, string];
    return { spentUsd: Number(r[0]), reservedUsd: Math.max(0, Number(r[1])) };
  }

  /** Resolves once every settlement so far has reached Redis (or failed). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    clearInterval(this.renewer);
    await this.flush();
    this.held.clear();
  }

  /**
   * A period's keys: the account as the hash tag (every budget one request can meet is in its account, so one script
   * touches one Cluster slot), then the budget, what it counts (a changed scope or period counts afresh, as in
   * process) and the period's start.
   */
  private keys(b: Budget, w: PeriodWindow): string[] {
    const tag = /^[\w.-]{1,64}$/.test(b.accountId) ? b.accountId : createHash('sha256').update(b.accountId).digest('base64url');
    const counting = createHash('sha256').update(`${b.period}\n${b.scope.type}\n${b.scope.value}`).digest('base64url').slice(0, 16);
    const base = `${this.prefix}{${tag}}:${b.id}:${counting}:${w.start.getTime()}`;
    return [`${base}:s`, `${base}:r`, `${base}:a`];
  }

  private async renew(): Promise<void> {
    for (const [key, ids] of this.held) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += 500) {
        await renewScript.run(this.redis, [key], [this.leaseMs, ...all.slice(i, i + 500)]).catch((e) => this.warn(e, 'renewing budget reservations in Redis failed'));
      }
    }
  }

  warn(err: unknown, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.log.warn({ err }, msg);
  }
}

/** Dollars as Redis reads them: plain decimal, never exponent notation (HINCRBYFLOAT would refuse `1e-7`). */
function usd(v: number): string {
  if (!Number.isFinite(v) || v <= 0) return '0';
  return v.toFixed(12);
}
