import { parse as parseYaml } from 'yaml';
import { QuarryError } from '../core/index.js';

/** Bedrock accepts inline API schemas up to about 100 KB; a little more room, but a bound. */
export const MAX_OPENAPI_BYTES = 256 * 1024;
const MAX_DEPTH = 32;
const MAX_PROBLEMS = 8;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const PARAMETER_IN = new Set(['path', 'query', 'header', 'cookie']);
const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

type Obj = Record<string, unknown>;
/** Problems found so far, and schema nodes visited: shared `$ref`s expand like a tree, so the walk has a budget. */
interface Cx {
  problems: string[];
  visits: number;
}
const MAX_VISITS = 20_000;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface OpenApiOperation {
  path: string;
  method: (typeof METHODS)[number];
  operationId?: string;
}

/**
 * Parses an action group's `apiSchema.payload` (an OpenAPI 3 document, JSON or YAML) and checks what the agent
 * relies on: every path and operation, parameters, request bodies and their schemas, with local `$ref`s followed.
 * Everything wrong is reported at once (up to a few problems) in one ValidationException, so a user fixes the
 * document in one round instead of one error per request.
 */
export function parseOpenApiPayload(payload: string): { document: Obj; operations: OpenApiOperation[] } {
  if (Buffer.byteLength(payload, 'utf8') > MAX_OPENAPI_BYTES) fail([`the document is larger than ${MAX_OPENAPI_BYTES} bytes`]);
  const document = parseText(payload);
  const cx: Cx = { problems: [], visits: 0 };
  const operations = checkDocument(document, cx);
  if (cx.problems.length) fail(cx.problems);
  return { document, operations };
}

function fail(problems: string[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  throw new QuarryError('ValidationException', `The apiSchema is not a valid OpenAPI 3 document: ${shown.join('; ')}${more}.`);
}

function parseText(text: string): Obj {
  let doc: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      fail([`the payload is not valid JSON (${(e as Error).message})`]);
    }
  } else {
    try {
      // Unique keys: a duplicated path or operation would otherwise silently replace the first one. Aliases are
      // bounded by the yaml package's maxAliasCount, so an alias bomb fails instead of expanding.
      doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
    } catch (e) {
      fail([`the payload is neither JSON nor valid YAML (${(e as Error).message.split('\n')[0]})`]);
    }
  }
  if (!isObj(doc)) fail(['the document must be an object with "openapi", "info" and "paths"']);
  return doc;
}

function checkDocument(doc: Obj, cx: Cx): OpenApiOperation[] {
  if (typeof doc.openapi !== 'string' || !/^3\.\d+(\.\d+)?$/.test(doc.openapi)) {
    cx.problems.push(`"openapi" must be a 3.x version string${doc.swagger ? ' (Swagger 2.0 documents are not accepted; convert it to OpenAPI 3)' : ''}`);
  }
  if (!isObj(doc.info) || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string') {
    cx.problems.push('"info" must be an object with a string "title" and "version"');
  }
  if (!isObj(doc.paths)) {
    cx.problems.push('"paths" must be an object of path templates');
    return [];
  }
  const operations: OpenApiOperation[] = [];
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) cx.problems.push(`path "${path}" must start with "/"`);
    if (!isObj(item)) {
      cx.problems.push(`paths["${path}"] must be an object`);
      continue;
    }
    const shared = checkParameters(doc, item.parameters, `paths["${path}"].parameters`, cx);
    for (const method of METHODS) {
      if (!(method in item)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const op = item[method];
      if (!isObj(op)) {
        cx.problems.push(`${where} must be an object`);
        continue;
      }
      const own = checkParameters(doc, op.parameters, `${where} parameters`, cx);
      checkPathTemplate(path, where, new Map([...shared, ...own]), cx);
      if (op.operationId !== undefined) {
        if (typeof op.operationId !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(op.operationId)) {
          cx.problems.push(`${where} operationId must be 1-64 letters, digits, "_", "." or "-"`);
        } else if (ids.has(op.operationId)) {
          cx.problems.push(`operationId "${op.operationId}" is used by both ${ids.get(op.operationId)} and ${where}`);
        } else ids.set(op.operationId, where);
      }
      for (const k of ['summary', 'description'] as const) {
        if (op[k] !== undefined && typeof op[k] !== 'string') cx.problems.push(`${where} ${k} must be a string`);
      }
      if (op.requestBody !== undefined) checkRequestBody(doc, op.requestBody, where, cx);
      if (!isObj(op.responses) || Object.keys(op.responses).length === 0) cx.problems.push(`${where} needs "responses" (at least one)`);
      operations.push({ path, method, ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}) });
    }
  }
  if (!operations.length && !cx.problems.length) cx.problems.push('the document defines no operations');
  return operations;
}

/** Returns the parameters by `in:name`, so operation-level ones override path-level ones as OpenAPI says. */
function checkParameters(doc: Obj, raw: unknown, where: string, cx: Cx): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) {
    cx.problems.push(`${where} must be an array`);
    return out;
  }
  raw.forEach((entry, i) => {
    const p = resolveRef(doc, entry, `${where}[${i}]`, cx);
    if (p === undefined) return;
    if (!isObj(p) || typeof p.name !== 'string' || !p.name || typeof p.in !== 'string' || !PARAMETER_IN.has(p.in)) {
      cx.problems.push(`${where}[${i}] needs a "name" and "in" (path, query, header or cookie)`);
      return;
    }
    if (p.in === 'path' && p.required !== true) cx.problems.push(`${where}: path parameter "${p.name}" must have "required": true`);
    if (p.schema !== undefined) checkSchema(doc, p.schema, `${where} "${p.name}" schema`, cx, []);
    if (out.has(`${p.in}:${p.name}`)) cx.problems.push(`${where}: parameter "${p.name}" in ${p.in} is declared twice`);
    out.set(`${p.in}:${p.name}`, p);
  });
  return out;
}

