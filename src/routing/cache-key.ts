import { hash } from 'node:crypto';
import type { ConverseRequest } from '../core/index.js';
import { parseModelId } from '../models/index.js';

/**
 * The response-cache key of a request: a SHA-256 over a canonical form of everything that shapes the answer — the
 * model, messages, system prompt, inference configuration, tools and tool choice, the JSON schema and extra model
 * fields — and the scope that may share it. Canonical means object keys sorted and absent fields skipped, so the
 * same request sent with its keys in another order, or through another wire API, hits the same entry.
 * `requestMetadata` is left out: it labels logs and does not change the answer.
 */
export function cacheKey(req: ConverseRequest, scope: string): string | undefined {
  try {
    return digest(req, scope);
  } catch (e) {
    // Nesting deeper than any real request: not worth a key (and not worth the stack).
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

const MAX_DEPTH = 256;

function digest(req: ConverseRequest, scope: string): string {
  let s = `${scope.length}:${scope}|${canonical(parseModelId(req.modelId).id)}|`;
  s += canonical(req.messages);
  s += `|${canonical(req.system)}|${canonical(req.inferenceConfig)}|${canonical(req.toolConfig)}|${canonical(req.jsonSchema)}`;
  s += `|${canonical(req.additionalModelRequestFields)}`;
  return hash('sha256', s, 'base64url');
}

/** JSON with sorted keys; bytes as base64 with a marker, so they cannot collide with a string of the same text. */
export function canonical(v: unknown, depth = 0): string {
  if (v === undefined) return '~';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? '~';
  if (v instanceof Uint8Array) return `#${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
  if (depth > MAX_DEPTH) throw new RangeError('nested too deeply');
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + canonical(v[i], depth + 1);
    return `${out}]`;
  }
  const keys = Object.keys(v).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonical(x, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}
