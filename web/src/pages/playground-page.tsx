import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { emptyTurn, streamChat, type TurnState } from '../api/chat-stream';
import { ChatTurn, type Turn } from '../components/chat-turn';
import { InferenceFields } from '../components/inference-fields';
import { ModelSelect } from '../components/model-select';
import { ErrorNotice, EmptyState, Loading } from '../components/notice';
import { NoTextModel } from '../components/no-text-model';
import { textModels, useConsole } from '../console-context';
import { type ImageAttachment, IMAGE_TYPES, readImages } from '../lib/attachments';
import { toMessages } from '../lib/chat-history';
import { type ChatSettings, chatParameters, defaultSettings, EXAMPLE_SCHEMA, EXAMPLE_TOOLS, SettingsError, type SettingsField } from '../lib/chat-settings';
import { useRoute, useTitle } from '../lib/router';

let nextId = 0;
const newId = () => `turn-${++nextId}`;

/** Chat with one model: streaming answers, every inference setting, tools, structured output and images. */
export function PlaygroundPage({ active }: { active: boolean }) {
  useTitle('Playground', active);
  const { api, catalog } = useConsole();
  const route = useRoute();
  const models = textModels(catalog.models);
  const [model, setModel] = useState('');
  const [settings, setSettings] = useState<ChatSettings>(defaultSettings);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState('');
  const [images, setImages] = useState<ImageAttachment[]>([]);
  const [problem, setProblem] = useState<{ field?: SettingsField; message: string }>();
  const [running, setRunning] = useState<AbortController>();
  const [toolResults, setToolResults] = useState<Record<string, string>>({});
  const [announce, setAnnounce] = useState('');
  const log = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  // A model chosen elsewhere (the catalog's "Try it") arrives as ?model=; otherwise the first text model.
  // Applied once per link followed, so choosing another model in the list is not undone while the URL still names it.
  const wanted = active ? route.query.get('model') : null;
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (wanted && wanted !== applied.current && models.some((m) => m.id === wanted)) {
      applied.current = wanted;
      setModel(wanted);
    } else if (!model && models[0]) setModel(models[0].id);
  }, [wanted, models, model]);

  // A new message scrolls to the bottom; an answer streaming in is followed unless the user has scrolled up to read.
  const lastTurn = turns.at(-1);
  const shownCount = useRef(0);
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    const added = turns.length > shownCount.current;
    shownCount.current = turns.length;
    if (added || el.scrollHeight - el.scrollTop - el.clientHeight < 160) el.scrollTop = el.scrollHeight;
  }, [lastTurn, turns.length]);

  const patch = (p: Partial<ChatSettings>) => {
    setSettings((s) => ({ ...s, ...p }));
    setProblem(undefined);
  };
  const updateTurn = (id: string, state: TurnState) => setTurns((ts) => ts.map((t) => (t.id === id && t.role === 'assistant' ? { ...t, state } : t)));

  async function run(added: Turn[]) {
    let params: ReturnType<typeof chatParameters>;
    try {
      params = chatParameters(settings);
    } catch (e) {
      setProblem(e instanceof SettingsError ? { field: e.field, message: e.message } : { message: messageOf(e) });
      return false;
    }
    const info = models.find((m) => m.id === model);
    if (!info) {
      setProblem({ message: 'Choose a model first.' });
      return false;
    }
    setProblem(undefined);
    const answer: Turn = { id: newId(), role: 'assistant', model: info.id, pricing: info.pricing, structured: !!params.response_format, state: emptyTurn() };
    const history = [...turns, ...added];
    setTurns([...history, answer]);
    const ac = new AbortController();
    setRunning(ac);
    setAnnounce('Answering…');
    try {
      const final = await streamChat(api, { model: info.id, messages: toMessages(settings.system, history), ...params }, (s) => updateTurn(answer.id, s), ac.signal);
      setAnnounce(final.error ? `The answer failed: ${final.error}` : `Answer complete${final.usage ? `, ${final.usage.outputTokens} tokens` : ''}.`);
    } catch (e) {
      const error = isAbort(e) ? 'Stopped.' : messageOf(e);
      updateTurn(answer.id, { ...emptyTurn(), done: true, error });
      setAnnounce(error);
    } finally {
      setRunning(undefined);
    }
    return true;
  }

  async function send(e?: FormEvent) {
    e?.preventDefault();
    if (running) return;
    const text = input.trim();
    if (!text && images.length === 0) {
      setProblem({ message: 'Type a message (or attach an image) first.' });
      composer.current?.focus();
      return;
    }
    // The composer empties as the message goes, so what is typed while the answer streams is kept when it ends.
    const [typed, taken] = [input, images];
    setInput('');
    setImages([]);
    const sent = await run([{ id: newId(), role: 'user', text, images: taken }]);
    if (!sent) {
      // Nothing went out (settings to fix, no model): the message comes back, unless something was typed meanwhile.
      setInput((now) => (now.trim() ? now : typed));
      setImages((now) => (now.length ? now : taken));
    }
    composer.current?.focus();
  }

  function onComposerKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter breaks the line; an IME composing text keeps Enter for itself.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  async function attach(files: FileList | null) {
    if (!files?.length) return;
    const { images: read, problems } = await readImages(files, images.length);
    setImages((im) => [...im, ...read]);
    setProblem(problems.length ? { message: problems.join(' ') } : undefined);
  }

  const last = turns.at(-1);
  const pendingCalls = last?.role === 'assistant' && last.state.done && !last.state.error ? last.state.toolCalls : [];

  async function sendToolResults(e: FormEvent) {
    e.preventDefault();
    await run(pendingCalls.map((c) => ({ id: newId(), role: 'tool' as const, toolCallId: c.id, name: c.function.name, content: toolResults[c.id] ?? '' })));
    setToolResults({});
  }

  if (!catalog.models) return catalog.error ? <ErrorNotice onRetry={catalog.reload}>{catalog.error}</ErrorNotice> : <Loading what="models" />;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Playground</h1>
          <p className="muted">
            Chat with one model through <code>POST /v1/chat/completions</code>, streaming.
          </p>
        </div>
        <button type="button" className="button-secondary" onClick={() => setTurns([])} disabled={!!running || turns.length === 0}>
          Clear chat
        </button>
      </header>
      {models.length === 0 ? (
        <NoTextModel />
      ) : (
        <div className="playground">
          <aside className="panel settings" aria-label="Settings">
            <ModelSelect id="pg-model" label="Model" models={models} value={model} onChange={setModel} />
            <div className="field">
              <label htmlFor="pg-system">System prompt</label>
              <textarea id="pg-system" rows={3} value={settings.system} onChange={(e) => patch({ system: e.target.value })} placeholder="You are a helpful assistant." />
            </div>
            <InferenceFields idPrefix="pg" settings={settings} onChange={patch} invalid={problem?.field} />
            <fieldset className="fieldset">
              <legend>Tools</legend>
              <label className="check">
                <input type="checkbox" checked={settings.toolsOn} onChange={(e) => patch({ toolsOn: e.target.checked, tools: settings.tools || EXAMPLE_TOOLS })} /> Offer tools to the model
              </label>
              {settings.toolsOn && (
                <div className="field">
                  <label htmlFor="pg-tools">Tool definitions (JSON)</label>
                  <textarea id="pg-tools" className="mono" rows={9} value={settings.tools} onChange={(e) => patch({ tools: e.target.value })} aria-invalid={problem?.field === 'tools' || undefined} spellCheck={false} />
                  <span className="hint">OpenAI, Bedrock or bare {'{name, description, parameters}'} shapes.</span>
                </div>
              )}
            </fieldset>
            <fieldset className="fieldset">
              <legend>Structured output</legend>
              <label className="check">
                <input type="checkbox" checked={settings.schemaOn} onChange={(e) => patch({ schemaOn: e.target.checked, schema: settings.schema || EXAMPLE_SCHEMA })} /> Answer in JSON matching a schema
              </label>
              {settings.schemaOn && (
                <div className="field">
                  <label htmlFor="pg-schema">JSON Schema</label>
                  <textarea id="pg-schema" className="mono" rows={8} value={settings.schema} onChange={(e) => patch({ schema: e.target.value })} aria-invalid={problem?.field === 'schema' || undefined} spellCheck={false} />
                </div>
              )}
            </fieldset>
          </aside>
          <section className="chat" aria-label="Chat">
            <div className="chat-log" ref={log} role="log" aria-label="Conversation">
              {turns.length === 0 ? (
                <EmptyState title="No messages yet">Write a message below and press Enter. The settings on the left apply to every turn; tokens, latency and cost show under each answer.</EmptyState>
              ) : (
                turns.map((t) => <ChatTurn key={t.id} turn={t} />)
              )}
            </div>
            {pendingCalls.length > 0 && !running && (
              <form className="panel tool-results" onSubmit={sendToolResults} aria-label="Tool results">
                <p className="muted">The model asked for {pendingCalls.length === 1 ? 'a tool' : `${pendingCalls.length} tools`}. Run it yourself and give the result back:</p>
                {pendingCalls.map((c) => (
                  <div className="field" key={c.id}>
                    <label htmlFor={`result-${c.id}`}>
                      Result of <code>{c.function.name}</code>
                    </label>
                    <textarea id={`result-${c.id}`} className="mono" rows={2} value={toolResults[c.id] ?? ''} onChange={(e) => setToolResults((r) => ({ ...r, [c.id]: e.target.value }))} placeholder='{"temperature": 21}' />
                  </div>
                ))}
                <button type="submit">Send tool results</button>
              </form>
            )}
            <form className="composer" onSubmit={send}>
              {images.length > 0 && (
                <ul className="attachments" aria-label="Attached images">
                  {images.map((im) => (
                    <li key={im.id}>
                      <img src={im.dataUrl} alt="" className="thumb" />
                      <span className="small">{im.name}</span>
                      <button type="button" className="button-icon" aria-label={`Remove ${im.name}`} onClick={() => setImages((list) => list.filter((x) => x.id !== im.id))}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {problem && (
                <p className="field-error" role="alert">
                  {problem.message}
                </p>
              )}
              <label htmlFor="pg-message" className="sr-only">
                Message
              </label>
              <textarea
                id="pg-message"
                ref={composer}
                rows={3}
                value={input}
                onChange={(e) => setInput(e.target.value)}
                onKeyDown={onComposerKey}
                placeholder="Message the model (Enter to send, Shift+Enter for a new line)"
              />
              <div className="composer-actions">
                <label className="button-secondary file-button">
                  Attach images
                  <input
                    type="file"
                    accept={IMAGE_TYPES.join(',')}
                    multiple
                    className="sr-only"
                    onChange={(e) => {
                      void attach(e.target.files);
                      e.target.value = '';
                    }}
                  />
                </label>
                <span className="spacer" />
                {running ? (
                  <button type="button" className="button-danger" onClick={() => running.abort()}>
                    Stop
                  </button>
                ) : (
                  <button type="submit">Send</button>
                )}
              </div>
            </form>
            <p className="sr-only" role="status" aria-live="polite">
              {announce}
            </p>
          </section>
        </div>
      )}
    </>
  );
}
