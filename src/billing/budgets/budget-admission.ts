import { type Logger, QuarryError } from '../../core/index.js';
import { resourceArn } from '../../iam/index.js';
import { parseModelId } from '../../models/index.js';
import { costAllocationTags } from '../cost-allocation-tags.js';
import type { Budget, BudgetThreshold } from './budget.js';
import { thresholdKey } from './budget.js';
import type { BudgetAdmissionRequest, BudgetAdmitted, BudgetModelPrice, BudgetPriceLookup, BudgetSettlement } from './budget-admission-port.js';
import type { BudgetNotifier } from './budget-notifier.js';
import type { BudgetRepository } from './budget-repository.js';
import { describeScope, scopeIndexKey } from './budget-scope.js';
import { BudgetTracker, type PeriodSpend, type SpendSource } from './budget-tracker.js';
import type { RedisBudgetCounter, SharedReserveEntry } from './redis-budget-counter.js';

export interface BudgetAdmissionOptions {
  repo: BudgetRepository;
  source: SpendSource;
  notifier: BudgetNotifier;
  prices: BudgetPriceLookup;
  log: Logger;
  /** The account of principals stored without one. */
  defaultAccountId: string;
  /** The region in budget ARNs. */
  region: string;
  /** Reserved for the output when neither the request nor the model says how long it may be. */
  defaultMaxTokens?: number;
  /** How often spend is re-read from the store (what other replicas spent) and budgets re-listed; 0: never. */
  syncMs?: number;
  /** How often FORECASTED thresholds are evaluated; 0: only when asked (checkForecasts). */
  forecastMs?: number;
  /** The clock that decides the period (tests move it across a roll-over). */
  now?: () => Date;
  /** Told after each re-indexing whether any budget exists: the server keeps the step out of the pipeline otherwise. */
  onIndexed?: (anyBudget: boolean) => void;
  /**
   * Spend shared by replicas (when the server has Redis): admissions decide against every replica's reservations and
   * settlements at once. Absent, each replica counts its own and learns the others' at each sync.
   */
  shared?: RedisBudgetCounter;
}

// The server's own work (guardrail embeddings, knowledge ingestion) runs as `system:` principals: counted when it is
// recorded, but never refused or rerouted by a budget, which would break features rather than limit a caller.
const SYSTEM_PRINCIPAL = 'system:';
const REFUSED = 'Refused';

/**
 * Budgets as an admission step (runtime/admission.ts). Budgets are indexed by account and scope, so a caller under
 * none costs a few map lookups. For a caller under some, the step reserves the request's worst-case cost (its input
 * plus max_tokens at the model's prices) on every applicable budget and settles it to the actual cost when the
 * invocation ends. The check and the reservation happen in one synchronous stretch after every await, so concurrent
 * requests on one replica cannot together pass a budget: once spent plus reserved reaches the amount, a DENY budget
 * refuses and a ROUTE budget redirects — at most one admitted request's cost past the amount per replica.
 */
export class BudgetAdmission {
  private trackers = new Map<string, BudgetTracker>();
  private index = new Map<string, BudgetTracker[]>();
  /** Accounts with model- or tag-scoped budgets: only their callers pay for resolving the model or parsing tags. */
  private modelScoped = new Set<string>();
  private tagScoped = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private reloading: Promise<void> | undefined;
  private readonly sending = new Set<Promise<void>>();

  private readonly now: () => Date;

