import { useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { DeploymentHealth, OperationsApi } from '../api/operations';

/**
 * Drain or Restore for one deployment, and, while an operator's decision overrides the configuration, Reset to hand
 * the decision back to it. Draining asks first (it moves traffic for every replica); restoring does not, since it only
 * puts back what was taken out. The keyboard stays where the action left it: on the question when it is asked, and on
 * the button that undoes the change once the change is made.
 */
export function DrainControl({ d, ops, onChanged }: { d: DeploymentHealth; ops: OperationsApi; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  // After a change the list reloads and this row's button flips from Drain to Restore (or back): focus follows it.
  useEffect(() => {
    if (refocus.current && !confirming && !busy) {
      refocus.current = false;
      toggle.current?.focus();
    }
  });

  async function change(to: 'drain' | 'restore' | 'reset') {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      await ops[to](d.id);
      refocus.current = true;
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setConfirming(false);
    refocus.current = true;
  }

  return (
    <div className="drain-control">
      {confirming ? (
        // Escape anywhere in the question cancels it, as a dialog's would.
        <fieldset className="row-actions drain-question" aria-label={`Drain ${d.id}?`} onKeyDown={(e) => e.key === 'Escape' && cancel()}>
          <span className="small">
            Stop new calls to <strong>{d.id}</strong> on every replica? {d.outstanding > 0 ? `Its ${d.outstanding} call(s) in flight finish.` : 'Calls in flight finish.'}
          </span>
          <button type="button" className="button-danger" ref={confirmButton} onClick={() => void change('drain')}>
            Yes, drain
          </button>
          <button type="button" className="button-secondary" onClick={cancel}>
            Cancel
          </button>
        </fieldset>
      ) : d.drained ? (
        <button type="button" className="button-secondary" ref={toggle} disabled={busy} aria-label={`Restore ${d.id}`} onClick={() => void change('restore')}>
          {busy ? 'Restoring…' : 'Restore'}
        </button>
      ) : (
        <button type="button" className="button-secondary" ref={toggle} disabled={busy} aria-label={`Drain ${d.id}`} onClick={() => setConfirming(true)}>
          {busy ? 'Draining…' : 'Drain'}
        </button>
      )}
      {d.drainedBy === 'operator' && !confirming && (
        <button
          type="button"
          className="button-secondary"
          disabled={busy}
          aria-label={`Reset ${d.id} to the configuration`}
          title="Forget the operator's decision: the configuration's drained setting applies again"
          onClick={() => void change('reset')}
        >
          Use config
        </button>
      )}
      {error && (
        <p className="field-error small" role="alert">
          Not changed: {error}
        </p>
      )}
    </div>
  );
}
