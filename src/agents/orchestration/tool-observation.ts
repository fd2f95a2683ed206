import type { AgentFunction, JsonSchema } from './agent-definition.js';
import type { NamedValue } from './agent-events.js';

/** The most of one tool result the model sees; the rest is cut with a note so a huge response cannot flood the context. */
export const MAX_OBSERVATION_CHARS = 20_000;

/** `total` is the full length when `text` is already a cut of something longer (an executor's own cap). */
export function truncateObservation(text: string, max = MAX_OBSERVATION_CHARS, total = text.length): string {
  if (text.length <= max && total <= text.length) return text;
  const shown = Math.min(max, text.length);
  return `${text.slice(0, shown)}\n[truncated: the result was ${total.toLocaleString('en-US')} characters; only the first ${shown.toLocaleString('en-US')} are shown]`;
}

/** Arguments as Bedrock lists them in traces, return-control payloads and Lambda events: name, type, string value. */
export function namedValues(fn: AgentFunction, args: Record<string, unknown>, only?: (name: string) => boolean): NamedValue[] {
  const props = (fn.inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(args)
    .filter(([k]) => !only || only(k))
    .map(([name, v]) => ({ name, type: typeof props[name]?.type === 'string' ? (props[name]!.type as string) : typeOf(v), value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'string';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Arguments in a stable spelling, to recognise a call the model already made. */
export function callKey(name: string, input: unknown): string {
  return `${name}:${stable(input)}`;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
