import type { Logger } from '../core/index.js';
import { type EffectiveLimits, effective, limitsAnything, mergeLimits, type QuotaLimits, type QuotasConfig } from './quota-limits.js';
import { ACCOUNT_POOL, EVERY, type QuotaStore, type StoredOverride } from './quota-store.js';

// Overrides changed on another replica are seen within this many milliseconds (those made here at once).
export const QUOTA_REFRESH_MS = 5_000;
const MAX_MEMO = 10_000;

const slot = (account: string, key: string, model: string) => `${account}\n${key}\n${model}`;

/** Where each effective limit came from, most specific first, for the admin API's "effective" answer. */
export interface ResolvedLimits {
  limits: EffectiveLimits | undefined;
  sources: string[];
}

/**
 * Which limits apply to a key on a model. Most specific wins, field by field: the override for this key on this
 * model, for this key on every model, for every key of the account on this model, for every key on every model, then
 * the configuration's model entry and its default. The stored overrides are held in memory and reloaded in the
 * background, so resolving is a map lookup on the request path.
 */
export class QuotaDefinitions {
  private overrides = new Map<string, QuotaLimits>();
  private readonly memo = new Map<string, EffectiveLimits | null>();
  private timer: NodeJS.Timeout | undefined;
  private listeners: (() => void)[] = [];

  constructor(
    private readonly config: QuotasConfig | undefined,
    private readonly store: QuotaStore,
    private readonly log: Logger,
  ) {}

  /** Whether anything is limited at all: when not, the admission step stays out of the pipeline. */
  get limitsAnything(): boolean {
    const c = this.config;
    if (c && (limitsAnything(c.default) || Object.values(c.models).some((m) => limitsAnything(m)))) return true;
    if (c?.account && (limitsAnything(c.account.default) || Object.values(c.account.models).some((m) => limitsAnything(m)))) return true;
    for (const l of this.overrides.values()) if (limitsAnything(l)) return true;
    return false;
  }

  /** Called after every reload (the module installs or removes the admission step). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Loads the overrides, then keeps reloading them every `intervalMs` until close(). */
  async start(intervalMs = QUOTA_REFRESH_MS): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((err) => this.log.warn({ err }, 'reloading quota overrides failed; the previous ones stay in force'));
    }, intervalMs);
    this.timer.unref();
  }

  async reload(): Promise<void> {
    this.apply(await this.store.all());
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The limits of `keyId` on `modelId` (a bare model id); undefined when nothing limits it. */
  limitsFor(accountId: string, keyId: string, modelId: string): EffectiveLimits | undefined {
    const k = slot(accountId, keyId, modelId);
    const hit = this.memo.get(k);
    if (hit !== undefined) return hit ?? undefined;
    const resolved = this.resolve(accountId, keyId, modelId).limits;
    if (this.memo.size >= MAX_MEMO) this.memo.clear();
    this.memo.set(k, resolved ?? null);
    return resolved;
  }

  /** The account's shared allowance on `modelId`, which all its keys draw from together; undefined when none. */
  accountLimitsFor(accountId: string, modelId: string): EffectiveLimits | undefined {
    return this.limitsFor(accountId, ACCOUNT_POOL, modelId);
  }

  /** `keyId` ACCOUNT_POOL resolves the account's shared allowance instead of a key's own limits. */
  resolve(accountId: string, keyId: string, modelId: string): ResolvedLimits {
    if (keyId === ACCOUNT_POOL) return this.resolveAccount(accountId, modelId);
    const layers: [string, QuotaLimits | undefined][] = [
      [`override for key ${keyId} on model ${modelId}`, this.overrides.get(slot(accountId, keyId, modelId))],
      [`override for key ${keyId} on every model`, this.overrides.get(slot(accountId, keyId, EVERY))],
      [`override for every key on model ${modelId}`, this.overrides.get(slot(accountId, EVERY, modelId))],
      ['override for every key on every model', this.overrides.get(slot(accountId, EVERY, EVERY))],
      [`configuration quotas.models["${modelId}"]`, this.config && Object.hasOwn(this.config.models, modelId) ? this.config.models[modelId] : undefined],
      ['configuration quotas.default', this.config?.default],
    ];
    return merge(layers);
  }

  private resolveAccount(accountId: string, modelId: string): ResolvedLimits {
    const pool = this.config?.account;
    return merge([
      [`override for the account on model ${modelId}`, this.overrides.get(slot(accountId, ACCOUNT_POOL, modelId))],
      ['override for the account on every model', this.overrides.get(slot(accountId, ACCOUNT_POOL, EVERY))],
      [`configuration quotas.account.models["${modelId}"]`, pool && Object.hasOwn(pool.models, modelId) ? pool.models[modelId] : undefined],
      ['configuration quotas.account.default', pool?.default],
    ]);
  }

  private apply(rows: StoredOverride[]): void {
    const next = new Map<string, QuotaLimits>();
    for (const r of rows) next.set(slot(r.accountId, r.keyId, r.modelId), r.limits);
    this.overrides = next;
    this.memo.clear();
    for (const fn of this.listeners) fn();
  }
}

/** Layers most specific first; each field comes from the first layer that says anything about it. */
function merge(layers: [string, QuotaLimits | undefined][]): ResolvedLimits {
  let merged: QuotaLimits | undefined;
  const sources: string[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const [name, l] = layers[i]!;
    if (!l) continue;
    merged = mergeLimits(l, merged);
    sources.unshift(name);
  }
  return { limits: effective(merged), sources };
}
