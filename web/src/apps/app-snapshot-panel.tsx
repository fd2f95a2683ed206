import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AppSnapshotSummary, AppsApi, NewAppSnapshot } from '../api/apps';
import { FieldError } from '../components/notice';
import { formatUsd } from '../lib/format';

/**
 * An app's snapshots: runs frozen with the app as it was, each readable by its link (shown once, when made) until it
 * is deleted. `made` is the one just taken from the run panel.
 */
export function AppSnapshotPanel({ apps, appId, made, runnable = true }: { apps: AppsApi; appId: string; made: NewAppSnapshot | undefined; runnable?: boolean }) {
  const [list, setList] = useState<AppSnapshotSummary[]>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [deleted, setDeleted] = useState<string>();

  const load = useCallback(() => {
    apps.snapshots(appId).then(setList, (e: unknown) => setProblem(messageOf(e)));
  }, [apps, appId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new snapshot is a reason to list them again.
  useEffect(load, [load, made]);

  async function remove(id: string) {
    setBusy(true);
    setProblem(undefined);
    try {
      await apps.deleteSnapshot(appId, id);
      setDeleted(id);
      load();
    } catch (e) {
      setProblem(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const url = made && made.snapshotId !== deleted ? `${location.origin}${made.path}` : undefined;
  return (
    <section className="panel app-share" aria-labelledby="app-snapshots-title">
      <h2 id="app-snapshots-title">Snapshots</h2>
      <p className="hint">
        A snapshot freezes one run (inputs, answers and cost) for anyone with its link to read.{' '}
        {runnable ? 'Take one with “Snapshot this run” after a run; delete it to stop its link.' : 'This app has no generation or image widget, so it has no run to freeze; its chats are not kept.'}
      </p>
      {url && (
        <div className="field">
          <label htmlFor="app-snapshot-url">New snapshot link (shown once: copy it now)</label>
          <div className="app-share-link">
            <input id="app-snapshot-url" readOnly value={url} onFocus={(e) => e.target.select()} />
            <button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(url)}>
              Copy
            </button>
          </div>
        </div>
      )}
      <FieldError message={problem} />
      {list && list.length > 0 && (
        <ul className="app-shares" aria-label="Snapshots">
          {list.map((s) => (
            <li key={s.snapshotId} data-snapshot={s.snapshotId}>
              <span>
                Snapshot <code>{s.snapshotId}</code>, {new Date(s.createdAt).toLocaleString()}, {s.status}, cost {formatUsd(s.costUsd)}
              </span>
              <button type="button" className="button-ghost" disabled={busy} onClick={() => remove(s.snapshotId)}>
                Delete snapshot {s.snapshotId}
              </button>
            </li>
          ))}
        </ul>
      )}
      {list && list.length === 0 && <p className="muted small">No snapshots.</p>}
    </section>
  );
}
