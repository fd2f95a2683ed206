import { type CSSProperties, type FormEvent, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { emptyTurn, streamChat, type TurnState } from '../api/chat-stream';
import { InferenceFields } from '../components/inference-fields';
import { NoTextModel } from '../components/no-text-model';
import { EmptyState, ErrorNotice, FieldError, Loading } from '../components/notice';
import { TurnStats } from '../components/turn-stats';
import { textModels, useConsole } from '../console-context';
import { type ChatSettings, chatParameters, defaultSettings, SettingsError, type SettingsField } from '../lib/chat-settings';
import { costOf } from '../lib/format';
import { useTitle } from '../lib/router';

const MIN = 2;
const MAX = 4;

interface Column {
  model: string;
  state: TurnState;
}

/** The same prompt to two to four models at once, streaming side by side, with latency, tokens and cost of each. */
export function ComparePage({ active }: { active: boolean }) {
  useTitle('Compare', active);
  const { api, catalog } = useConsole();
  const models = textModels(catalog.models);
  const [chosen, setChosen] = useState<string[]>([]);
  const [settings, setSettings] = useState<ChatSettings>(defaultSettings);
  const [prompt, setPrompt] = useState('');
  const [columns, setColumns] = useState<Column[]>([]);
  const [problem, setProblem] = useState<{ field?: SettingsField; message: string }>();
  const running = useRef<AbortController>(undefined);
  const [busy, setBusy] = useState(false);

  // Start with the first two models, so a first run needs nothing but a prompt.
  const ids = models.map((m) => m.id).join('\n');
  useEffect(() => {
    setChosen((c) => (c.length ? c.filter((id) => ids.split('\n').includes(id)) : ids.split('\n').filter(Boolean).slice(0, MIN)));
  }, [ids]);

  const toggle = (id: string, on: boolean) => {
    setChosen((c) => (on ? [...c, id].slice(0, MAX) : c.filter((x) => x !== id)));
    setProblem(undefined);
  };

  async function run(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (chosen.length < MIN) return setProblem({ message: `Choose at least ${MIN} models to compare.` });
    if (!prompt.trim()) return setProblem({ message: 'Type a prompt to send to every model.' });
    let params: ReturnType<typeof chatParameters>;
    try {
      params = chatParameters(settings);
    } catch (err) {
      return setProblem(err instanceof SettingsError ? { field: err.field, message: err.message } : { message: messageOf(err) });
    }
    setProblem(undefined);
    const ac = new AbortController();
    running.current = ac;
    setBusy(true);
    const order = [...chosen];
    setColumns(order.map((model) => ({ model, state: emptyTurn() })));
    const messages = [...(settings.system.trim() ? [{ role: 'system' as const, content: settings.system }] : []), { role: 'user' as const, content: prompt }];
    const update = (i: number, state: TurnState) => setColumns((cs) => cs.map((c, j) => (j === i ? { ...c, state } : c)));
    await Promise.all(
      order.map((model, i) =>
        streamChat(api, { model, messages, ...params }, (s) => update(i, s), ac.signal).catch((err: unknown) => update(i, { ...emptyTurn(), done: true, error: isAbort(err) ? 'Stopped.' : messageOf(err) })),
      ),
    );
    running.current = undefined;
    setBusy(false);
  }

  if (!catalog.models) return catalog.error ? <ErrorNotice onRetry={catalog.reload}>{catalog.error}</ErrorNotice> : <Loading what="models" />;

  const priceOf = (id: string) => models.find((m) => m.id === id)?.pricing;
  const finished = columns.filter((c) => c.state.done && !c.state.error);
  const allDone = columns.length > 0 && columns.every((c) => c.state.done);
  const fastest = allDone && finished.length > 1 ? finished.reduce((a, b) => ((b.state.totalMs ?? Infinity) < (a.state.totalMs ?? Infinity) ? b : a)).model : undefined;
  const costs = finished.map((c) => ({ model: c.model, cost: c.state.usage ? costOf(c.state.usage, priceOf(c.model)) : undefined })).filter((c) => c.cost !== undefined);
  const cheapest = allDone && costs.length > 1 ? costs.reduce((a, b) => (b.cost! < a.cost! ? b : a)).model : undefined;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Compare</h1>
          <p className="muted">One prompt to {MIN}–{MAX} models side by side.</p>
        </div>
      </header>
      {models.length === 0 ? (
        <NoTextModel />
      ) : (
        <form className="panel compare-form" onSubmit={run}>
          <fieldset className="fieldset">
            <legend>
              Models <span className="muted small">({chosen.length} of at most {MAX} chosen)</span>
            </legend>
            {models.length < MIN && <p className="hint">This server has only one text model; add another to compare (see the Models page).</p>}
            <div className="model-checks">
              {models.map((m) => {
                const on = chosen.includes(m.id);
                return (
                  <label key={m.id} className="check">
                    <input type="checkbox" checked={on} disabled={!on && chosen.length >= MAX} onChange={(e) => toggle(m.id, e.target.checked)} /> <code>{m.id}</code>
                  </label>
                );
              })}
            </div>
          </fieldset>
          <div className="compare-inputs">
            <div className="compare-prompt">
              <div className="field">
                <label htmlFor="cmp-prompt">Prompt</label>
                <textarea id="cmp-prompt" rows={4} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="Ask every model the same thing" />
              </div>
              <div className="field">
                <label htmlFor="cmp-system">System prompt (optional)</label>
                <textarea id="cmp-system" rows={2} value={settings.system} onChange={(e) => setSettings((s) => ({ ...s, system: e.target.value }))} />
              </div>
            </div>
            <InferenceFields idPrefix="cmp" settings={settings} onChange={(p) => setSettings((s) => ({ ...s, ...p }))} invalid={problem?.field} disabled={busy} />
          </div>
          {problem && (
            <p className="field-error" role="alert">
              {problem.message}
            </p>
          )}
          <div className="form-actions">
            {busy ? (
              <button type="button" className="button-danger" onClick={() => running.current?.abort()}>
                Stop
              </button>
            ) : (
              <button type="submit">Run comparison</button>
            )}
          </div>
        </form>
      )}
      {columns.length === 0 && models.length > 0 && <EmptyState title="No comparison yet">Pick the models, write a prompt and run it: each answer streams into its own column.</EmptyState>}
      {columns.length > 0 && (
        <div className="compare-grid" style={{ '--columns': columns.length } as CSSProperties} aria-busy={busy}>
          {columns.map((c) => (
            <article key={c.model} className="panel compare-column" aria-label={`Answer from ${c.model}`} data-model={c.model} data-done={c.state.done}>
              <header className="compare-column-head">
                <code>{c.model}</code>
                {fastest === c.model && <span className="badge badge-good">fastest</span>}
                {cheapest === c.model && <span className="badge badge-good">cheapest</span>}
              </header>
              <div className="turn-text compare-output" data-testid="answer">
                {c.state.text}
                {!c.state.done && <span className="cursor" aria-hidden="true" />}
              </div>
              <FieldError message={c.state.error} />
              <TurnStats turn={c.state} pricing={priceOf(c.model)} />
            </article>
          ))}
        </div>
      )}
    </>
  );
}
