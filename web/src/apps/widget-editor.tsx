import type { CatalogModel } from '../api/catalog';
import { ModelSelect } from '../components/model-select';
import { referencesIn, WIDGET_NAME_RULE, type WidgetDraft } from '../lib/app-draft';
import { type KnowledgeBaseChoices, KnowledgeBasePicker } from './knowledge-base-picker';

type Props = {
  widget: WidgetDraft;
  index: number;
  count: number;
  /** Every widget's name, for the prompt's reference check. */
  names: string[];
  /** Names of image widgets: not text, so the server refuses a prompt that uses one; flagged as it is typed. */
  imageNames: string[];
  models: CatalogModel[];
  /** Image models only, for an image widget. */
  imageModels: CatalogModel[];
  /** The account's knowledge bases, for a chatbot to be grounded in. */
  knowledgeBases: KnowledgeBaseChoices;
  invalid: boolean;
  onChange: (patch: Partial<WidgetDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
};

/** One widget of the app being built: a user input, or a model call whose prompt refers to other widgets as {{name}}. */
export function WidgetEditor({ widget: w, index, count, names, imageNames, models, imageModels, knowledgeBases, invalid, onChange, onMove, onRemove }: Props) {
  const id = (f: string) => `app-w${w.key}-${f}`;
  const kind = { input: 'User input', text: 'Static text', document: 'Document upload', generation: 'Generation', chatbot: 'Chatbot', image: 'Image' }[w.type];
  const refs = w.type === 'generation' || w.type === 'image' ? referencesIn(w.prompt) : [];
  const known = new Set(names);
  const images = new Set(imageNames);
  return (
    <fieldset className="fieldset app-widget" data-widget={w.name} data-widget-index={index} aria-label={`Widget ${index + 1}: ${kind.toLowerCase()} ${w.name}`} aria-invalid={invalid || undefined}>
      <legend>
        <span className={`badge ${w.type === 'input' || w.type === 'document' ? 'badge-busy' : w.type === 'text' ? 'badge-muted' : 'badge-good'}`}>{kind}</span> <code>{`{{${w.name || '…'}}}`}</code>
      </legend>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={id('name')}>Name</label>
          <input id={id('name')} value={w.name} onChange={(e) => onChange({ name: e.target.value })} autoComplete="off" spellCheck={false} aria-describedby={id('name-hint')} />
          <span id={id('name-hint')} className="hint">
            {w.type === 'chatbot' ? (
              'A conversation, not a value: prompts cannot use it. '
            ) : w.type === 'image' ? (
              'An image, not text: prompts cannot use it. '
            ) : (
              <>
                Prompts use it as <code>{`{{${w.name || 'name'}}}`}</code>.{' '}
              </>
            )}
            {WIDGET_NAME_RULE}
          </span>
        </div>
        <div className="field">
          <label htmlFor={id('label')}>Label (optional)</label>
          <input id={id('label')} value={w.label} onChange={(e) => onChange({ label: e.target.value })} maxLength={200} placeholder={w.name} />
        </div>
      </div>
      {w.type === 'document' ? (
        <p className="hint">The person running the app chooses a file (PDF, Word, HTML, Markdown, CSV, JSON or text); its text is what prompts get as {`{{${w.name || 'name'}}}`}.</p>
      ) : w.type === 'text' ? (
        <div className="field">
          <label htmlFor={id('text')}>Text</label>
          <textarea id={id('text')} rows={3} value={w.text} onChange={(e) => onChange({ text: e.target.value })} placeholder="Instructions or context shown to the user; prompts can use it too." />
        </div>
      ) : w.type === 'input' ? (
        <div className="field">
          <label htmlFor={id('default')}>Default value (optional)</label>
          <input id={id('default')} value={w.defaultValue} onChange={(e) => onChange({ defaultValue: e.target.value })} />
        </div>
      ) : (
        <>
          {w.type === 'chatbot' ? (
            <div className="grid-2">
              <div className="field">
                <label htmlFor={id('system')}>Instructions (system prompt, optional)</label>
                <textarea id={id('system')} rows={2} value={w.system} onChange={(e) => onChange({ system: e.target.value })} placeholder="You answer questions about our travel policy." />
              </div>
              <KnowledgeBasePicker id={id('kb')} value={w.knowledgeBaseId} choices={knowledgeBases} onChange={(knowledgeBaseId) => onChange({ knowledgeBaseId })} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor={id('prompt')}>Prompt</label>
              <textarea id={id('prompt')} rows={3} value={w.prompt} onChange={(e) => onChange({ prompt: e.target.value })} aria-describedby={id('prompt-refs')} placeholder={w.type === 'image' ? 'A watercolour poster for {{topic}}' : 'Write a short story about {{topic}}'} />
              <span id={id('prompt-refs')} className="hint">
                {refs.length === 0 ? (
                  'Refer to inputs and other widgets as {{name}}.'
                ) : (
                  <>
                    Uses{' '}
                    {refs.map((r) => (
                      <span key={r} className={`badge ${known.has(r) && r !== w.name && !images.has(r) ? 'badge-muted' : 'badge-bad'}`} title={known.has(r) ? undefined : 'No widget has this name'}>
                        {r || '(empty)'}
                        {!known.has(r) && ' — unknown'}
                        {r === w.name && ' — itself'}
                        {r !== w.name && images.has(r) && ' — an image, not text'}
                      </span>
                    ))}
                  </>
                )}
              </span>
            </div>
          )}
          {w.type === 'image' ? (
            <div className="grid-3">
              <ModelSelect id={id('model')} label="Image model" models={imageModels} value={w.modelId} onChange={(modelId) => onChange({ modelId })} />
              <div className="field">
                <label htmlFor={id('negative')}>Negative prompt (optional)</label>
                <input id={id('negative')} value={w.negativePrompt} onChange={(e) => onChange({ negativePrompt: e.target.value })} placeholder="text, blur" />
              </div>
              <div className="field">
                <label htmlFor={id('size')}>Size (optional)</label>
                <input id={id('size')} value={w.size} onChange={(e) => onChange({ size: e.target.value.trim() })} placeholder="1024x1024" spellCheck={false} autoComplete="off" />
              </div>
            </div>
          ) : (
          <div className="grid-3">
            <ModelSelect id={id('model')} label="Model" models={models} value={w.modelId} onChange={(modelId) => onChange({ modelId })} />
            <div className="field">
              <label htmlFor={id('temperature')}>Temperature</label>
              <input id={id('temperature')} type="number" inputMode="decimal" min={0} max={1} step={0.1} placeholder="default" value={w.temperature} onChange={(e) => onChange({ temperature: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={id('max-tokens')}>Max tokens</label>
              <input id={id('max-tokens')} type="number" inputMode="numeric" min={1} step={1} placeholder="default" value={w.maxTokens} onChange={(e) => onChange({ maxTokens: e.target.value })} />
            </div>
          </div>
          )}
        </>
      )}
      <div className="app-widget-actions">
        <button type="button" className="button-ghost" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move ${w.name} up`}>
          ↑ Up
        </button>
        <button type="button" className="button-ghost" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move ${w.name} down`}>
          ↓ Down
        </button>
        <button type="button" className="button-link" onClick={onRemove} aria-label={`Remove ${w.name}`}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}
