/** The API's widget and app shapes (web/src/api/apps.ts re-exports them), here so this file stays import-free. */
export type Widget =
  | { type: 'input'; name: string; label?: string; placeholder?: string; defaultValue?: string }
  | { type: 'generation'; name: string; label?: string; prompt: string; modelId: string; system?: string; inferenceConfig?: { temperature?: number; topP?: number; maxTokens?: number } }
  | { type: 'text'; name: string; label?: string; text: string }
  | { type: 'document'; name: string; label?: string }
  | { type: 'chatbot'; name: string; label?: string; modelId: string; system?: string; knowledgeBaseId?: string; inferenceConfig?: { temperature?: number; topP?: number; maxTokens?: number } }
  | { type: 'image'; name: string; label?: string; prompt: string; modelId: string; negativePrompt?: string; size?: string };

export interface AppDefinition {
  name: string;
  description: string;
  widgets: Widget[];
}

/**
 * The app builder's editable copy of an app: numbers as the text typed (so a half-typed "0." is not lost), a stable
 * key per widget for React. Pure, so the tests run it without a browser.
 */
export interface WidgetDraft {
  key: number;
  type: Widget['type'];
  name: string;
  label: string;
  defaultValue: string;
  prompt: string;
  modelId: string;
  temperature: string;
  maxTokens: string;
  /** A static text widget's text. */
  text: string;
  /** A chatbot's system prompt and knowledge base id. */
  system: string;
  knowledgeBaseId: string;
  /** An image widget's negative prompt and size (WIDTHxHEIGHT, empty for the model's default). */
  negativePrompt: string;
  size: string;
}

export interface AppDraft {
  name: string;
  description: string;
  widgets: WidgetDraft[];
}

/** The server's rule for an image widget's size (src/apps/app-schemas.ts). */
export const IMAGE_SIZE = /^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$/;

/** The server's rule for widget names (src/apps/app-schemas.ts), checked here first to say it next to the field. */
export const WIDGET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const WIDGET_NAME_RULE = 'Start with a letter; use only letters, digits and _ (no spaces).';

let nextKey = 1;

export function widgetDraft(w: Widget): WidgetDraft {
  const base = { key: nextKey++, name: w.name, label: w.label ?? '', text: '', system: '', knowledgeBaseId: '', negativePrompt: '', size: '' };
  if (w.type === 'input') return { ...base, type: 'input', defaultValue: w.defaultValue ?? '', prompt: '', modelId: '', temperature: '', maxTokens: '' };
  if (w.type === 'text') return { ...base, type: 'text', text: w.text, defaultValue: '', prompt: '', modelId: '', temperature: '', maxTokens: '' };
  if (w.type === 'document') return { ...base, type: 'document', defaultValue: '', prompt: '', modelId: '', temperature: '', maxTokens: '' };
  if (w.type === 'image') {
    return { ...base, type: 'image', defaultValue: '', prompt: w.prompt, modelId: w.modelId, negativePrompt: w.negativePrompt ?? '', size: w.size ?? '', temperature: '', maxTokens: '' };
  }
  if (w.type === 'chatbot') {
    const c = w.inferenceConfig ?? {};
    return {
      ...base,
      type: 'chatbot',
      defaultValue: '',
      prompt: '',
      modelId: w.modelId,
      system: w.system ?? '',
      knowledgeBaseId: w.knowledgeBaseId ?? '',
      temperature: c.temperature === undefined ? '' : String(c.temperature),
      maxTokens: c.maxTokens === undefined ? '' : String(c.maxTokens),
    };
  }
  const c = w.inferenceConfig ?? {};
  return {
    ...base,
    type: 'generation',
    defaultValue: '',
    prompt: w.prompt,
    modelId: w.modelId,
    temperature: c.temperature === undefined ? '' : String(c.temperature),
    maxTokens: c.maxTokens === undefined ? '' : String(c.maxTokens),
  };
}

export function draftOf(app: AppDefinition | undefined): AppDraft {
  return app ? { name: app.name, description: app.description, widgets: app.widgets.map(widgetDraft) } : { name: '', description: '', widgets: [] };
}

