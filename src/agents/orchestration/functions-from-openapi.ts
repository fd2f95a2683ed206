import { QuarryError } from '../../core/index.js';
import type { AgentFunction, ApiOperationRef, ApiParameterLocation, JsonSchema } from './agent-definition.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
/** `$ref` chains deeper than this are refused: a self-referencing schema must not hang the resolver. */
const MAX_REF_DEPTH = 32;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The functions of an action group defined by an OpenAPI 3 document (Bedrock `apiSchema`), one per operation. Each
 * operation's parameters and JSON request body become one argument object: parameters by name, the body's
 * properties flattened beside them when it is an object (as Bedrock shows them to the model), otherwise as `body`.
 * Local `$ref`s (`#/components/...`) are inlined; anything else is refused with a ValidationException.
 */
export function functionsFromOpenApi(doc: unknown): AgentFunction[] {
  if (!isObj(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3')) {
    throw new QuarryError('ValidationException', 'The API schema must be an OpenAPI 3 document (an object with "openapi": "3.x").');
  }
  if (!isObj(doc.paths)) throw new QuarryError('ValidationException', 'The OpenAPI document has no "paths".');
  const out: AgentFunction[] = [];
  const names = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const fn = operationFunction(doc, path, method, op, shared);
      if (names.has(fn.name)) throw new QuarryError('ValidationException', `Two operations map to the function name ${fn.name}; give them distinct operationIds.`);
      names.add(fn.name);
      out.push(fn);
    }
  }
  if (!out.length) throw new QuarryError('ValidationException', 'The OpenAPI document defines no operations.');
  return out;
}

function operationFunction(doc: Obj, path: string, method: ApiOperationRef['method'], op: Obj, shared: unknown[]): AgentFunction {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const parameterIn: Record<string, ApiParameterLocation> = {};
  // Operation-level parameters override path-level ones of the same name and location.
  const params = new Map<string, Obj>();
  for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const p = resolve(doc, raw);
    if (!isObj(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    if (p.in === 'cookie') continue;
    params.set(`${p.in}:${p.name}`, p);
  }
  for (const p of params.values()) {
    const name = p.name as string;
    const schema = isObj(p.schema) ? inline(doc, p.schema, 0) : { type: 'string' };
    properties[name] = typeof p.description === 'string' ? { ...schema, description: p.description } : schema;
    parameterIn[name] = p.in as ApiParameterLocation;
    if (p.required === true || p.in === 'path') required.push(name);
  }
  let bodyContentType: string | undefined;
  const body = resolve(doc, op.requestBody);
  if (isObj(body) && isObj(body.content)) {
    const [type, media] = Object.entries(body.content).find(([t]) => t.includes('json')) ?? Object.entries(body.content)[0] ?? [];
    if (type && isObj(media)) {
      bodyContentType = type;
      const schema = isObj(media.schema) ? inline(doc, media.schema, 0) : { type: 'object' };
      if (schema.type === 'object' && isObj(schema.properties)) {
        const inner = Array.isArray(schema.required) ? (schema.required as string[]) : [];
        for (const [k, v] of Object.entries(schema.properties)) {
          if (k in properties) continue;
          properties[k] = v as JsonSchema;
          parameterIn[k] = 'body';
          if (body.required === true && inner.includes(k)) required.push(k);
        }
      } else {
        properties.body = schema;
        parameterIn.body = 'body';
        if (body.required === true) required.push('body');
      }
    }
  }
  const description = [op.summary, op.description].filter((s): s is string => typeof s === 'string' && s.length > 0).join(' — ');
  return {
    name: toolName(typeof op.operationId === 'string' ? op.operationId : `${method}_${path}`),
    ...(description ? { description } : {}),
    inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) },
    ...(op['x-requireConfirmation'] === 'ENABLED' ? { requireConfirmation: true } : {}),
    api: { path, method, parameterIn, ...(bodyContentType ? { bodyContentType } : {}) },
  };
}

/** Tool names models accept: letters, digits, `_` and `-`, at most 64. */
export function toolName(s: string): string {
  const cleaned = s.replace(/[{}]/g, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/_{2,}/g, '_').replace(/^_+|_+$/g, '');
  return (cleaned || 'operation').slice(0, 64);
}

function resolve(doc: Obj, v: unknown, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string') return v;
  if (depth > MAX_REF_DEPTH) throw new QuarryError('ValidationException', `The OpenAPI document's $ref chain at ${v.$ref} is too deep or circular.`);
  const ref = v.$ref;
  if (!ref.startsWith('#/')) throw new QuarryError('ValidationException', `Only local $refs are supported (${ref}).`);
  let cur: unknown = doc;
  for (const seg of ref.slice(2).split('/')) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObj(cur) ? cur[key] : undefined;
  }
  if (cur === undefined) throw new QuarryError('ValidationException', `The OpenAPI $ref ${ref} points at nothing.`);
  return resolve(doc, cur, depth + 1);
}

/** A schema with every local `$ref` replaced by its target, so the loop's validator needs no document. */
function inline(doc: Obj, schema: unknown, depth: number): JsonSchema {
  if (depth > MAX_REF_DEPTH) throw new QuarryError('ValidationException', 'The OpenAPI schema nests too deeply or refers to itself.');
  const s = resolve(doc, schema);
  if (!isObj(s)) return {};
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, inline(doc, pv, depth + 1)]));
    else if ((k === 'items' || k === 'additionalProperties') && isObj(v)) out[k] = inline(doc, v, depth + 1);
    else if ((k === 'oneOf' || k === 'anyOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map((x) => inline(doc, x, depth + 1));
    else out[k] = v;
  }
  return out;
}
