import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AppShare, AppsApi, NewAppShare } from '../api/apps';
import { FieldError } from '../components/notice';

/**
 * Share links of a saved app: make one (its address is shown once, as a new API key is: only its hash is kept),
 * and revoke any. Whoever opens a link runs the app signed out, as the person who made the link.
 */
export function AppSharePanel({ apps, appId }: { apps: AppsApi; appId: string }) {
  const [shares, setShares] = useState<AppShare[]>();
  const [made, setMade] = useState<NewAppShare>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    apps.shares(appId).then(setShares, (e: unknown) => setProblem(messageOf(e)));
  }, [apps, appId]);
  useEffect(load, [load]);

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
      load();
    } catch (e) {
      setProblem(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const live = shares?.filter((s) => !s.revokedAt) ?? [];
  const url = made ? `${location.origin}${made.path}` : undefined;
  return (
    <section className="panel app-share" aria-labelledby="app-share-title">
      <h2 id="app-share-title">Share</h2>
      <p className="hint">Anyone with a link can run this app without signing in; the runs are charged to you. Revoke a link to stop it.</p>
      {url && (
        <div className="field">
          <label htmlFor="app-share-url">New share link (shown once: copy it now)</label>
          <div className="app-share-link">
            <input id="app-share-url" readOnly value={url} onFocus={(e) => e.target.select()} />
            <button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(url)}>
              Copy
            </button>
          </div>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => act(async () => setMade(await apps.share(appId)))}>
          Create share link
        </button>
      </div>
      <FieldError message={problem} />
      {live.length > 0 && (
        <ul className="app-shares" aria-label="Share links">
          {live.map((s) => (
            <li key={s.shareId} data-share={s.shareId}>
              <span>
                Link <code>{s.shareId}</code> made by {s.sharedBy}, {new Date(s.createdAt).toLocaleString()}
              </span>
              <button
                type="button"
                className="button-ghost"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    await apps.revokeShare(appId, s.shareId);
                    if (made?.shareId === s.shareId) setMade(undefined);
                  })
                }
              >
                Revoke link {s.shareId}
              </button>
            </li>
          ))}
        </ul>
      )}
      {shares && live.length === 0 && <p className="muted small">No live links.</p>}
    </section>
  );
}
