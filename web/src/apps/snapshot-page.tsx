import { useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';
import { type SharedSnapshot, sharedSnapshot } from '../api/apps';
import { ErrorNotice, Loading } from '../components/notice';
import { formatCount, formatMs, formatUsd } from '../lib/format';
import { useTitle } from '../lib/router';
import { OutputCard } from './app-output-card';
import './apps.css';

/** /console/snapshots/{token}: one run of an app, frozen, read signed out. Nothing here calls a model. */
export function SnapshotPage({ token }: { token: string }) {
  const [snap, setSnap] = useState<SharedSnapshot>();
  const [error, setError] = useState<string>();
  useTitle(snap ? `${snap.appName} · Snapshot` : 'Snapshot');

  useEffect(() => {
    let live = true;
    sharedSnapshot(token).then(
      (s) => live && setSnap(s),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (error)
    return (
      <main id="main" className="shared-app">
        <ErrorNotice title="This snapshot cannot be shown">{error}</ErrorNotice>
      </main>
    );
  if (!snap)
    return (
      <main id="main" className="shared-app">
        <Loading what="the snapshot" />
      </main>
    );
  const outputs = new Map(snap.run.outputs.map((o) => [o.name, o]));
  const chatbots = snap.widgets.filter((w) => w.type === 'chatbot');
  const { run } = snap;
  return (
    <main id="main" className="shared-app">
      <p className="muted small">
        <span className="brand-mark" aria-hidden="true" /> Snapshot of one run, taken {new Date(snap.createdAt).toLocaleString()} · read-only
      </p>
      <header className="page-header">
        <div>
          <h1>{snap.appName}</h1>
          {snap.appDescription && <p className="muted">{snap.appDescription}</p>}
        </div>
      </header>
      <section className="panel" aria-labelledby="snapshot-inputs-title">
        <h2 id="snapshot-inputs-title">Inputs</h2>
        <dl className="snapshot-inputs">
          {snap.widgets
            .filter((w) => w.type === 'input')
            .map((w) => (
              <div key={w.name}>
                <dt>{w.label || w.name}</dt>
                <dd className="turn-text">{outputs.get(w.name)?.text ?? ''}</dd>
              </div>
            ))}
        </dl>
      </section>
      <section className="panel app-outputs" aria-label="Outputs">
        {snap.widgets.map((w) => {
          if (w.type !== 'generation' && w.type !== 'image') return null;
          const o = outputs.get(w.name);
          return <OutputCard key={w.name} widget={w} shown={o && { state: o.status, text: o.text, output: o }} />;
        })}
        {chatbots.length > 0 && (
          // A snapshot freezes a run, and chats are not part of one: say so rather than leave the chatbot out unexplained.
          <p className="hint" data-snapshot-chats>
            This app also has a chatbot ({chatbots.map((w) => w.label || w.name).join(', ')}): a snapshot keeps a run, not conversations.
          </p>
        )}
        <p className="app-run-total" data-run-status={run.status}>
          {run.status === 'succeeded' ? 'Run finished' : 'Run finished with errors'}: {formatCount(run.usage.totalTokens)} tokens, {formatMs(run.latencyMs)}, cost{' '}
          <span data-stat="run-cost">{formatUsd(run.costUsd)}</span>.
        </p>
      </section>
    </main>
  );
}
