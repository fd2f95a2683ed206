import { QuarryError } from '../core/index.js';
import { type GenerationWidget, type ImageWidget, MAX_IMAGE_WIDGETS, type Widget } from './app-schemas.js';

/** `{{ name }}` in a prompt: anything between double braces is a reference, so a typo is caught rather than sent. */
const REFERENCE = /\{\{([^{}]*)\}\}/g;

/** The names a template refers to, each once, in order of first use (trimmed, as written otherwise). */
export function referencesOf(template: string): string[] {
  const out = new Set<string>();
  for (const m of template.matchAll(REFERENCE)) out.add(m[1]!.trim());
  return [...out];
}

/** Fills every `{{name}}` with its value; saved apps only refer to names that exist (see planWidgets). */
export function renderTemplate(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(REFERENCE, (whole, name: string) => values.get(name.trim()) ?? whole);
}

/** The widgets a run calls a model for: their prompts are templates over other widgets. */
export type ModelWidget = GenerationWidget | ImageWidget;

export interface WidgetPlan {
  widgets: Widget[];
  /** Each generation or image widget's direct dependencies (inputs, text, documents, generation widgets), by name. */
  dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Generation and image widgets in an order where each comes after everything it depends on. */
  order: ModelWidget[];
}

const MAX_PROBLEMS = 5;

/**
 * Checks that the widgets form a graph a run can follow: names unique (ignoring case, so `Topic` and `topic` cannot
 * both exist and confuse the reader of a prompt), every `{{reference}}` names a widget, and no widget depends on
 * itself through any path. Throws a ValidationException listing what is wrong, with the cycle spelled out.
 */
export function planWidgets(widgets: Widget[]): WidgetPlan {
  const problems: string[] = [];
  const byName = new Map<string, Widget>();
  const lower = new Map<string, string>();
  for (const w of widgets) {
    const clash = lower.get(w.name.toLowerCase());
    if (clash !== undefined) problems.push(clash === w.name ? `two widgets are named "${w.name}"; each needs a name of its own` : `widgets "${clash}" and "${w.name}" differ only in case; rename one`);
    else {
      lower.set(w.name.toLowerCase(), w.name);
      byName.set(w.name, w);
    }
  }
  const images = widgets.filter((w) => w.type === 'image').length;
  if (images > MAX_IMAGE_WIDGETS) problems.push(`the app has ${images} image widgets; at most ${MAX_IMAGE_WIDGETS} are allowed`);
  const dependsOn = new Map<string, string[]>();
  for (const w of widgets) {
    if (w.type !== 'generation' && w.type !== 'image') continue;
    const refs = referencesOf(w.prompt);
    for (const r of refs) {
      const type = byName.get(r)?.type;
      if (type === 'chatbot') {
        problems.push(`widget "${w.name}" refers to {{${r}}}, a chatbot: a conversation is not a value a prompt can use`);
        continue;
      }
      if (type === 'image') {
        problems.push(`widget "${w.name}" refers to {{${r}}}, an image: an image is not text a prompt can use`);
        continue;
      }
      if (byName.has(r)) continue;
      const near = lower.get(r.toLowerCase());
      const hint = near ? ` (did you mean {{${near}}}?)` : ` (the app's widgets: ${[...byName.keys()].join(', ')})`;
      problems.push(r === '' ? `widget "${w.name}" has an empty {{}} in its prompt` : `widget "${w.name}" refers to {{${r}}}, but no widget has that name${hint}`);
    }
    dependsOn.set(w.name, refs.filter((r) => byName.has(r)));
  }
  if (problems.length === 0) {
    const cycle = findCycle(dependsOn);
    if (cycle) problems.push(`the widgets depend on each other in a cycle: ${cycle.join(' → ')}; a widget can only use widgets that do not use it`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    throw new QuarryError('ValidationException', `The app's widgets are not valid: ${shown.join('; ')}${more}.`);
  }
  return { widgets, dependsOn, order: topologicalOrder(widgets, dependsOn) };
}

/** A path that returns to its start (`a → b → a`), or undefined; depth-first with the usual three colours. */
function findCycle(dependsOn: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const d of dependsOn.get(name) ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of dependsOn.keys()) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

/** Generation and image widgets, dependencies first, otherwise in the order the builder lists them (the graph is acyclic). */
function topologicalOrder(widgets: Widget[], dependsOn: ReadonlyMap<string, readonly string[]>): ModelWidget[] {
  const placed = new Set<string>();
  const out: ModelWidget[] = [];
  const byName = new Map(widgets.map((w) => [w.name, w]));
  const place = (w: Widget) => {
    if (placed.has(w.name)) return;
    placed.add(w.name);
    for (const d of dependsOn.get(w.name) ?? []) place(byName.get(d)!);
    if (w.type === 'generation' || w.type === 'image') out.push(w);
  };
  for (const w of widgets) place(w);
  return out;
}
