import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { KeyringStatus, OperationsApi, RotationReport } from '../api/operations';
import { ErrorNotice, Loading } from '../components/notice';
import { formatCount } from '../lib/format';

const STATE_TONE: Record<string, string> = { active: 'good', retiring: 'busy', retired: 'muted' };

/**
 * The secrets keyring: which data key seals new secrets, how many records each key still seals, and rotation after a
 * confirmation. Rotation answers only once the old key is retired (it waits for every replica), so the button says
 * it is working for those seconds.
 */
export function KeyringPanel({ ops, active }: { ops: OperationsApi; active: boolean }) {
  const [status, setStatus] = useState<KeyringStatus>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [rotation, setRotation] = useState<{ busy: boolean; report?: RotationReport; error?: string }>({ busy: false });
  const [generation, setGeneration] = useState(0);
  const load = useCallback(() => setGeneration((g) => g + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` (Try again, after a rotation) reads the status again.
  useEffect(() => {
    if (!active) return;
    let live = true;
    setError(undefined);
    ops.keyring().then(
      (s) => live && setStatus(s),
      (e: unknown) => {
        if (live && !isAbort(e)) setError(messageOf(e));
      },
    );
    return () => {
      live = false;
    };
  }, [ops, active, generation]);

  async function rotate() {
    setConfirming(false);
    setRotation({ busy: true });
    try {
      setRotation({ busy: false, report: await ops.rotateKeyring() });
    } catch (e) {
      setRotation({ busy: false, error: messageOf(e) });
    }
    load();
  }

  const rewrapped = rotation.report ? Object.values(rotation.report.rewrapped).reduce((a, n) => a + n, 0) : 0;

  return (
    <section className="panel" aria-labelledby="ops-keyring-title">
      <h2 id="ops-keyring-title">Secrets keyring</h2>
      <p className="muted small">
        Data keys seal stored secrets (SigV4 keys, connector credentials), each wrapped by the master key. Rotating makes a new data key, re-seals every record
        under it and erases the old one.
      </p>
      {error && (
        <ErrorNotice title="The keyring could not be read" onRetry={load}>
          {error}
        </ErrorNotice>
      )}
      {!status && !error && <Loading what="the keyring" />}
      {status && (
        <>
          <dl className="stat-grid">
            <div>
              <dt>Active data key</dt>
              <dd className="mono small" data-testid="active-key">
                {status.activeKeyId || '—'}
              </dd>
            </div>
            <div>
              <dt>Master key</dt>
              <dd className="mono small">{status.masterKeyId}</dd>
            </div>
          </dl>
          {status.rotating && <p className="hint">A rotation is under way or was interrupted; rotating again finishes it.</p>}
          <div className="table-wrap">
            <table className="table" aria-label="Data keys">
              <thead>
                <tr>
                  <th scope="col">Data key</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Records sealed
                  </th>
                </tr>
              </thead>
              <tbody>
                {status.keys.map((k) => (
                  <tr key={k.keyId}>
                    <td>
                      <code>{k.keyId}</code>
                      <div className="muted small">created {new Date(k.createdAt).toLocaleString()}</div>
                    </td>
                    <td>
                      <span className={`badge badge-${STATE_TONE[k.state] ?? 'muted'}`}>{k.state}</span>
                    </td>
                    <td className="num">{formatCount(k.records)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div className="form-actions">
        {!confirming && (
          <button type="button" className="button-secondary" onClick={() => setConfirming(true)} disabled={rotation.busy || !status}>
            {rotation.busy ? 'Rotating… (waits for every replica)' : 'Rotate data key'}
          </button>
        )}
        {confirming && (
          <div className="row-actions">
            <span className="small">Re-seal every stored secret under a new data key? It takes several seconds; secrets stay readable throughout.</span>
            <button type="button" className="button-danger" onClick={() => void rotate()}>
              Yes, rotate
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
      </div>
      <div role="status">
        {rotation.report && (
          <p className="field-ok verify-result">
            {rotation.report.resumed ? 'An interrupted rotation was finished' : 'Rotated'}: <code>{rotation.report.activeKeyId}</code> now seals {formatCount(rewrapped)} record
            {rewrapped === 1 ? '' : 's'}
            {rotation.report.retired ? <>; <code>{rotation.report.previousKeyId}</code> is retired.</> : '.'}
          </p>
        )}
        {rotation.error && <p className="field-error verify-result">The keyring was not rotated: {rotation.error}</p>}
      </div>
    </section>
  );
}
