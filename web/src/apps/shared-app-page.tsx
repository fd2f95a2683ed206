import { useEffect, useMemo, useState } from 'react';
import { ApiClient } from '../api/api-client';
import { ApiError, messageOf } from '../api/api-error';
import { appsApi, type SharedApp, sharedAppApi } from '../api/apps';
import { ErrorNotice, FieldError, Loading } from '../components/notice';
import { navigate, useTitle } from '../lib/router';
import { storedKey } from '../lib/session';
import { AppRunPanel } from './app-run-panel';
import './apps.css';

/**
 * /console/shared/{token}: an app opened by its share link, signed out. The visitor reads what it does and runs it
 * (the runs are the owner's, who made the link); a visitor signed in to this console in this tab may also remix it.
 */
export function SharedAppPage({ token }: { token: string }) {
  const api = useMemo(() => sharedAppApi(token), [token]);
  const [app, setApp] = useState<SharedApp>();
  const [error, setError] = useState<ApiError | Error>();
  useTitle(app ? `${app.name} · Shared app` : 'Shared app');

  useEffect(() => {
    let live = true;
    api.get().then(
      (a) => live && setApp(a),
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(messageOf(e))),
    );
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <main id="main" className="shared-app">
      <p className="muted small">
        <span className="brand-mark" aria-hidden="true" /> Shared with you through Quarry · read-only
      </p>
      {error ? (
        <ErrorNotice title={error instanceof ApiError && error.status === 403 ? 'This link no longer works' : 'The shared app could not be opened'}>
          {error.message}
        </ErrorNotice>
      ) : !app ? (
        <Loading what="the shared app" />
      ) : (
        <>
          <header className="page-header">
            <div>
              <h1>{app.name}</h1>
              {app.description && <p className="muted">{app.description}</p>}
            </div>
            <RemixButton token={token} />
          </header>
          <AppRunPanel apps={api} app={app} beforeRun={async () => app} />
        </>
      )}
    </main>
  );
}

/** Remixing makes an app in the visitor's own account, so it needs the visitor signed in (in this tab). */
function RemixButton({ token }: { token: string }) {
  const key = storedKey();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!key) return <p className="hint">Sign in to the console in this tab to remix this app into your account.</p>;
  async function remix() {
    setBusy(true);
    setProblem(undefined);
    try {
      const made = await appsApi(new ApiClient(key!, () => undefined)).remix({ token });
      navigate(`apps/${encodeURIComponent(made.appId)}`);
      // The console proper is mounted by the app shell, which reads the path on load.
      location.reload();
    } catch (e) {
      setProblem(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <div>
      <button type="button" className="button-secondary" onClick={remix} disabled={busy}>
        {busy ? 'Remixing…' : 'Remix into my account'}
      </button>
      <FieldError message={problem} />
    </div>
  );
}
