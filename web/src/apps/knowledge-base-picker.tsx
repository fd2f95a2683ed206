import type { KnowledgeBaseSummary } from '../api/knowledge';
import { Link } from '../lib/router';

/** The account's knowledge bases as the builder loaded them: `list` once read, `error` when they could not be. */
export interface KnowledgeBaseChoices {
  list?: KnowledgeBaseSummary[];
  error?: string;
  reload: () => void;
}

/**
 * A chatbot's knowledge base, chosen by name from the account's (the list the Knowledge bases page shows). An id the
 * list does not hold (the knowledge base was deleted after the app was saved) stays selected and is said to be gone,
 * so saving does not silently drop the grounding and the builder can pick another.
 */
export function KnowledgeBasePicker({ id, value, choices, onChange }: { id: string; value: string; choices: KnowledgeBaseChoices; onChange: (knowledgeBaseId: string) => void }) {
  const { list, error } = choices;
  const gone = !!value && !!list && !list.some((k) => k.knowledgeBaseId === value);
  const hint = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>Knowledge base (optional)</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint} aria-invalid={gone || undefined}>
        <option value="">None: answer from the model alone</option>
        {list?.map((k) => (
          <option key={k.knowledgeBaseId} value={k.knowledgeBaseId}>
            {k.name}
          </option>
        ))}
        {/* Until the list is read (or when it cannot be), the saved choice is shown by its id rather than lost. */}
        {value && (!list || gone) && <option value={value}>{gone ? `${value} (not found)` : value}</option>}
      </select>
      {error ? (
        <span id={hint} className="field-error">
          The knowledge bases could not be listed: {error}{' '}
          <button type="button" className="button-link" onClick={choices.reload}>
            Try again
          </button>
        </span>
      ) : !list ? (
        <span id={hint} className="hint">
          Loading the account's knowledge bases…
        </span>
      ) : gone ? (
        <span id={hint} className="field-error">
          Knowledge base {value} no longer exists (it was deleted): pick another, or None.
        </span>
      ) : list.length === 0 ? (
        <span id={hint} className="hint">
          This account has no knowledge bases yet: create one on the <Link to="knowledge-bases">Knowledge bases</Link> page and add documents to it, then pick it here.
        </span>
      ) : (
        <span id={hint} className="hint">
          Each answer is grounded in passages found for the user's message, and cites those it uses.
        </span>
      )}
    </div>
  );
}
