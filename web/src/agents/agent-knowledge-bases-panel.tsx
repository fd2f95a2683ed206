import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { AgentKnowledgeBase, AgentPartsApi } from '../api/agent-parts';
import { isAbort, messageOf } from '../api/api-error';
import type { KnowledgeBaseSummary } from '../api/knowledge';
import { ErrorNotice, FieldError, Loading } from '../components/notice';

const newToken = () => crypto.randomUUID();

/**
 * The knowledge bases the draft may search: each with the description that tells the model when to use it, removed
 * in place, and a form to associate one of the account's knowledge bases that is not associated yet.
 */
export function AgentKnowledgeBasesPanel({ parts, listKnowledgeBases, onChanged }: { parts: AgentPartsApi; listKnowledgeBases: () => Promise<KnowledgeBaseSummary[]>; onChanged: () => void }) {
  const [associated, setAssociated] = useState<AgentKnowledgeBase[]>();
  const [available, setAvailable] = useState<KnowledgeBaseSummary[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    setError(undefined);
    Promise.all([parts.knowledgeBases(), listKnowledgeBases()]).then(
      ([a, all]) => {
        setAssociated(a);
        setAvailable(all);
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    );
  }, [parts, listKnowledgeBases]);
  useEffect(load, [load]);

  const changed = () => {
    load();
    onChanged();
  };
  const names = new Map(available.map((k) => [k.knowledgeBaseId, k.name]));
  const unassociated = available.filter((k) => !associated?.some((a) => a.knowledgeBaseId === k.knowledgeBaseId));

  return (
    <section className="panel" aria-labelledby="agent-kbs-title">
      <h2 id="agent-kbs-title">Knowledge bases</h2>
      {error ? (
        <ErrorNotice title="The knowledge bases could not be read" onRetry={load}>
          {error}
        </ErrorNotice>
      ) : !associated ? (
        <Loading what="the knowledge bases" />
      ) : (
        <>
          {associated.length === 0 && <p className="muted">No knowledge bases associated.</p>}
          <ul className="part-list">
            {associated.map((k) => (
              <AssociatedKnowledgeBase key={k.knowledgeBaseId} parts={parts} kb={k} name={names.get(k.knowledgeBaseId)} onRemoved={changed} />
            ))}
          </ul>
          {unassociated.length ? (
            <AssociateForm parts={parts} choices={unassociated} onAssociated={changed} />
          ) : (
            <p className="muted small">{available.length ? 'Every knowledge base of this account is associated.' : 'This account has no knowledge bases yet; create one on the Knowledge bases page.'}</p>
          )}
        </>
      )}
    </section>
  );
}

function AssociatedKnowledgeBase({ parts, kb, name, onRemoved }: { parts: AgentPartsApi; kb: AgentKnowledgeBase; name?: string; onRemoved: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = name ?? kb.knowledgeBaseId;
  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await parts.disassociateKnowledgeBase(kb.knowledgeBaseId);
      onRemoved();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <li data-knowledge-base={label}>
      <div className="part-head">
        <strong>{label}</strong>
        <span className="muted small">
          <code>{kb.knowledgeBaseId}</code>
          {kb.knowledgeBaseState === 'DISABLED' ? ' · disabled' : ''}
        </span>
      </div>
      <p className="small">{kb.description}</p>
      <div className="row-actions">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void remove()} aria-label={`Disassociate ${label}`}>
          {busy ? 'Removing…' : 'Disassociate'}
        </button>
      </div>
      <FieldError message={error} />
    </li>
  );
}

function AssociateForm({ parts, choices, onAssociated }: { parts: AgentPartsApi; choices: KnowledgeBaseSummary[]; onAssociated: () => void }) {
  const [kbId, setKbId] = useState(choices[0]?.knowledgeBaseId ?? '');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState(newToken);
  const selected = choices.some((k) => k.knowledgeBaseId === kbId) ? kbId : (choices[0]?.knowledgeBaseId ?? '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await parts.associateKnowledgeBase(selected, description, token);
      setToken(newToken());
      setDescription('');
      onAssociated();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={submit} aria-label="Associate a knowledge base" noValidate>
      <div className="field">
        <label htmlFor="agent-kb-choice">Knowledge base</label>
        <select id="agent-kb-choice" value={selected} onChange={(e) => setKbId(e.target.value)}>
          {choices.map((k) => (
            <option key={k.knowledgeBaseId} value={k.knowledgeBaseId}>
              {k.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="agent-kb-description">When to use it</label>
        <textarea id="agent-kb-description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby="agent-kb-description-hint" />
        <span id="agent-kb-description-hint" className="hint">
          The model reads this to decide when to search the knowledge base.
        </span>
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Associating…' : 'Associate'}
        </button>
      </div>
    </form>
  );
}
