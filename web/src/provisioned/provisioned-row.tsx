import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { ProvisionedApi, ProvisionedThroughput } from '../api/provisioned';
import { FieldError } from '../components/notice';
import { COMMITMENT_LABEL, modelIdOf, PT_NAME, PT_NAME_RULE, provisionedIdOf } from '../lib/provisioned-terms';
import { Link } from '../lib/router';

const TONE: Record<ProvisionedThroughput['status'], string> = { InService: 'good', Creating: 'busy', Updating: 'busy', Failed: 'bad' };
const STATUS: Record<ProvisionedThroughput['status'], string> = { InService: 'in service', Creating: 'creating', Updating: 'updating', Failed: 'failed' };

type Mode = 'view' | 'rename' | 'confirm-delete';

/** One provisioned throughput, renamed in place and deleted after a confirmation; the server's refusal is shown as it says it. */
export function ProvisionedRow({ pt, row, onChanged }: { pt: ProvisionedApi; row: ProvisionedThroughput; onChanged: () => void }) {
  const id = provisionedIdOf(row.provisionedModelArn);
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(row.provisionedModelName);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      setMode('view');
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  function rename(e: FormEvent) {
    e.preventDefault();
    if (!PT_NAME.test(name)) return setError(`Name: ${PT_NAME_RULE}`);
    if (name === row.provisionedModelName) return setMode('view');
    void run(() => pt.rename(id, name));
  }

  const cancel = () => {
    setMode('view');
    setError(undefined);
    setName(row.provisionedModelName);
  };

  return (
    <tr data-throughput={row.provisionedModelName}>
      <td>
        {mode === 'rename' ? (
          <form className="inline-form" onSubmit={rename}>
            <label htmlFor={`pt-rename-${id}`} className="sr-only">
              New name for {row.provisionedModelName}
            </label>
            <input id={`pt-rename-${id}`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" className="button-secondary" onClick={cancel}>
              Cancel
            </button>
          </form>
        ) : (
          <Link to={`provisioned-throughput/${encodeURIComponent(id)}`}>{row.provisionedModelName}</Link>
        )}
        <div className="muted small">
          <code>{id}</code>
        </div>
      </td>
      <td>
        <code>{modelIdOf(row.foundationModelArn)}</code>
      </td>
      <td className="num">{row.modelUnits}</td>
      <td>
        {COMMITMENT_LABEL[row.commitmentDuration ?? '']}
        {row.commitmentExpirationTime && <div className="muted small">until {new Date(row.commitmentExpirationTime).toLocaleDateString()}</div>}
      </td>
      <td>
        <span className={`badge badge-${TONE[row.status] ?? 'muted'}`}>{STATUS[row.status] ?? row.status}</span>
        {row.failureMessage && <div className="muted small">{row.failureMessage}</div>}
      </td>
      <td>
        {mode === 'view' && (
          <div className="row-actions">
            <Link to={`provisioned-throughput/${encodeURIComponent(id)}`} className="button-link" aria-label={`Utilisation of ${row.provisionedModelName}`}>
              Utilisation
            </Link>
            <button type="button" className="button-secondary" onClick={() => setMode('rename')} aria-label={`Rename ${row.provisionedModelName}`}>
              Rename
            </button>
            <button type="button" className="button-secondary" onClick={() => setMode('confirm-delete')} aria-label={`Delete ${row.provisionedModelName}`}>
              Delete
            </button>
          </div>
        )}
        {mode === 'confirm-delete' && (
          <div className="row-actions">
            <span className="small">Release its {row.modelUnits} unit{row.modelUnits === 1 ? '' : 's'}?</span>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void run(() => pt.remove(id))}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        )}
        <FieldError message={error} />
      </td>
    </tr>
  );
}
