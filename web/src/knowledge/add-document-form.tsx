import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { DataSource, KnowledgeApi } from '../api/knowledge';

/** Pastes a text document into a CUSTOM data source (IngestKnowledgeBaseDocuments with inline text). */
export function AddDocumentForm({ kb, kbId, sources }: { kb: KnowledgeApi; kbId: string; sources: DataSource[] }) {
  const [dsId, setDsId] = useState(sources[0]?.dataSourceId ?? '');
  const [docId, setDocId] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!docId.trim()) return setResult({ ok: false, message: 'Give the document an id (any name; sending the same id again replaces it).' });
    if (!text.trim()) return setResult({ ok: false, message: 'Paste the text of the document.' });
    setBusy(true);
    setResult(undefined);
    try {
      const d = await kb.addTextDocument(kbId, dsId || sources[0]!.dataSourceId, docId.trim(), text);
      const failed = d.status === 'FAILED' || d.status === 'NOT_FOUND';
      setResult({ ok: !failed, message: failed ? `Not indexed: ${d.statusReason ?? d.status}` : `Document "${docId.trim()}" ${d.status.toLowerCase()}.` });
      if (!failed) {
        setDocId('');
        setText('');
      }
    } catch (err) {
      setResult({ ok: false, message: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="doc-add-title" noValidate>
      <h2 id="doc-add-title">Add a document</h2>
      <p className="muted">Into a custom data source; programs do the same with IngestKnowledgeBaseDocuments.</p>
      <div className="grid-2">
        {sources.length > 1 && (
          <div className="field">
            <label htmlFor="doc-source">Data source</label>
            <select id="doc-source" value={dsId} onChange={(e) => setDsId(e.target.value)}>
              {sources.map((s) => (
                <option key={s.dataSourceId} value={s.dataSourceId}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="doc-id">Document id</label>
          <input id="doc-id" value={docId} onChange={(e) => setDocId(e.target.value)} placeholder="handbook/leave-policy" autoComplete="off" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="doc-text">Text</label>
        <textarea id="doc-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {result && (
        <p className={result.ok ? 'field-ok' : 'field-error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Indexing…' : 'Add document'}
        </button>
      </div>
    </form>
  );
}
