import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AppsApi, ChatMessage, ChatReply, Widget } from '../api/apps';
import { FieldError } from '../components/notice';
import { formatCount, formatUsd } from '../lib/format';

type Turn = ChatMessage & { reply?: ChatReply };

/** A citation's file name: the last segment of its URI (file:///…/notes.txt, s3://bucket/key); the whole URI is its title. */
function sourceName(source: string | undefined): string {
  if (!source) return 'Unnamed source';
  const last = source.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').at(-1) || source;
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a stray % that is no escape: show the name as stored rather than fail the answer
  }
}

/** How much of what was searched the answer leans on: a user reads "no passage cited" as "not from the knowledge base". */
function groundingNote(reply: ChatReply): string {
  const searched = reply.passages?.length ?? 0;
  if (!searched) return 'nothing found in the knowledge base';
  if (!reply.citations.length) return `no passage cited (${searched} searched)`;
  return `cites ${reply.citations.length} of ${searched} passage${searched > 1 ? 's' : ''} found`;
}

/**
 * A chatbot widget in the run panel: the conversation lives in the page and goes whole with each turn; each answer
 * shows its tokens and cost, and the passages it cites when the chatbot has a knowledge base.
 */
export function AppChatbot({
  apps,
  appId,
  widget: w,
  knowledgeBaseName,
}: {
  apps: Pick<AppsApi, 'chat'>;
  appId: string;
  widget: Extract<Widget, { type: 'chatbot' }>;
  /** The grounding knowledge base's name; null when the account no longer has it; undefined when it is not known here. */
  knowledgeBaseName?: string | null;
}) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const id = `app-chat-${w.name}`;

  async function send(e: FormEvent) {
    e.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    const asked: Turn[] = [...turns, { role: 'user', text }];
    setTurns(asked);
    setDraft('');
    setBusy(true);
    setError(undefined);
    try {
      const reply = await apps.chat(appId, w.name, asked.map(({ role, text: t }) => ({ role, text: t })));
      setTurns([...asked, { role: 'assistant', text: reply.message.text, reply }]);
    } catch (err) {
      setError(messageOf(err));
      // The unanswered message goes back to the box, so sending again retries it; what was typed meanwhile is kept.
      setTurns(turns);
      setDraft((now) => (now.trim() ? now : text));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card app-output app-chatbot" aria-label={`Chatbot ${w.label || w.name}`} data-chatbot={w.name}>
      <header className="app-output-head">
        <strong>{w.label || w.name}</strong> <code className="muted small">{w.modelId}</code>
        {w.knowledgeBaseId && <GroundingBadge id={w.knowledgeBaseId} name={knowledgeBaseName} />}
      </header>
      <ol className="app-chat-turns" aria-live="polite">
        {turns.map((t, i) => (
          <li key={i} className={`app-chat-turn app-chat-${t.role}`} data-role={t.role}>
            <span className="muted small">{t.role === 'user' ? 'You' : w.label || w.name}</span>
            <div className="turn-text">{t.text}</div>
            {t.reply && (
              <p className="muted small" data-stat="chat-cost">
                {formatCount(t.reply.usage.inputTokens)} in · {formatCount(t.reply.usage.outputTokens)} out · {formatUsd(t.reply.costUsd)}
                {w.knowledgeBaseId && ` · ${groundingNote(t.reply)}`}
              </p>
            )}
            {t.reply && t.reply.citations.length > 0 && (
              // Named by file so the user can tell which document an answer leans on; the passage itself on opening.
              <ol className="app-chat-sources" aria-label="Sources">
                {t.reply.citations.map((c, j) => (
                  <li key={j}>
                    <details>
                      <summary title={c.source}>{sourceName(c.source)}</summary>
                      <blockquote className="small">{c.text}</blockquote>
                    </details>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={send} className="app-chat-form">
        <label htmlFor={id} className="sr-only">
          Message to {w.label || w.name}
        </label>
        <textarea id={id} rows={2} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Type a message" />
        <button type="submit" disabled={busy || !draft.trim()}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </form>
      <FieldError message={error} />
    </article>
  );
}

/**
 * Which knowledge base answers come from, by name. A deleted one is named by its id and said to be gone (its turns
 * then fail); a share link's visitor cannot list the owner's knowledge bases, and an id would mean nothing to them.
 */
function GroundingBadge({ id, name }: { id: string; name: string | null | undefined }) {
  if (name === null)
    return (
      <span className="badge badge-bad" title="Pick another knowledge base for this chatbot in the builder.">
        grounded in {id}: knowledge base not found
      </span>
    );
  return (
    <span className="badge badge-muted" title={name ? `Knowledge base ${id}` : undefined}>
      grounded in {name ?? 'a knowledge base'}
    </span>
  );
}
