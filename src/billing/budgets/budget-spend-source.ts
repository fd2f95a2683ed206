import type { UsageExplorer } from '../explorer/index.js';
import type { BudgetRepository } from './budget-repository.js';
import { usageSelection } from './budget-scope.js';
import type { SpendSource } from './budget-tracker.js';

/** Spend and forecasts from usage_records through the explorer's SQL; fired alerts from the budget tables. */
export function storeSpendSource(explorer: UsageExplorer, repo: BudgetRepository, flush?: () => Promise<void>): SpendSource {
  return {
    async spent(b, start, end) {
      const { scope, filter } = usageSelection(b);
      return (await explorer.totals(scope, filter, start, end)).costUsd;
    },
    forecast(b, w, now) {
      const { scope, filter } = usageSelection(b);
      return explorer.forecast(scope, filter, w.start, w.end, now);
    },
    fired: (b, periodStart) => repo.firedAlerts(b.id, periodStart),
    flush,
  };
}
