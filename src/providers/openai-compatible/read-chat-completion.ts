import type { OpenAIChatResponse, OpenAIUsage } from './openai-schemas.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const numberOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'number';
const none = (v: unknown) => v === undefined || v === null;

/**
 * The whole answer almost every call gets — text (or reasoning), a finish reason, token counts, no tool calls —
 * recognised by hand, as readTextChunk does for stream events: zod's parse (openAIChatResponseSchema) copies every
 * object and allocates a result per field, on every call. Returns the response only when the schema would accept it
 * with every field fromOpenAIResponse reads of the same value; usage, which the answer keeps raw, is rebuilt with
 * exactly the keys the schema keeps. Anything else — tool calls, a field of another type — returns undefined, and the
 * caller parses it with the schema as before.
 */
export function readChatCompletion(json: unknown): OpenAIChatResponse | undefined {
  if (!isObject(json) || !textOrNone(json.id) || !Array.isArray(json.choices)) return undefined;
  for (const c of json.choices) {
    if (!isObject(c) || !textOrNone(c.finish_reason)) return undefined;
    if (!(none(c.stop_reason) || typeof c.stop_reason === 'string' || typeof c.stop_reason === 'number')) return undefined;
    const m = c.message;
    if (!isObject(m) || !none(m.tool_calls) || !textOrNone(m.content) || !textOrNone(m.reasoning_content) || !textOrNone(m.reasoning)) return undefined;
  }
  if (none(json.usage)) return json as OpenAIChatResponse;
  const usage = readUsage(json.usage);
  return usage ? ({ ...json, usage } as OpenAIChatResponse) : undefined;
}

/** Usage as the schema returns it: its five keys where the upstream sent them, unknown keys dropped. */
function readUsage(u: unknown): OpenAIUsage | undefined {
  if (!isObject(u)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const) {
    if (!numberOrNone(u[k])) return undefined;
    if (k in u) out[k] = u[k];
  }
  for (const [k, inner] of [
    ['prompt_tokens_details', 'cached_tokens'],
    ['completion_tokens_details', 'reasoning_tokens'],
  ] as const) {
    const d = u[k];
    if (!(k in u)) continue;
    if (none(d)) out[k] = d;
    else if (!isObject(d) || !numberOrNone(d[inner])) return undefined;
    else out[k] = inner in d ? { [inner]: d[inner] } : {};
  }
  return out as OpenAIUsage;
}
