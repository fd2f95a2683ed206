import type { SpendForecast } from '../explorer/index.js';
import type { Budget, BudgetThreshold } from './budget.js';
import { thresholdKey } from './budget.js';
import { type PeriodWindow, periodWindow } from './budget-period.js';

/** Where a tracker reads what the store knows. */
export interface SpendSource {
  /** Cost recorded in the budget's scope over [start, end). */
  spent(b: Budget, start: Date, end: Date): Promise<number>;
  forecast(b: Budget, w: PeriodWindow, now: Date): Promise<SpendForecast>;
  /** Threshold keys already alerted in the period. */
  fired(b: Budget, periodStart: Date): Promise<Set<string>>;
  /** Writes usage records still buffered in this process, so that a read of the store includes them. */
  flush?(): Promise<void>;
}

export type ThresholdCrossed = (t: BudgetTracker, p: PeriodSpend, threshold: BudgetThreshold, forecastUsd?: number) => void;

/** One budget's spend in one period, on this replica. */
export class PeriodSpend {
  /** Settled cost: the store's at the last refresh plus what this replica settled since. */
  spent = 0;
  /** Worst-case cost of invocations admitted and not yet settled. */
  reserved = 0;
  readonly fired = new Set<string>();
  /** Cost settled while a refresh reads the store; records after its cutoff are not in what it reads. */
  sinceCutoff = 0;
  refreshing = false;

  constructor(readonly window: PeriodWindow) {}

  get committed(): number {
    return this.spent + this.reserved;
  }
}

/**
 * A budget's spend counter. Admission reserves a request's worst-case cost on it and settlement swaps that for the
 * actual cost, all synchronously, so concurrent requests on one replica see each other's reservations. The counter is
 * loaded from usage_records when its period starts (and when the process starts) and refreshed periodically, which is
 * how one replica learns what the others spent.
 */
export class BudgetTracker {
  private current: PeriodSpend | undefined;
  /** The period being loaded when it rolled over; settlements go to it so that none is lost. */
  private next: PeriodSpend | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    public budget: Budget,
    private readonly source: SpendSource,
    private readonly crossed: ThresholdCrossed,
  ) {}

  /** The counter for `now`'s period when loaded; the hot path's check costs one comparison. */
  spendAt(now: Date): PeriodSpend | undefined {
    const c = this.current;
    return c && now < c.window.end && now >= c.window.start ? c : undefined;
  }

  /** The counter for `now`'s period, loading it first when the period is new (a roll-over, or the first use). */
  async ready(now: Date): Promise<PeriodSpend> {
    for (;;) {
      const c = this.spendAt(now);
      if (c) return c;
      await this.refresh(now);
      const after = this.spendAt(now);
      if (after) return after;
    }
  }

  /** Re-reads the period's spend from the store (one refresh at a time; a caller during one waits for it). */
  refresh(now: Date): Promise<void> {
    this.refreshing ??= this.load(periodWindow(this.budget.period, now)).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  addSpend(costUsd: number): void {
    const p = this.next ?? this.current;
    if (!p || !(costUsd > 0)) return;
    p.spent += costUsd;
    if (p.refreshing) p.sinceCutoff += costUsd;
    this.checkActual(p);
  }

  /**
   * What the shared count (Redis) says the period has spent on every replica: this replica's counter rises to it, and
   * thresholds it crosses fire here (the store's claim keeps one replica's alert).
   */
  observeSpend(p: PeriodSpend, sharedSpentUsd: number): void {
    if (!(sharedSpentUsd > p.spent)) return;
    p.spent = sharedSpentUsd;
    this.checkActual(p);
  }

  /** FORECASTED thresholds: asks the store for the period's forecast when one of them has not fired yet. */
  async checkForecast(now: Date): Promise<void> {
    if (!this.budget.thresholds.some((t) => t.basis === 'FORECASTED')) return;
    const p = await this.ready(now);
    const open = this.budget.thresholds.filter((t) => t.basis === 'FORECASTED' && !p.fired.has(thresholdKey(t)));
    if (!open.length) return;
    const f = await this.source.forecast(this.budget, p.window, now);
    // The store's forecast does not know what this replica has not written yet; the counter is never below it.
    const forecast = Math.max(f.forecastUsd, p.spent);
    for (const t of open) {
      if (forecast >= (this.budget.amountUsd * t.percent) / 100 && !p.fired.has(thresholdKey(t))) {
        p.fired.add(thresholdKey(t));
        this.crossed(this, p, t, forecast);
      }
    }
  }

  private async load(w: PeriodWindow): Promise<void> {
    const same = this.current && this.current.window.start.getTime() === w.start.getTime();
    const p = same ? this.current! : new PeriodSpend(w);
    if (!same) this.next = p;
    p.refreshing = true;
    p.sinceCutoff = 0;
    try {
      // Taken before the flush: every record settled before it is then in the store with an earlier time, and every
      // one settled after it is counted in sinceCutoff instead (and has a later time, so it is not read twice).
      const cutoff = new Date();
      await this.source.flush?.();
      const [spent, fired] = await Promise.all([this.source.spent(this.budget, w.start, new Date(Math.min(cutoff.getTime(), w.end.getTime()))), this.source.fired(this.budget, w.start)]);
      p.spent = spent + p.sinceCutoff;
      for (const f of fired) p.fired.add(f);
    } finally {
      p.refreshing = false;
      if (this.next === p) this.next = undefined;
    }
    if (!same) this.current = p;
    this.checkActual(p);
  }

  private checkActual(p: PeriodSpend): void {
    for (const t of this.budget.thresholds) {
      if (t.basis !== 'ACTUAL') continue;
      const key = thresholdKey(t);
      if (p.fired.has(key) || p.spent < (this.budget.amountUsd * t.percent) / 100) continue;
      p.fired.add(key);
      this.crossed(this, p, t);
    }
  }
}
