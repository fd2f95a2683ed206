import { type FormEvent, useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { KnowledgeApi } from '../api/knowledge';
import { FieldError } from '../components/notice';
import { embeddingModels, useConsole } from '../console-context';
import { navigate } from '../lib/router';

// The server's rule for knowledge-base and data-source names, checked here first so the message can say it plainly.
export const RESOURCE_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
export const NAME_RULE = 'Use 1–100 letters, digits, "_" or "-", starting with a letter or digit (no spaces).';

export function CreateKnowledgeBaseForm({ kb }: { kb: KnowledgeApi }) {
  const { catalog } = useConsole();
  const embedders = embeddingModels(catalog.models);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [model, setModel] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!model && embedders[0]) setModel(embedders[0].id);
  }, [model, embedders]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!RESOURCE_NAME.test(name)) return setError(`Name: ${NAME_RULE}`);
    const m = embedders.find((x) => x.id === model);
    if (!m) return setError('Choose the embedding model that will index the documents.');
    setBusy(true);
    setError(undefined);
    try {
      const created = await kb.create({ name, description: description.trim() || undefined, embeddingModelArn: m.arn ?? m.id });
      navigate(`knowledge-bases/${encodeURIComponent(created.knowledgeBaseId)}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="kb-create-title" noValidate>
      <h2 id="kb-create-title">Create a knowledge base</h2>
      <div className="field">
        <label htmlFor="kb-name">Name</label>
        <input id="kb-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="kb-name-hint" autoComplete="off" />
        <span id="kb-name-hint" className="hint">
          {NAME_RULE}
        </span>
      </div>
      <div className="field">
        <label htmlFor="kb-description">Description (optional)</label>
        <input id="kb-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="kb-embedding-model">Embedding model</label>
        <select id="kb-embedding-model" value={model} onChange={(e) => setModel(e.target.value)} disabled={embedders.length === 0}>
          {embedders.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
              {m.embeddingDimensions ? ` (${m.embeddingDimensions} dimensions)` : ''}
            </option>
          ))}
        </select>
        {catalog.models && embedders.length === 0 && (
          <span className="hint">This server has no embedding model. The built-in one (quarry.embed-use-v1:0) appears unless the server was started without it; an ONNX model in the data directory's embeddings folder also works.</span>
        )}
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy || embedders.length === 0}>
          {busy ? 'Creating…' : 'Create knowledge base'}
        </button>
      </div>
    </form>
  );
}
