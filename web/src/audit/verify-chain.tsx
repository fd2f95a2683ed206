import { useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AuditApi, VerifyReport } from '../api/audit';
import { formatCount } from '../lib/format';

/**
 * VerifyAuditLog: recomputes every hash of the trail the caller may see and stops at the first broken link. The
 * verdict is said in words and colour, and a break names the event and what was done to it.
 */
export function VerifyChain({ audit }: { audit: AuditApi }) {
  const [report, setReport] = useState<VerifyReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await audit.verify());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="audit-verify-title">
      <h2 id="audit-verify-title">Integrity</h2>
      <p className="muted small">Each event carries the hash of the one before it, so an edited, deleted or reordered event breaks the chain from there on.</p>
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      <div className="verify-result" role="status" data-testid="verify-result">
        {error && <p className="field-error">The chain could not be verified: {error}</p>}
        {report?.valid && (
          <p className="field-ok">
            <strong>Chain intact.</strong> {formatCount(report.eventsChecked)} event{report.eventsChecked === 1 ? '' : 's'} in {report.chains.length} account
            {report.chains.length === 1 ? '' : 's'} checked; none was changed, removed or reordered.
          </p>
        )}
        {report && !report.valid && (
          <div className="field-error">
            <strong>Chain broken.</strong> The trail was altered outside Quarry; events from the first break on cannot be trusted.
            <ul>
              {report.chains
                .filter((c) => !c.valid)
                .map((c) => (
                  <li key={c.accountId}>
                    Account {c.accountId}: at event {c.firstBreak?.sequence}
                    {c.firstBreak?.eventId ? ` (${c.firstBreak.eventId})` : ''} — {c.firstBreak?.message ?? c.firstBreak?.reason}
                  </li>
                ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
