import type { BudgetPeriod } from './budget.js';

export interface PeriodWindow {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** The calendar period holding `now`, in UTC as usage times are (AWS Budgets' periods are UTC too). */
export function periodWindow(period: BudgetPeriod, now: Date): PeriodWindow {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (period) {
    case 'DAILY':
      return { start: new Date(Date.UTC(y, m, now.getUTCDate())), end: new Date(Date.UTC(y, m, now.getUTCDate() + 1)) };
    case 'MONTHLY':
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
    case 'QUARTERLY': {
      const q = m - (m % 3);
      return { start: new Date(Date.UTC(y, q, 1)), end: new Date(Date.UTC(y, q + 3, 1)) };
    }
    default: {
      const never: never = period;
      throw new Error(`unknown budget period ${String(never)}`);
    }
  }
}
