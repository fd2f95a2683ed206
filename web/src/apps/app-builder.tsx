import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { App, AppsApi, NewAppSnapshot } from '../api/apps';
import { type KnowledgeBaseSummary, knowledgeApi } from '../api/knowledge';
import { NoTextModel } from '../components/no-text-model';
import { ErrorNotice, Loading } from '../components/notice';
import { imageModels, textModels, useConsole } from '../console-context';
import { type AppDraft, DraftError, definitionOf, draftOf, newWidget, type WidgetDraft } from '../lib/app-draft';
import { Link, navigate, useTitle } from '../lib/router';
import { AppDraftForm } from './app-draft-form';
import { AppRunPanel } from './app-run-panel';
import { AppSharePanel } from './app-share-panel';
import { AppSnapshotPanel } from './app-snapshot-panel';
import type { KnowledgeBaseChoices } from './knowledge-base-picker';
import { WidgetEditor } from './widget-editor';
import './apps.css';

/**
 * Builds one app: its name, its widgets (inputs, and generation widgets with a prompt, a model and parameters), saved
 * through /quarry/apps, which checks references and cycles; beside it, the run panel. `id` is undefined for a new app.
 */
export function AppBuilder({ apps, id, active, onCreated }: { apps: AppsApi; id: string | undefined; active: boolean; onCreated: (id: string) => void }) {
  const { catalog } = useConsole();
  const models = textModels(catalog.models);
  const painters = imageModels(catalog.models);
  const knowledgeBases = useKnowledgeBases();
  const [saved, setSaved] = useState<App>();
  const [draft, setDraft] = useState<AppDraft>(() => draftOf(undefined));
  const [dirty, setDirty] = useState(false);
  const [loadError, setLoadError] = useState<string>();
  const [problem, setProblem] = useState<{ message: string; widgetKey?: number }>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [snapshot, setSnapshot] = useState<NewAppSnapshot>();
  // "+ Add image" pressed with no image model: the hint beside it is said aloud and stands out.
  const [askedForImage, setAskedForImage] = useState(false);
  useTitle(saved ? `${saved.name} · Apps` : 'New app · Apps', active);

  // After creating, the address changes to the new id: the builder keeps its state rather than loading it again.
  useEffect(() => {
    if (!id || saved?.appId === id) return;
    const ac = new AbortController();
    setLoadError(undefined);
    apps.get(id).then(
      (a) => {
        if (ac.signal.aborted) return;
        setSaved(a);
        setDraft(draftOf(a));
        setDirty(false);
      },
      (e: unknown) => {
        if (!isAbort(e) && !ac.signal.aborted) setLoadError(messageOf(e));
      },
    );
    return () => ac.abort();
  }, [apps, id, saved?.appId]);

  const edit = (next: (d: AppDraft) => AppDraft) => {
    setDraft(next);
    setDirty(true);
    setProblem(undefined);
    setNotice(undefined);
  };
  const editWidget = (key: number, patch: Partial<WidgetDraft>) => edit((d) => ({ ...d, widgets: d.widgets.map((w) => (w.key === key ? { ...w, ...patch } : w)) }));
  const add = (type: WidgetDraft['type']) => edit((d) => ({ ...d, widgets: [...d.widgets, newWidget(type, d.widgets, (type === 'image' ? painters : models)[0]?.id ?? '')] }));
  const move = (i: number, by: -1 | 1) =>
    edit((d) => {
      const ws = [...d.widgets];
      const [w] = ws.splice(i, 1);
      ws.splice(i + by, 0, w!);
      return { ...d, widgets: ws };
    });

  /** Saves the draft; returns the saved app, or undefined (with the problem shown) when it could not be saved. */
  async function save(): Promise<App | undefined> {
    if (!dirty && saved) return saved;
    let def: ReturnType<typeof definitionOf>;
    try {
      def = definitionOf(draft);
    } catch (e) {
      setProblem(e instanceof DraftError ? { message: e.message, widgetKey: e.widgetKey } : { message: messageOf(e) });
      return undefined;
    }
    setBusy(true);
    try {
      const app = saved ? await apps.update(saved.appId, def) : await apps.create(def);
      setSaved(app);
      setDirty(false);
      setNotice('Saved.');
      if (!saved) {
        onCreated(app.appId);
        navigate(`apps/${encodeURIComponent(app.appId)}`, { replace: true });
      }
      return app;
    } catch (e) {
      setProblem({ message: messageOf(e) });
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    await save();
  }

  async function remix() {
    if (!saved) return;
    setBusy(true);
    try {
      // The saved app is what is copied: unsaved edits stay here.
      const copy = await apps.remix({ appId: saved.appId });
      navigate(`apps/${encodeURIComponent(copy.appId)}`);
    } catch (e) {
      setProblem({ message: messageOf(e) });
      setBusy(false);
    }
  }

  async function remove() {
    if (!saved) return;
    setBusy(true);
    try {
      await apps.remove(saved.appId);
      navigate('apps');
    } catch (e) {
      setProblem({ message: messageOf(e) });
      setBusy(false);
    }
  }

  if (loadError)
    return (
      <ErrorNotice title="The app could not be opened">
        {loadError} <Link to="apps">Back to all apps</Link>
      </ErrorNotice>
    );
  if (id && !saved) return <Loading what="the app" />;
  if (!catalog.models) return catalog.error ? <ErrorNotice onRetry={catalog.reload}>{catalog.error}</ErrorNotice> : <Loading what="models" />;

  const names = draft.widgets.map((w) => w.name);
  const imageNames = draft.widgets.filter((w) => w.type === 'image').map((w) => w.name);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="apps">Apps</Link> / <span>{saved?.name ?? 'New app'}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1>{saved ? saved.name : 'New app'}</h1>
          <p className="muted">Inputs for the person using the app, and generation widgets whose prompts use them as {'{{name}}'}. Widgets run in dependency order.</p>
        </div>
      </header>
      {models.length === 0 && <NoTextModel />}
      {!saved && models.length > 0 && (
        <AppDraftForm
          apps={apps}
          models={models}
          imageModels={painters}
          onDrafted={(def) => {
            edit(() => draftOf({ ...def, description: def.description ?? '' }));
            setNotice(undefined);
          }}
        />
      )}
      <div className="app-layout">
        <form className="panel app-editor" onSubmit={submit} aria-labelledby="app-editor-title" noValidate>
          <h2 id="app-editor-title">Build</h2>
          <div className="field">
            <label htmlFor="app-name">App name</label>
            <input id="app-name" value={draft.name} onChange={(e) => edit((d) => ({ ...d, name: e.target.value }))} maxLength={100} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="app-description">Description (optional)</label>
            <input id="app-description" value={draft.description} onChange={(e) => edit((d) => ({ ...d, description: e.target.value }))} maxLength={1000} />
          </div>
          {draft.widgets.length === 0 && <p className="hint">No widgets yet. Add an input for what the user types, then a generation widget whose prompt uses it.</p>}
          {draft.widgets.map((w, i) => (
            <WidgetEditor
              key={w.key}
              widget={w}
              index={i}
              count={draft.widgets.length}
              names={names}
              imageNames={imageNames}
              models={models}
              imageModels={painters}
              knowledgeBases={knowledgeBases}
              invalid={problem?.widgetKey === w.key}
              onChange={(p) => editWidget(w.key, p)}
              onMove={(by) => move(i, by)}
              onRemove={() => edit((d) => ({ ...d, widgets: d.widgets.filter((x) => x.key !== w.key) }))}
            />
          ))}
          <div className="app-add">
            <button type="button" className="button-secondary" onClick={() => add('input')}>
              + Add input
            </button>
            <button type="button" className="button-secondary" onClick={() => add('generation')} disabled={models.length === 0}>
              + Add generation widget
            </button>
            <button type="button" className="button-secondary" onClick={() => add('text')}>
              + Add static text
            </button>
            <button type="button" className="button-secondary" onClick={() => add('document')}>
              + Add document upload
            </button>
            <button type="button" className="button-secondary" onClick={() => add('chatbot')} disabled={models.length === 0}>
              + Add chatbot
            </button>
            {/* Without an image model the button stays focusable (aria-disabled, not disabled), so keyboard and screen-reader
                users reach it and hear why it does nothing; pressing it says so again, aloud. */}
            <button
              type="button"
              className="button-secondary"
              onClick={() => (painters.length > 0 ? add('image') : setAskedForImage(true))}
              aria-disabled={painters.length === 0 ? true : undefined}
              aria-describedby={painters.length === 0 ? 'app-add-image-hint' : undefined}
            >
              + Add image
            </button>
          </div>
          {painters.length === 0 && (
            // Keyed, so that once asked it is a new alert element, which screen readers announce (a changed role is not).
            <p key={askedForImage ? 'asked' : 'hint'} id="app-add-image-hint" className={askedForImage ? 'field-error' : 'hint'} role={askedForImage ? 'alert' : undefined}>
              Image widgets need an image model: configure a model with <code>kind: image</code> (see “Image generation” in the README).
            </p>
          )}
          {problem && (
            <p className="field-error" role="alert">
              {problem.message}
            </p>
          )}
          {notice && !dirty && (
            <p className="field-ok" role="status">
              {notice}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : saved ? 'Save changes' : 'Create app'}
            </button>
            {saved && (
              <button type="button" className="button-secondary" onClick={remix} disabled={busy}>
                Remix
              </button>
            )}
            {saved && !confirmDelete && (
              <button type="button" className="button-secondary" onClick={() => setConfirmDelete(true)} disabled={busy}>
                Delete app
              </button>
            )}
            {saved && confirmDelete && (
              <>
                <button type="button" className="button-danger" onClick={remove} disabled={busy}>
                  Delete {saved.name} for good
                </button>
                <button type="button" className="button-ghost" onClick={() => setConfirmDelete(false)}>
                  Keep it
                </button>
              </>
            )}
          </div>
        </form>
        {saved ? (
          <div>
            <AppRunPanel apps={apps} app={saved} beforeRun={save} knowledgeBaseNames={knowledgeBaseNames(knowledgeBases.list)} canRun={runnable(saved.widgets) || runnable(draft.widgets)} onSnapshot={async (run) => setSnapshot(await apps.snapshot(saved.appId, run.runId ?? ''))} />
            <AppSharePanel apps={apps} appId={saved.appId} />
            <AppSnapshotPanel apps={apps} appId={saved.appId} made={snapshot} runnable={runnable(saved.widgets)} />
          </div>
        ) : (
          <section className="panel app-run" aria-label="Run the app">
            <h2>Run the app</h2>
            <p className="hint">Create the app to run it.</p>
          </section>
        )}
      </div>
    </>
  );
}

/** The account's knowledge bases through the API the Knowledge bases page uses, read once per builder (Try again re-reads). */
function useKnowledgeBases(): KnowledgeBaseChoices {
  const { api } = useConsole();
  const kb = useMemo(() => knowledgeApi(api), [api]);
  const [state, setState] = useState<{ list?: KnowledgeBaseSummary[]; error?: string }>({});
  // A late answer after the builder closed sets state nobody reads; React ignores it.
  const reload = useCallback(() => {
    setState({});
    kb.list().then(
      (list) => setState({ list }),
      (e: unknown) => !isAbort(e) && setState({ error: messageOf(e) }),
    );
  }, [kb]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

/** Names by id once the list is read; undefined before, so a badge does not call a knowledge base gone while loading. */
function knowledgeBaseNames(list: KnowledgeBaseSummary[] | undefined): Map<string, string> | undefined {
  return list && new Map(list.map((k) => [k.knowledgeBaseId, k.name]));
}

/** Whether a run has anything to compute: only generation and image widgets run (a chatbot is used by chatting). */
function runnable(widgets: { type: string }[]): boolean {
  return widgets.some((w) => w.type === 'generation' || w.type === 'image');
}
