import { type FormEvent, useRef, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { App, AppRun, AppRunEvent, AppsApi, DocumentFile } from '../api/apps';
import { FieldError } from '../components/notice';
import { formatCount, formatMs, formatUsd } from '../lib/format';
import { effectiveInputs, type LastRun, reusableAnswers } from '../lib/rerun-plan';
import { AppChatbot } from './app-chatbot';
import { OutputCard, type Shown } from './app-output-card';

/** A saved app, or a shared one (whose id the page does not know: its link's token stands for it). */
type RunnableApp = Pick<App, 'widgets'> & { appId?: string };


/**
 * Fills the saved app's inputs and runs it: every generation widget's answer streams into its own card as the server
 * runs them in dependency order, then each shows its tokens, latency and cost, and the run its total. Run again after
 * changing an input, only the widgets downstream of the change run; the others keep their answers (and cost nothing).
 */
export function AppRunPanel({
  apps,
  app,
  beforeRun,
  onSnapshot,
  knowledgeBaseNames,
  canRun,
}: {
  apps: Pick<AppsApi, 'run' | 'chat'>;
  app: RunnableApp;
  beforeRun: () => Promise<RunnableApp | undefined>;
  /** Offered once a kept run finishes (the owner's builder; a share link's visitor has no snapshots). */
  onSnapshot?: (run: AppRun) => Promise<void>;
  /** The account's knowledge bases by id, for chatbot badges; absent where they cannot be listed (a share link). */
  knowledgeBaseNames?: Map<string, string>;
  /**
   * Whether Run has anything to run; by default, whether `app` has a generation or image widget. The builder also
   * counts unsaved ones, since Run saves first.
   */
  canRun?: boolean;
}) {
  const inputs = app.widgets.filter((w) => w.type === 'input');
  const docs = app.widgets.filter((w) => w.type === 'document');
  const [files, setFiles] = useState<Record<string, File>>({});
  const generated = app.widgets.filter((w) => w.type === 'generation' || w.type === 'image');
  const chatbots = app.widgets.filter((w) => w.type === 'chatbot');
  // A run computes generation and image widgets only: without one, Run would do nothing (an app of chatbots is used by
  // chatting), so neither the button nor the inputs only a run reads are offered.
  const runnable = canRun ?? generated.length > 0;
  const [values, setValues] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<Record<string, Shown>>({});
  const [run, setRun] = useState<AppRun>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const running = useRef<AbortController>(undefined);
  const last = useRef<{ run: LastRun; files: Record<string, File> }>(undefined);
  const [kept, setKept] = useState(0);

  const onEvent = (e: AppRunEvent) => {
    if (e.type === 'widgetStart') setShown((s) => ({ ...s, [e.name]: { state: 'running', text: '' } }));
    else if (e.type === 'widgetDelta') setShown((s) => ({ ...s, [e.name]: { state: 'running', text: (s[e.name]?.text ?? '') + e.text } }));
    else if (e.type === 'widgetDone') setShown((s) => ({ ...s, [e.output.name]: { state: e.output.status, text: e.output.text, output: e.output } }));
    else if (e.type === 'runDone') setRun(e.run);
    else setError(e.error.message);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(undefined);
    setRun(undefined);
    setBusy(true);
    const ac = new AbortController();
    running.current = ac;
    try {
      // Unsaved edits are saved first, so what runs is what the builder shows.
      const saved = await beforeRun();
      if (!saved) return;
      const given = Object.fromEntries(saved.widgets.filter((w) => w.type === 'input' && values[w.name]?.trim()).map((w) => [w.name, values[w.name]!]));
      const effective = effectiveInputs(saved.widgets, values);
      const newFiles = new Set(Object.keys(files).filter((n) => files[n] !== last.current?.files[n]));
      const reuse = reusableAnswers(saved.widgets, last.current?.run, effective, newFiles);
      setKept(Object.keys(reuse).length);
      setShown(Object.fromEntries(saved.widgets.filter((w) => w.type === 'generation' || w.type === 'image').map((w) => [w.name, { state: 'waiting', text: reuse[w.name] ?? '' }])));
      const documents = await filesOf(saved.widgets.filter((w) => w.type === 'document').map((w) => w.name), files);
      let finished: AppRun | undefined;
      await apps.run(
        saved.appId ?? '',
        { inputs: given, ...(Object.keys(documents).length ? { documents } : {}), ...(Object.keys(reuse).length ? { reuse } : {}) },
        (ev) => {
          if (ev.type === 'runDone') finished = ev.run;
          onEvent(ev);
        },
        ac.signal,
      );
      if (finished) {
        const answers = Object.fromEntries(finished.outputs.filter((o) => o.type === 'generation' && o.status === 'succeeded').map((o) => [o.name, o.text]));
        last.current = { run: { widgetsJson: JSON.stringify(saved.widgets), inputs: effective, answers }, files: { ...files } };
      }
    } catch (err) {
      if (!isAbort(err)) setError(messageOf(err));
    } finally {
      running.current = undefined;
      setBusy(false);
    }
  }

  return (
    <section className="panel app-run" aria-labelledby="app-run-title">
      <h2 id="app-run-title">{runnable || chatbots.length === 0 ? 'Run the app' : 'Use the app'}</h2>
      {app.widgets.map((w) =>
        w.type === 'text' ? (
          <div key={w.name} className="app-static-text" data-static={w.name}>
            {w.label && <strong>{w.label}</strong>}
            <p className="turn-text">{w.text}</p>
          </div>
        ) : null,
      )}
      {!runnable && (
        <p className="hint" data-nothing-to-run>
          {chatbots.length > 0
            ? `This app is a conversation: there is nothing to run. Type a message to ${chatbots.map((w) => w.label || w.name).join(' or ')} below.`
            : 'This app has nothing to run yet: it needs a generation or image widget.'}
        </p>
      )}
      {runnable && (
        <form onSubmit={submit}>
          {docs.map((w) => (
            <div className="field" key={w.name}>
              <label htmlFor={`app-run-${w.name}`}>{w.label || w.name}</label>
              <input
                id={`app-run-${w.name}`}
                type="file"
                accept=".pdf,.docx,.html,.htm,.md,.txt,.csv,.tsv,.json,.jsonl"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  setFiles((m) => {
                    const { [w.name]: _, ...rest } = m;
                    return f ? { ...rest, [w.name]: f } : rest;
                  });
                }}
              />
            </div>
          ))}
          {inputs.length === 0 && docs.length === 0 && <p className="hint">This app has no inputs: its prompts run as written.</p>}
          {inputs.map((w) => (
            <div className="field" key={w.name}>
              <label htmlFor={`app-run-${w.name}`}>{w.label || w.name}</label>
              <textarea id={`app-run-${w.name}`} rows={2} value={values[w.name] ?? ''} placeholder={w.defaultValue ?? w.placeholder ?? ''} onChange={(e) => setValues((v) => ({ ...v, [w.name]: e.target.value }))} />
            </div>
          ))}
          <FieldError message={error} />
          <div className="form-actions">
            {busy ? (
              <button type="button" className="button-danger" onClick={() => running.current?.abort()}>
                Stop
              </button>
            ) : (
              <button type="submit">Run app</button>
            )}
          </div>
        </form>
      )}
      <div className="app-outputs" aria-busy={busy}>
        {generated.map((w) => {
          const s = shown[w.name];
          return <OutputCard key={w.name} widget={w} shown={s} />;
        })}
      </div>
      {busy && kept > 0 && (
        <p className="hint" role="status">
          {kept === 1 ? '1 answer is' : `${kept} answers are`} kept from the last run: nothing they use changed. The widgets downstream of your changes run again.
        </p>
      )}
      {run && (
        <p className="app-run-total" role="status" data-run-status={run.status}>
          {run.status === 'succeeded' ? 'Run finished' : 'Run finished with errors'}: {formatCount(run.usage.totalTokens)} tokens, {formatMs(run.latencyMs)}, cost{' '}
          <span data-stat="run-cost">{formatUsd(run.costUsd)}</span>.
        </p>
      )}
      {app.widgets.map((w) => (w.type === 'chatbot' ? <AppChatbot key={w.name} apps={apps} appId={app.appId ?? ''} widget={w} knowledgeBaseName={w.knowledgeBaseId && knowledgeBaseNames ? (knowledgeBaseNames.get(w.knowledgeBaseId) ?? null) : undefined} /> : null))}
      {run?.runId && onSnapshot && <SnapshotButton run={run} onSnapshot={onSnapshot} />}
    </section>
  );
}

function SnapshotButton({ run, onSnapshot }: { run: AppRun; onSnapshot: (run: AppRun) => Promise<void> }) {
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  return (
    <div className="form-actions">
      <button
        type="button"
        className="button-secondary"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            await onSnapshot(run);
            setState({});
          } catch (e) {
            setState({ error: messageOf(e) });
          }
        }}
      >
        Snapshot this run
      </button>
      <FieldError message={state.error} />
    </div>
  );
}

/** The chosen files of the app's document widgets, base64 for the run request (the server extracts their text). */
async function filesOf(names: string[], files: Record<string, File>): Promise<Record<string, DocumentFile>> {
  const out: Record<string, DocumentFile> = {};
  for (const name of names) {
    const f = files[name];
    if (!f) continue;
    const bytes = new Uint8Array(await f.arrayBuffer());
    let binary = '';
    // In slices: String.fromCharCode over a whole large file would overflow the call stack.
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    out[name] = { fileName: f.name, ...(f.type ? { contentType: f.type } : {}), base64: btoa(binary) };
  }
  return out;
}
