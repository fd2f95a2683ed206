import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { type Budget, scopeText, type UsageApi } from '../api/usage';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { formatUsd } from '../lib/format';

const PERIOD: Record<Budget['period'], string> = { DAILY: 'Daily', MONTHLY: 'Monthly', QUARTERLY: 'Quarterly' };
const ACTION: Record<Budget['action'], string> = { NONE: 'Alerts only', DENY: 'Refuses calls when used up', ROUTE: 'Routes to another model when used up' };

/** The account's budgets with what each has used of its current period, as the budget admission step counts it. */
export function BudgetList({ usage, active, generation }: { usage: UsageApi; active: boolean; generation: number }) {
  const [budgets, setBudgets] = useState<Budget[]>();
  const [error, setError] = useState<string>();
  const [retry, setRetry] = useState(0);
  const again = useCallback(() => setRetry((r) => r + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` (the page's Reload) and `retry` ask for the list again.
  useEffect(() => {
    if (!active) return;
    const ac = new AbortController();
    setError(undefined);
    usage.budgets(ac.signal).then(setBudgets, (e: unknown) => {
      if (!isAbort(e)) setError(messageOf(e));
    });
    return () => ac.abort();
  }, [usage, active, generation, retry]);

  return (
    <section className="panel" aria-labelledby="budgets-title">
      <h2 id="budgets-title">Budgets</h2>
      {error && (
        <ErrorNotice title="The budgets could not be listed" onRetry={again}>
          {error}
        </ErrorNotice>
      )}
      {!budgets && !error && <Loading what="budgets" />}
      {budgets && budgets.length === 0 && (
        <EmptyState title="No budgets yet">
          A budget caps spend per account, key, user, model or tag, and alerts or refuses calls as it fills. Create one with{' '}
          <code>quarry budgets create &lt;name&gt; --amount USD</code> or <code>POST /quarry/budgets</code>.
        </EmptyState>
      )}
      {budgets && budgets.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Budgets">
            <thead>
              <tr>
                <th scope="col">Budget</th>
                <th scope="col">Scope</th>
                <th scope="col">Period</th>
                <th scope="col">Used this period</th>
                <th scope="col">When used up</th>
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => {
                const s = b.status;
                const pct = s ? Math.max(0, s.percentUsed) : 0;
                return (
                  <tr key={b.name} data-budget={b.name}>
                    <td>
                      <strong>{b.name}</strong>
                    </td>
                    <td>{scopeText(b.scope)}</td>
                    <td>{PERIOD[b.period]}</td>
                    <td data-testid="budget-used">
                      {s ? (
                        <>
                          {formatUsd(s.actualUsd)} of {formatUsd(b.amountUsd)} ({pct < 10 ? pct.toFixed(1) : Math.round(pct)}%)
                          {s.exceeded && (
                            <>
                              {' '}
                              <span className="badge badge-bad">used up</span>
                            </>
                          )}
                          {/* Amber from 80% (the first alert's default threshold), red once used up. */}
                          <meter className="meter" aria-label={`${b.name} used`} min={0} max={b.amountUsd} value={Math.min(s.actualUsd, b.amountUsd)} low={b.amountUsd * 0.8} high={b.amountUsd * 0.9999} optimum={0} />
                        </>
                      ) : (
                        <span className="muted">{formatUsd(b.amountUsd)}, usage not reported</span>
                      )}
                    </td>
                    <td>
                      {ACTION[b.action]}
                      {b.routeModelId && (
                        <div className="muted small">
                          to <code>{b.routeModelId}</code>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
