import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AppDefinition, AppsApi } from '../api/apps';
import type { CatalogModel } from '../api/catalog';
import { ModelSelect } from '../components/model-select';

/**
 * "Describe it and a model drafts it": the description goes to POST /quarry/apps/draft and the widgets come back into
 * the builder, unsaved, to read and edit before creating the app. Its generation widgets use the chosen model.
 */
export function AppDraftForm({ apps, models, onDrafted }: { apps: Pick<AppsApi, 'draft'>; models: CatalogModel[]; onDrafted: (def: AppDefinition) => void }) {
  const [description, setDescription] = useState('');
  const [modelId, setModelId] = useState(models[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!description.trim()) {
      setError('Describe the app in a sentence first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onDrafted(await apps.draft(description.trim(), modelId));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel app-draft" onSubmit={submit} aria-labelledby="app-draft-title" noValidate>
      <h2 id="app-draft-title">Draft from a description</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="app-draft-description">What should the app do?</label>
          <input id="app-draft-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} placeholder="Turn meeting notes into action items and a summary email" />
        </div>
        <ModelSelect id="app-draft-model" label="Drafting model" models={models} value={modelId} onChange={setModelId} />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-secondary" disabled={busy || models.length === 0}>
          {busy ? 'Drafting…' : 'Draft widgets'}
        </button>
      </div>
    </form>
  );
}
