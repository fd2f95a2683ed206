import { type FormEvent, Fragment, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { AgentAnswer, AgentsApi } from '../api/agents';
import { isAbort, messageOf } from '../api/api-error';
import { EmptyState, FieldError } from '../components/notice';
import { AgentTrace } from './agent-trace';

type Exchange = { id: string; question: string; answer?: AgentAnswer; error?: string };

const newSession = () => crypto.randomUUID();

/**
 * Bedrock console's "Test" pane: the prepared draft is invoked through TSTALIASID with one session id for the whole
 * conversation (the agent keeps its history per session), until "New session" starts another.
 */
export function AgentTestChat({ agents, agentId, prepared }: { agents: AgentsApi; agentId: string; prepared: boolean }) {
  const [sessionId, setSessionId] = useState(newSession);
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController>(undefined);
  useEffect(() => () => abort.current?.abort(), []);
  const log = useRef<HTMLDivElement>(null);
  // Each question and each answer scrolls the conversation to its end, where they appear.
  useEffect(() => {
    if (log.current && exchanges.length > 0) log.current.scrollTop = log.current.scrollHeight;
  }, [exchanges]);

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const question = input.trim();
    if (!question || busy) return;
    const id = crypto.randomUUID();
    setExchanges((xs) => [...xs, { id, question }]);
    setInput('');
    setBusy(true);
    const ac = new AbortController();
    abort.current = ac;
    const settle = (patch: Partial<Exchange>) => setExchanges((xs) => xs.map((x) => (x.id === id ? { ...x, ...patch } : x)));
    try {
      // The answer is shown as it streams in; the last call settles it whole.
      settle({ answer: await agents.invoke(agentId, sessionId, question, ac.signal, (partial) => settle({ answer: partial })) });
    } catch (err) {
      if (!isAbort(err)) settle({ error: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  }

  function restart() {
    abort.current?.abort();
    setExchanges([]);
    setSessionId(newSession());
  }

  return (
    <section className="chat" aria-labelledby="agent-test-title">
      <div className="page-header">
        <h2 id="agent-test-title">Test</h2>
        <button type="button" className="button-secondary" onClick={restart}>
          New session
        </button>
      </div>
      <p className="muted small">
        Session <code>{sessionId}</code>, on the prepared draft (alias <code>TSTALIASID</code>).
      </p>
      <div className="chat-log" ref={log} role="log" aria-label="Conversation">
        {exchanges.length === 0 ? (
          <EmptyState title="No messages yet">
            {prepared ? 'Write a message below to invoke the agent; each answer lists the trace of how it was reached.' : 'Prepare the agent first: the test alias runs the prepared draft.'}
          </EmptyState>
        ) : (
          exchanges.map((x) => (
            <Fragment key={x.id}>
              <article className="turn turn-user" aria-label="You">
                <div className="turn-who">You</div>
                <div className="turn-text">{x.question}</div>
              </article>
              {x.answer && (
                <article className="turn" aria-label="Agent">
                  <div className="turn-who">Agent</div>
                  <div className="turn-text">{x.answer.text}</div>
                  <FieldError message={x.answer.error} />
                  <AgentTrace parts={x.answer.traces} />
                </article>
              )}
              <FieldError message={x.error} />
            </Fragment>
          ))
        )}
      </div>
      <form className="composer" onSubmit={send}>
        <label htmlFor="agent-message" className="sr-only">
          Message
        </label>
        <textarea id="agent-message" rows={3} value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={onKey} placeholder="Message the agent (Enter to send, Shift+Enter for a new line)" />
        <div className="composer-actions">
          <button type="submit" disabled={busy || !input.trim()}>
            {busy ? 'Waiting…' : 'Send'}
          </button>
        </div>
      </form>
    </section>
  );
}
