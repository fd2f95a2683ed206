import type { OpenAIChunk } from './openai-schemas.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const numberOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'number';
const none = (v: unknown) => v === undefined || v === null;

/**
 * The chunk almost every stream event is — text (or reasoning) deltas and a finish reason, no tool calls, no usage,
 * no error — recognised by hand, so that the schema (openAIChunkSchema) is not run once per token: zod's per-field
 * dispatch was most of the provider's CPU per streamed answer. Returns the chunk only when the schema would accept it
 * with every field the mapper reads of the same value (the unknown keys it would strip are never read); anything
 * else — tool calls, usage (kept raw, so it must be the schema's stripped copy), an error, a field of another type —
 * returns undefined, and the caller parses it with the schema as before.
 */
export function readTextChunk(json: unknown): OpenAIChunk | undefined {
  if (!isObject(json) || !none(json.usage) || !none(json.error)) return undefined;
  const choices = json.choices;
  if (none(choices)) return json as OpenAIChunk;
  if (!Array.isArray(choices)) return undefined;
  for (const c of choices) {
    if (!isObject(c) || !numberOrNone(c.index) || !textOrNone(c.finish_reason)) return undefined;
    if (!(none(c.stop_reason) || typeof c.stop_reason === 'string' || typeof c.stop_reason === 'number')) return undefined;
    const d = c.delta;
    if (none(d)) continue;
    if (!isObject(d) || !none(d.tool_calls) || !textOrNone(d.content) || !textOrNone(d.reasoning_content) || !textOrNone(d.reasoning)) return undefined;
  }
  return json as OpenAIChunk;
}
