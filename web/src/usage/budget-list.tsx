import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { Budget, UsageApi } from '../api/usage';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { BudgetForm } from './budget-form';
import { BudgetRow } from './budget-row';

/**
 * The account's budgets with what each has used of its current period, as the budget admission step counts it;
 * created and edited in one form above the table, deleted from their rows.
 */
export function BudgetList({ usage, active, generation }: { usage: UsageApi; active: boolean; generation: number }) {
  const [budgets, setBudgets] = useState<Budget[]>();
  const [error, setError] = useState<string>();
  const [retry, setRetry] = useState(0);
  /** 'new', the name of the budget being edited, or undefined with no form open. */
  const [editing, setEditing] = useState<string>();
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

  const edited = editing && editing !== 'new' ? budgets?.find((b) => b.name === editing) : undefined;
  const saved = () => {
    setEditing(undefined);
    again();
  };

  return (
    <section className="panel" aria-labelledby="budgets-title">
      <div className="toolbar">
        <h2 id="budgets-title">Budgets</h2>
        {editing === undefined && (
          <button type="button" className="button-secondary" onClick={() => setEditing('new')}>
            New budget
          </button>
        )}
      </div>
      {(editing === 'new' || edited) && <BudgetForm key={editing} usage={usage} budget={edited} onSaved={saved} onCancel={() => setEditing(undefined)} />}
      {error && (
        <ErrorNotice title="The budgets could not be listed" onRetry={again}>
          {error}
        </ErrorNotice>
      )}
      {!budgets && !error && <Loading what="budgets" />}
      {budgets && budgets.length === 0 && editing === undefined && (
        <EmptyState title="No budgets yet">
          A budget caps spend per account, key, user, model or tag, and alerts or refuses calls as it fills. Create one with <strong>New budget</strong>, with{' '}
          <code>quarry budgets create &lt;name&gt; --amount USD</code> or with <code>POST /quarry/budgets</code>.
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
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => (
                <BudgetRow key={b.name} usage={usage} b={b} onEdit={() => setEditing(b.name)} onChanged={again} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