function checkPathTemplate(path: string, where: string, params: Map<string, Obj>, cx: Cx): void {
  const inTemplate = new Set([...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!));
  for (const name of inTemplate) if (!params.has(`path:${name}`)) cx.problems.push(`${where}: path parameter "{${name}}" is not declared in "parameters"`);
  for (const key of params.keys()) {
    if (key.startsWith('path:') && !inTemplate.has(key.slice(5))) cx.problems.push(`${where}: path parameter "${key.slice(5)}" does not appear in the path`);
  }
}

function checkRequestBody(doc: Obj, raw: unknown, where: string, cx: Cx): void {
  const body = resolveRef(doc, raw, `${where} requestBody`, cx);
  if (body === undefined) return;
  if (!isObj(body) || !isObj(body.content) || Object.keys(body.content).length === 0) {
    cx.problems.push(`${where} requestBody needs "content" with at least one media type`);
    return;
  }
  for (const [type, media] of Object.entries(body.content)) {
    if (!isObj(media)) {
      cx.problems.push(`${where} requestBody content "${type}" must be an object`);
      continue;
    }
    if (media.schema === undefined) cx.problems.push(`${where} requestBody content "${type}" needs a "schema"`);
    else checkSchema(doc, media.schema, `${where} requestBody "${type}" schema`, cx, []);
  }
}

/** Follows `$ref`s (local only) to a schema and checks its shape; `stack` holds the refs being expanded, so a cycle is found. */
function checkSchema(doc: Obj, raw: unknown, where: string, cx: Cx, stack: string[]): void {
  if (++cx.visits > MAX_VISITS) {
    if (cx.visits === MAX_VISITS + 1) cx.problems.push(`the schemas expand to more than ${MAX_VISITS} nodes`);
    return;
  }
  if (stack.length > MAX_DEPTH) {
    cx.problems.push(`${where} nests more than ${MAX_DEPTH} levels deep`);
    return;
  }
  if (isObj(raw) && typeof raw.$ref === 'string') {
    if (stack.includes(raw.$ref)) {
      cx.problems.push(`${where} refers to itself through ${raw.$ref} (recursive schemas cannot be shown to a model as tool arguments)`);
      return;
    }
    const target = resolveRef(doc, raw, where, cx);
    if (target !== undefined) checkSchema(doc, target, where, cx, [...stack, raw.$ref]);
    return;
  }
  if (!isObj(raw)) {
    cx.problems.push(`${where} must be a schema object`);
    return;
  }
  const types = Array.isArray(raw.type) ? raw.type : raw.type === undefined ? [] : [raw.type];
  for (const t of types) if (typeof t !== 'string' || !SCHEMA_TYPES.has(t)) cx.problems.push(`${where} has unknown type ${JSON.stringify(t)}`);
  if (raw.properties !== undefined) {
    if (!isObj(raw.properties)) cx.problems.push(`${where} "properties" must be an object`);
    else for (const [k, v] of Object.entries(raw.properties)) checkSchema(doc, v, `${where}.${k}`, cx, stack);
  }
  if (raw.required !== undefined && (!Array.isArray(raw.required) || raw.required.some((r) => typeof r !== 'string'))) {
    cx.problems.push(`${where} "required" must be an array of property names`);
  }
  if (raw.items !== undefined) checkSchema(doc, raw.items, `${where}[]`, cx, stack);
  if (types.includes('array') && raw.items === undefined) cx.problems.push(`${where} is an array without "items"`);
  if (isObj(raw.additionalProperties)) checkSchema(doc, raw.additionalProperties, `${where}{}`, cx, stack);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (raw[k] === undefined) continue;
    if (!Array.isArray(raw[k])) cx.problems.push(`${where} "${k}" must be an array`);
    else {
      (raw[k] as unknown[]).forEach((s, i) => {
        checkSchema(doc, s, `${where}.${k}[${i}]`, cx, stack);
      });
    }
  }
  if (raw.enum !== undefined && !Array.isArray(raw.enum)) cx.problems.push(`${where} "enum" must be an array`);
}

/** The object a `$ref` points at (or the value itself when it is no ref); undefined, with a problem, when it cannot be followed. */
function resolveRef(doc: Obj, v: unknown, where: string, cx: Cx, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string') return v;
  const ref = v.$ref;
  if (!ref.startsWith('#/')) {
    cx.problems.push(`${where}: only local references ("#/components/…") are supported, not ${ref}`);
    return undefined;
  }
  if (depth > MAX_DEPTH) {
    cx.problems.push(`${where}: the reference chain at ${ref} is circular`);
    return undefined;
  }
  let cur: unknown = doc;
  for (const seg of ref.slice(2).split('/')) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObj(cur) && Object.hasOwn(cur, key) ? cur[key] : undefined;
  }
  if (cur === undefined) {
    cx.problems.push(`${where}: ${ref} points at nothing`);
    return undefined;
  }
  return resolveRef(doc, cur, where, cx, depth + 1);
}