/** A new widget with a name no other widget has yet (`input1`, `generated2`, …). */
export function newWidget(type: Widget['type'], existing: WidgetDraft[], modelId: string): WidgetDraft {
  const stem = type === 'generation' ? 'generated' : type === 'chatbot' ? 'chat' : type;
  const taken = new Set(existing.map((w) => w.name.toLowerCase()));
  let n = 1;
  while (taken.has(`${stem}${n}`)) n++;
  const name = `${stem}${n}`;
  if (type === 'text') return widgetDraft({ type, name, text: '' });
  if (type === 'document') return widgetDraft({ type, name });
  if (type === 'chatbot') return widgetDraft({ type, name, modelId });
  if (type === 'image') return widgetDraft({ type, name, prompt: '', modelId });
  return type === 'input' ? widgetDraft({ type, name }) : widgetDraft({ type, name, prompt: '', modelId });
}

/** The names a prompt refers to as `{{name}}`, each once, as the server reads them. */
export function referencesIn(prompt: string): string[] {
  return [...new Set([...prompt.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim()))];
}

export class DraftError extends Error {
  constructor(
    message: string,
    /** The widget the problem is in, when it is in one. */
    readonly widgetKey?: number,
  ) {
    super(message);
  }
}

function numberField(raw: string, what: string, min: number, max: number, integer: boolean, key: number): number | undefined {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new DraftError(`${what} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`, key);
  return n;
}

/**
 * What the API takes, or a DraftError for what the page can say next to the field. Reference and cycle checks are the
 * server's: it answers with the whole list of problems, and the page shows that.
 */
export function definitionOf(d: AppDraft): AppDefinition {
  if (!d.name.trim()) throw new DraftError('Give the app a name.');
  if (d.widgets.length === 0) throw new DraftError('Add at least one widget: an input for the user, and a generation widget that uses it.');
  const widgets = d.widgets.map((w): Widget => {
    const where = `Widget "${w.name || '(unnamed)'}"`;
    if (!WIDGET_NAME.test(w.name)) throw new DraftError(`${where}: ${WIDGET_NAME_RULE}`, w.key);
    const label = w.label.trim() ? { label: w.label.trim() } : {};
    if (w.type === 'input') return { type: 'input', name: w.name, ...label, ...(w.defaultValue ? { defaultValue: w.defaultValue } : {}) };
    if (w.type === 'document') return { type: 'document', name: w.name, ...label };
    if (w.type === 'text') {
      if (!w.text.trim()) throw new DraftError(`${where}: write its text.`, w.key);
      return { type: 'text', name: w.name, ...label, text: w.text };
    }
    if ((w.type === 'generation' || w.type === 'image') && !w.prompt.trim()) throw new DraftError(`${where}: write its prompt.`, w.key);
    if (!w.modelId) throw new DraftError(`${where}: choose a model.`, w.key);
    if (w.type === 'image') {
      const size = w.size.trim();
      if (size && !IMAGE_SIZE.test(size)) throw new DraftError(`${where}: write the size as WIDTHxHEIGHT in pixels, such as 1024x1024.`, w.key);
      return { type: 'image', name: w.name, ...label, prompt: w.prompt, modelId: w.modelId, ...(w.negativePrompt.trim() ? { negativePrompt: w.negativePrompt } : {}), ...(size ? { size } : {}) };
    }
    const temperature = numberField(w.temperature, `${where}: temperature`, 0, 1, false, w.key);
    const maxTokens = numberField(w.maxTokens, `${where}: max tokens`, 1, 1_000_000, true, w.key);
    const inferenceConfig = { ...(temperature !== undefined ? { temperature } : {}), ...(maxTokens !== undefined ? { maxTokens } : {}) };
    if (w.type === 'chatbot') {
      const kb = w.knowledgeBaseId.trim();
      if (kb && !/^[0-9A-Z]{10}$/.test(kb)) throw new DraftError(`${where}: a knowledge base id is 10 upper-case letters and digits (see the Knowledge bases page).`, w.key);
      return {
        type: 'chatbot',
        name: w.name,
        ...label,
        modelId: w.modelId,
        ...(w.system.trim() ? { system: w.system } : {}),
        ...(kb ? { knowledgeBaseId: kb } : {}),
        ...(Object.keys(inferenceConfig).length ? { inferenceConfig } : {}),
      };
    }
    return { type: 'generation', name: w.name, ...label, prompt: w.prompt, modelId: w.modelId, ...(Object.keys(inferenceConfig).length ? { inferenceConfig } : {}) };
  });
  return { name: d.name.trim(), description: d.description.trim(), widgets };
}
