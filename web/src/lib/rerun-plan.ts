import type { Widget } from './app-draft.js';

/** What the last finished run of this app was given and answered, kept to re-run only what a change affects. */
export interface LastRun {
  /** The widgets as they were then: after an edit of the app itself, everything runs again. */
  widgetsJson: string;
  /** Every input widget's effective value (the default where none was typed). */
  inputs: Record<string, string>;
  /** Each generation widget's answer, where it succeeded. */
  answers: Record<string, string>;
}

// The server's rule (src/apps/widget-graph.ts): anything between double braces is a reference, trimmed.
const REFERENCE = /\{\{([^{}]*)\}\}/g;

const referencesOf = (prompt: string) => [...prompt.matchAll(REFERENCE)].map((m) => m[1]!.trim());

/** Each input widget's value as a run uses it: what was typed, or else its default. */
export function effectiveInputs(widgets: Widget[], typed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of widgets) if (w.type === 'input') out[w.name] = typed[w.name]?.trim() ? typed[w.name]! : (w.defaultValue ?? '');
  return out;
}

/**
 * The answers a new run can keep from `last` (PartyRock-style: change an input, and only the widgets that use it,
 * directly or through other widgets, run again). A widget is kept when it succeeded last time and everything it
 * refers to is unchanged: the same input values, no new file for a document widget, and every generation widget it
 * uses kept too. Nothing is kept after the app's widgets were edited, or when nothing changed (that run asks for new
 * answers).
 */
export function reusableAnswers(widgets: Widget[], last: LastRun | undefined, inputs: Record<string, string>, newFiles: ReadonlySet<string>): Record<string, string> {
  if (!last || last.widgetsJson !== JSON.stringify(widgets)) return {};
  // Run again with nothing changed is asking for new answers (a model at temperature > 0 gives others): run it all.
  const changed = widgets.some((w) => (w.type === 'input' && inputs[w.name] !== last.inputs[w.name]) || (w.type === 'document' && newFiles.has(w.name)));
  if (!changed) return {};
  const byName = new Map(widgets.map((w) => [w.name, w]));
  const kept = new Map<string, boolean>();
  const keep = (name: string, seen: Set<string>): boolean => {
    const known = kept.get(name);
    if (known !== undefined) return known;
    const w = byName.get(name);
    let ok: boolean;
    if (!w || seen.has(name)) ok = false;
    else if (w.type === 'input') ok = inputs[name] === last.inputs[name];
    else if (w.type === 'document') ok = !newFiles.has(name);
    else if (w.type === 'text') ok = true;
    else if (w.type === 'generation') ok = last.answers[name] !== undefined && referencesOf(w.prompt).every((r) => keep(r, new Set(seen).add(name)));
    else ok = false;
    kept.set(name, ok);
    return ok;
  };
  const out: Record<string, string> = {};
  for (const w of widgets) if (w.type === 'generation' && keep(w.name, new Set())) out[w.name] = last.answers[w.name]!;
  return out;
}
