import { useState } from 'react';
import { messageOf } from '../api/api-error';
import type { GuardrailSummary, GuardrailsApi } from '../api/guardrails';
import { FieldError } from '../components/notice';
import { Link } from '../lib/router';
import { GuardrailStatus } from './guardrail-status';

/** One guardrail, deleted (with all its versions) after a confirmation; the server's refusal is shown as it says it. */
export function GuardrailRow({ g, row, onChanged }: { g: GuardrailsApi; row: GuardrailSummary; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await g.remove(row.id);
      setConfirming(false);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const cancel = () => {
    setConfirming(false);
    setError(undefined);
  };

  return (
    <tr data-guardrail={row.name}>
      <td>
        <Link to={`guardrails/${encodeURIComponent(row.id)}`}>{row.name}</Link>
        {row.description && <div className="muted small">{row.description}</div>}
      </td>
      <td>
        <code>{row.id}</code>
      </td>
      <td>
        <GuardrailStatus status={row.status} />
      </td>
      <td>{row.version}</td>
      <td>{new Date(row.updatedAt).toLocaleString()}</td>
      <td>
        {confirming ? (
          <div className="row-actions">
            <span className="small">Delete it and all its versions?</span>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void remove()}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        ) : (
          <div className="row-actions">
            <Link to={`guardrails/${encodeURIComponent(row.id)}`} className="button-link" aria-label={`Test ${row.name}`}>
              Test
            </Link>
            <button type="button" className="button-secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${row.name}`}>
              Delete
            </button>
          </div>
        )}
        <FieldError message={error} />
      </td>
    </tr>
  );
}
