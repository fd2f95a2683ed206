import { useState } from 'react';
import { messageOf } from '../api/api-error';
import type { ApiKey, KeysApi, RotatedApiKey } from '../api/keys';
import { FieldError } from '../components/notice';
import { KEY_STATUS } from '../lib/key-terms';
import { RotateKeyConfirm } from './rotate-key-confirm';

/** The day, with the time in a tooltip: a table of keys needs to tell old from new at a glance. */
const date = (iso: string | undefined) => (iso ? <time dateTime={iso} title={new Date(iso).toLocaleString()}>{new Date(iso).toLocaleDateString()}</time> : undefined);

/**
 * One key: disabled and enabled again in place, rotated or deleted after a confirmation. Deleting the key this console
 * signed in with signs it out, so that confirmation says so. A rotated key stays listed until its grace ends, marked
 * with its successor; only the successor can be rotated again.
 */
export function KeyRow({
  keys,
  k,
  current,
  owner,
  onChanged,
  onRotated,
}: {
  keys: KeysApi;
  k: ApiKey;
  current: boolean;
  /** Shown with every user's keys: the owner's name, and whether that is the signed-in user. */
  owner?: { mine: boolean };
  onChanged: () => void;
  onRotated: (r: RotatedApiKey) => void;
}) {
  // Another user's key is named with its owner, so "Disable deploy-bot" says whose deploy-bot.
  const label = owner && !owner.mine ? `${k.name ?? k.keyId} of ${k.userName}` : (k.name ?? k.keyId);
  const [confirming, setConfirming] = useState<'delete' | 'rotate'>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const status = KEY_STATUS[k.status] ?? { label: k.status, tone: 'muted' };

  // A rotation reloads the list itself (onRotated): when this console's own key is rotated, a reload here would still
  // go out with the old secret, which may have just stopped working.
  const run = async (what: () => Promise<void>, after: () => void = onChanged) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      setConfirming(undefined);
      after();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-key={k.keyId}>
      <td>
        {k.name ? <strong>{k.name}</strong> : <span className="muted">No name</span>}
        {current && (
          <>
            {' '}
            <span className="badge badge-busy">this console</span>
          </>
        )}
        <div className="muted small">
          <code>{k.keyId}</code>
        </div>
        <div className="muted small">
          {k.accessKeyId ? <code>{k.accessKeyId}</code> : <code>{k.hint}…</code>}
          {k.description && <> · {k.description}</>}
        </div>
      </td>
      {owner && (
        <td>
          {k.userName}
          {owner.mine && <span className="muted small"> (you)</span>}
        </td>
      )}
      <td>{k.type === 'sigv4' ? 'SigV4' : 'Bearer'}</td>
      <td>
        <span className={`badge badge-${status.tone}`}>{status.label}</span>
        {k.replacedBy && (
          <div className="muted small">
            rotated to <code>{k.replacedBy}</code>
          </div>
        )}
      </td>
      <td className="small nowrap">{date(k.createdAt)}</td>
      <td className="small nowrap">{date(k.lastUsedAt) ?? <span className="muted">never</span>}</td>
      <td className="small nowrap">{date(k.expiresAt) ?? <span className="muted">never</span>}</td>
      <td>
        {!confirming && (
          <div className="row-actions">
            {k.status !== 'Expired' && (
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() => void run(() => keys.setEnabled(k.keyId, k.status !== 'Active'))}
                aria-label={`${k.status === 'Active' ? 'Disable' : 'Enable'} ${label}`}
              >
                {k.status === 'Active' ? 'Disable' : 'Enable'}
              </button>
            )}
            {k.status === 'Active' && !k.replacedBy && (
              <button type="button" className="button-secondary" onClick={() => setConfirming('rotate')} aria-label={`Rotate ${label}`}>
                Rotate
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setConfirming('delete')} aria-label={`Delete ${label}`}>
              Delete
            </button>
          </div>
        )}
        {confirming === 'rotate' && (
          <RotateKeyConfirm
            label={label}
            current={current}
            busy={busy}
            onCancel={() => setConfirming(undefined)}
            onRotate={(grace) => void run(async () => onRotated(await keys.rotate(k.keyId, grace)), () => {})}
          />
        )}
        {confirming === 'delete' && (
          <div className="row-actions">
            <span className="small">{current ? 'This console signed in with it and will be signed out. Delete?' : 'Calls with it will be refused at once. Delete?'}</span>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void run(() => keys.remove(k.keyId))}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        )}
        <FieldError message={error} />
      </td>
    </tr>
  );
}