  constructor(private readonly opts: BudgetAdmissionOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Indexes the stored budgets, loads their spend, and starts the periodic sync. */
  async start(): Promise<void> {
    await this.reload();
    const now = this.now();
    await Promise.all([...this.trackers.values()].map((t) => t.ready(now).catch((err) => this.opts.log.error({ err, budget: t.budget.name }, 'could not read a budget spend'))));
    await this.checkForecasts();
    const every = (ms: number | undefined, f: () => Promise<unknown>) => {
      if (!ms) return;
      const t = setInterval(() => void f().catch((err) => this.opts.log.warn({ err }, 'budget sync failed')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.syncMs ?? 15_000, () => this.sync());
    every(this.opts.forecastMs ?? 300_000, () => this.checkForecasts());
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.opts.shared?.close();
    await this.alertsSent();
  }

  /** Re-reads the budget definitions (after a change on this replica at once; from others at the next sync). */
  reload(): Promise<void> {
    this.reloading ??= this.rebuild().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Re-reads every budget's spend from the store: what the other replicas settled, and period roll-overs. */
  async sync(): Promise<void> {
    await this.reload();
    const now = this.now();
    await Promise.all([...this.trackers.values()].map((t) => t.refresh(now)));
    const shared = this.opts.shared;
    if (!shared) return;
    // The store's record is a floor under the shared count: it heals a Redis that restarted empty, or settlements lost
    // while it was unreachable; the shared count, in turn, tells this replica what the others spent since.
    await shared.flush();
    for (const t of this.trackers.values()) {
      const p = t.spendAt(now);
      if (!p) continue;
      try {
        t.observeSpend(p, (await shared.sync(t.budget, p.window, p.spent)).spentUsd);
      } catch (err) {
        shared.warn(err, 'could not sync budget spend with Redis');
        return;
      }
    }
  }

  async checkForecasts(): Promise<void> {
    const now = this.now();
    for (const t of this.trackers.values()) {
      await t.checkForecast(now).catch((err) => this.opts.log.warn({ err, budget: t.budget.name }, 'could not forecast a budget'));
    }
  }

  /** The budget's counter in the current period (every replica's when shared through Redis), loading it when needed. */
  async spend(budget: Budget): Promise<{ spent: number; reserved: number; periodStart: Date; periodEnd: Date; fired: string[] }> {
    const t = this.trackers.get(budget.id);
    if (!t) throw new QuarryError('ResourceNotFoundException', `Budget ${budget.name} was not found.`);
    const p = await t.ready(this.now());
    let { spent, reserved } = p;
    const shared = this.opts.shared;
    if (shared) {
      // Every replica's reservations, and what they settled since this replica last heard.
      try {
        await shared.flush();
        const s = await shared.sync(budget, p.window, p.spent);
        t.observeSpend(p, s.spentUsd);
        spent = p.spent;
        reserved = s.reservedUsd;
      } catch (err) {
        shared.warn(err, 'could not read budget spend from Redis; showing this replica\'s count');
      }
    }
    return { spent, reserved, periodStart: p.window.start, periodEnd: p.window.end, fired: [...p.fired] };
  }

  arnOf(b: Pick<Budget, 'accountId' | 'name'>): string {
    return resourceArn({ type: 'budget', id: b.name, region: this.opts.region, accountId: b.accountId });
  }

  async admit(req: BudgetAdmissionRequest): Promise<BudgetAdmitted | undefined> {
    if (this.index.size === 0) return undefined;
    const p = req.ctx.principal;
    if (p.id.startsWith(SYSTEM_PRINCIPAL)) return undefined;
    const account = p.accountId ?? this.opts.defaultAccountId;
    const applicable: BudgetTracker[] = [];
    const add = (type: Budget['scope']['type'], value: string) => {
      const found = this.index.get(scopeIndexKey(account, type, value));
      if (found) for (const t of found) if (!applicable.includes(t)) applicable.push(t);
    };
    add('account', '');
    add('key', p.keyId);
    add('user', p.id);
    let model: BudgetModelPrice | undefined;
    let modelLooked = false;
    if (this.modelScoped.has(account)) {
      model = await this.opts.prices(req.modelId);
      modelLooked = true;
      const named = parseModelId(req.modelId);
      add('model', named.id);
      if (named.fallback) add('model', named.fallback);
      if (model) add('model', model.modelId);
    }
    if (this.tagScoped.has(account) && req.ctx.tags) {
      for (const [k, v] of Object.entries(tagsOf(req.ctx.tags))) add('tag', `${k}=${v}`);
    }
    if (!applicable.length) return undefined;

    // Every await before the decision: counters loaded for this period, prices known, input counted.
    const now = this.now();
    await Promise.all(applicable.map((t) => (t.spendAt(now) ? undefined : t.ready(now)))).catch((err) => {
      this.opts.log.error({ err }, 'could not read a budget spend');
      throw new QuarryError('ServiceUnavailableException', 'The spend of a budget that applies to this request could not be read; try again shortly.');
    });
    if (!modelLooked) model = await this.opts.prices(req.modelId);
    const routes = new Map<string, BudgetModelPrice | undefined>();
    for (const t of applicable) {
      const to = t.budget.routeModelId;
      if (t.budget.action === 'ROUTE' && to && !routes.has(to)) routes.set(to, await this.opts.prices(to));
    }
    const inputTokens = model || routes.size ? await req.inputTokens() : 0;

    const maxTokens = req.maxTokens ?? model?.maxOutputTokens ?? this.opts.defaultMaxTokens ?? 4096;
    const shared = this.opts.shared;
    if (shared) {
      const admitted = await this.admitShared(shared, applicable, now, model, routes, inputTokens, maxTokens);
      if (admitted) return admitted;
    }

    // From here to the reservations nothing awaits: this is what keeps concurrent requests from overspending.
    const counters = applicable.map((t) => [t, t.spendAt(now)] as const);
    let modelId: string | undefined;
    for (const [t, c] of counters) {
      if (!c || c.committed < t.budget.amountUsd) continue;
      if (t.budget.action === 'DENY') throw this.exceeded(t.budget, c.committed, c.window.end);
      if (t.budget.action === 'ROUTE' && modelId === undefined && t.budget.routeModelId) {
        modelId = t.budget.routeModelId;
        model = routes.get(modelId) ?? model;
      }
    }
    const worst = model ? worstCase(model, inputTokens, maxTokens) : 0;
    const held = this.hold(counters, worst);
    let settled = false;
    return {
      modelId,
      settle: (s: BudgetSettlement) => {
        if (settled) return;
        settled = true;
        this.release(held, worst, s);
      },
    };
  }

  /**
   * The decision made in Redis, for every replica at once: refuse, route or reserve on all applicable budgets in one
   * script. The reservation is mirrored on this replica's counters, which decide alone if Redis becomes unreachable
   * (undefined is returned then, and the caller decides in process).
   */
  private async admitShared(
    shared: RedisBudgetCounter,
    applicable: BudgetTracker[],
    now: Date,
    model: BudgetModelPrice | undefined,
    routes: Map<string, BudgetModelPrice | undefined>,
    inputTokens: number,
    maxTokens: number,
  ): Promise<BudgetAdmitted | undefined> {
    const counted = applicable.flatMap((t) => {
      const c = t.spendAt(now);
      return c ? [[t, c] as const] : [];
    });
    if (!counted.length) return undefined;
    const worst = model ? worstCase(model, inputTokens, maxTokens) : 0;
    const entries: SharedReserveEntry[] = counted.map(([t, c]) => {
      const b = t.budget;
      const to = b.action === 'ROUTE' && b.routeModelId ? routes.get(b.routeModelId) : undefined;
      // A ROUTE budget whose model has no price reserves what the model asked for would (as the local path does).
      const action = b.action === 'ROUTE' && !b.routeModelId ? 'NONE' : b.action;
      return { budget: b, window: c.window, action, routedWorstUsd: to ? worstCase(to, inputTokens, maxTokens) : worst, seedUsd: c.spent };
    });
    let r: Awaited<ReturnType<RedisBudgetCounter['reserve']>>;
    try {
      r = await shared.reserve(entries, worst);
    } catch (err) {
      shared.warn(err, 'Redis is unreachable; budgets are counted on each replica until it is back');
      return undefined;
    }
    if (!r.ok) {
      const [t, c] = counted[r.index]!;
      throw this.exceeded(t.budget, r.committedUsd, c.window.end);
    }
    const modelId = r.route >= 0 ? counted[r.route]![0].budget.routeModelId : undefined;
    const id = r.id;
    const reserved = r.worstUsd;
    const held = this.hold(counted, reserved);
    let settled = false;
    return {
      modelId,
      settle: (s: BudgetSettlement) => {
        if (settled) return;
        settled = true;
        this.release(held, reserved, s);
        shared.settle(
          counted.map(([t, c]) => ({ budget: t.budget, window: c.window })),
          id,
          s.costUsd,
          s.outcome === REFUSED,
          (spent) => {
            for (let i = 0; i < counted.length; i++) counted[i]![0].observeSpend(counted[i]![1], spent[i] ?? 0);
          },
        );
      },
    };
  }

  private hold(counters: readonly (readonly [BudgetTracker, PeriodSpend | undefined])[], worst: number): [BudgetTracker, PeriodSpend][] {
    const held: [BudgetTracker, PeriodSpend][] = [];
    for (const [t, c] of counters) {
      if (!c) continue;
      c.reserved += worst;
      held.push([t, c]);
    }
    return held;
  }

  private release(held: [BudgetTracker, PeriodSpend][], worst: number, s: BudgetSettlement): void {
    for (const [t, c] of held) {
      c.reserved = Math.max(0, c.reserved - worst);
      if (s.outcome !== REFUSED) t.addSpend(s.costUsd);
    }
  }

  private exceeded(b: Budget, committedUsd: number, until: Date): QuarryError {
    // Not retryable, so SDKs do not spin on it; the message says which budget, how much, and until when.
    return new QuarryError(
      'ServiceQuotaExceededException',
      `Budget ${b.name} (${this.arnOf(b)}) has used $${committedUsd.toFixed(4)} of its ${b.period.toLowerCase()} $${b.amountUsd} for ${describeScope(b.scope)}; invocations in its scope are refused until ${until.toISOString()}.`,
      { retryable: false },
    );
  }

  private async rebuild(): Promise<void> {
    const budgets = await this.opts.repo.all();
    const trackers = new Map<string, BudgetTracker>();
    const index = new Map<string, BudgetTracker[]>();
    const modelScoped = new Set<string>();
    const tagScoped = new Set<string>();
    for (const b of budgets) {
      const old = this.trackers.get(b.id);
      // A counter survives an edit of the amount, thresholds or action; a new scope or period counts afresh.
      const t = old && sameCounting(old.budget, b) ? old : new BudgetTracker(b, this.opts.source, (tr, p, th, f) => this.alert(tr, p, th, f));
      t.budget = b;
      trackers.set(b.id, t);
      const key = scopeIndexKey(b.accountId, b.scope.type, b.scope.value);
      const list = index.get(key);
      if (list) list.push(t);
      else index.set(key, [t]);
      if (b.scope.type === 'model') modelScoped.add(b.accountId);
      if (b.scope.type === 'tag') tagScoped.add(b.accountId);
    }
    this.trackers = trackers;
    this.index = index;
    this.modelScoped = modelScoped;
    this.tagScoped = tagScoped;
    this.opts.onIndexed?.(trackers.size > 0);
  }

  /** A threshold crossed on this replica: claimed in the store (once per period, whichever replica), then sent. */
  private alert(t: BudgetTracker, p: PeriodSpend, threshold: BudgetThreshold, forecastUsd?: number): void {
    const b = t.budget;
    const key = thresholdKey(threshold);
    const periodStart = p.window.start.toISOString();
    const firedAt = new Date();
    const sending = (async () => {
      if (!(await this.opts.repo.claimAlert({ budget_id: b.id, period_start: periodStart, threshold: key, fired_at: firedAt.toISOString(), spend_usd: p.spent }))) return;
      const delivery = await this.opts.notifier.send({ budget: b, arn: this.arnOf(b), threshold, periodStart: p.window.start, periodEnd: p.window.end, actualUsd: p.spent, forecastUsd, firedAt });
      await this.opts.repo.noteDelivery(b.id, periodStart, key, delivery);
    })()
      .catch((err) => this.opts.log.error({ err, budget: b.name, threshold: key }, 'budget alert failed'))
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /** Resolves when the alerts being claimed and sent now are done (tests, shutdown). */
  async alertsSent(): Promise<void> {
    while (this.sending.size) await Promise.all([...this.sending]);
  }
}

function sameCounting(a: Budget, b: Budget): boolean {
  return a.period === b.period && a.scope.type === b.scope.type && a.scope.value === b.scope.value;
}

function worstCase(model: BudgetModelPrice, inputTokens: number, maxTokens: number): number {
  return model.cost({ inputTokens, outputTokens: maxTokens, totalTokens: inputTokens + maxTokens });
}

/** The header's tags; a malformed header is the runtime's to refuse (with its own message), so it reads as none here. */
function tagsOf(header: string): Record<string, string> {
  try {
    return costAllocationTags(header, undefined) ?? {};
  } catch {
    return {};
  }
}
