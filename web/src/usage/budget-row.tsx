import { useState } from 'react';
import { messageOf } from '../api/api-error';
import { type Budget, scopeText, type UsageApi } from '../api/usage';
import { FieldError } from '../components/notice';
import { formatUsd } from '../lib/format';

const PERIOD: Record<Budget['period'], string> = { DAILY: 'Daily', MONTHLY: 'Monthly', QUARTERLY: 'Quarterly' };
const ACTION: Record<Budget['action'], string> = { NONE: 'Alerts only', DENY: 'Refuses calls when used up', ROUTE: 'Routes to another model when used up' };

/** One budget with what it has used of its current period; edited in the list's form, deleted after a confirmation. */
export function BudgetRow({ usage, b, onEdit, onChanged }: { usage: UsageApi; b: Budget; onEdit: () => void; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const s = b.status;
  const pct = s ? Math.max(0, s.percentUsed) : 0;

  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await usage.deleteBudget(b.name);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <tr data-budget={b.name}>
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
      <td>
        {!confirming ? (
          <div className="row-actions">
            <button type="button" className="button-secondary" onClick={onEdit} aria-label={`Edit ${b.name}`}>
              Edit
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${b.name}`}>
              Delete
            </button>
          </div>
        ) : (
          <div className="row-actions">
            <span className="small">Stop counting and alerting?</span>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void remove()}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
        <FieldError message={error} />
      </td>
    </tr>
  );
}
