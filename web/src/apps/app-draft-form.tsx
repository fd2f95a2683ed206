import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { AppDefinition, AppsApi } from '../api/apps';
import type { CatalogModel } from '../api/catalog';
import { ModelSelect } from '../components/model-select';
import { FieldError } from '../components/notice';

/**
 * "Describe it and a model drafts it": the description goes to POST /quarry/apps/draft and the widgets come back into
 * the builder, unsaved, to read and edit before creating the app. Its generation widgets use the chosen model; when an
 * image model is configured the draft may add image widgets that use the one chosen here (or none, if so chosen).
 */
export function AppDraftForm({ apps, models, imageModels, onDrafted }: { apps: Pick<AppsApi, 'draft'>; models: CatalogModel[]; imageModels: CatalogModel[]; onDrafted: (def: AppDefinition) => void }) {
  const [description, setDescription] = useState('');
  const [modelId, setModelId] = useState(models[0]?.id ?? '');
  const [imageModelId, setImageModelId] = useState(imageModels[0]?.id ?? '');
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
      onDrafted(await apps.draft(description.trim(), modelId, imageModelId || undefined));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel app-draft" onSubmit={submit} aria-labelledby="app-draft-title" noValidate>
      <h2 id="app-draft-title">Draft from a description</h2>
      <div className={imageModels.length > 0 ? 'grid-3' : 'grid-2'}>
        <div className="field">
          <label htmlFor="app-draft-description">What should the app do?</label>
          <input id="app-draft-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} placeholder="Turn meeting notes into action items and a summary email" />
        </div>
        <ModelSelect id="app-draft-model" label="Drafting model" models={models} value={modelId} onChange={setModelId} />
        {imageModels.length > 0 && (
          <div className="field">
            <label htmlFor="app-draft-image-model">Image widgets</label>
            <select id="app-draft-image-model" value={imageModelId} onChange={(e) => setImageModelId(e.target.value)} aria-describedby="app-draft-image-hint">
              {imageModels.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name === m.id ? m.id : `${m.name} (${m.id})`}
                </option>
              ))}
              <option value="">None</option>
            </select>
            <span id="app-draft-image-hint" className="hint">
              The model that draws the pictures the draft adds when the app calls for one.
            </span>
          </div>
        )}
      </div>
      {imageModels.length === 0 && (
        <p className="hint" id="app-draft-no-image-hint">
          Drafts have no image widgets: no image model is configured (see “Image generation” in the README).
        </p>
      )}
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" className="button-secondary" disabled={busy || models.length === 0}>
          {busy ? 'Drafting…' : 'Draft widgets'}
        </button>
      </div>
    </form>
  );
}
