import type { GbnfJsonSchema } from 'node-llama-cpp';
import { QuarryError } from '../../core/index.js';

type Json = Record<string, unknown>;

/**
 * Real-world JSON Schema (what SDKs generate from zod or pydantic) → the subset node-llama-cpp compiles to a grammar.
 * Constraints the grammar cannot express (pattern, minimum, format: email …) are dropped, so the output is valid JSON of
 * the right shape that may still miss a fine-grained rule; composition it cannot follow (`allOf` of several, `not`) is
 * refused rather than silently loosened.
 */
export function toGbnfSchema(schema: unknown, where = 'schema'): GbnfJsonSchema {
  const defs = isObject(schema) ? { ...asObject(schema.definitions), ...asObject(schema.$defs) } : {};
  const root = convert(schema, where);
  if (Object.keys(defs).length === 0) return root;
  const $defs: Record<string, GbnfJsonSchema> = {};
  for (const [k, v] of Object.entries(defs)) $defs[k] = convert(v, `${where}.$defs.${k}`);
  return { ...root, $defs } as GbnfJsonSchema;
}

const BASIC = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const FORMATS = new Set(['date-time', 'date', 'time']);
const ANY: GbnfJsonSchema = {
  oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }],
};

function convert(s: unknown, where: string): GbnfJsonSchema {
  if (s === true || s === undefined || (isObject(s) && Object.keys(s).every((k) => k === 'description' || k === 'title'))) return ANY;
  if (!isObject(s)) throw invalid(where, 'is not a schema object');
  const description = typeof s.description === 'string' ? { description: s.description } : {};
  if (typeof s.$ref === 'string') return { $ref: s.$ref.replace('#/definitions/', '#/$defs/'), ...description } as GbnfJsonSchema;
  if ('const' in s) return { const: s.const as string, ...description };
  if (Array.isArray(s.enum)) return { enum: s.enum as string[], ...description };
  const union = (s.anyOf ?? s.oneOf) as unknown;
  if (Array.isArray(union)) return { oneOf: union.map((x, i) => convert(x, `${where}.anyOf.${i}`)), ...description };
  if (Array.isArray(s.allOf)) {
    if (s.allOf.length === 1) return convert({ ...s, allOf: undefined, ...(s.allOf[0] as Json) }, where);
    throw invalid(where, 'uses allOf with several schemas, which a grammar cannot combine');
  }
  if ('not' in s) throw invalid(where, "uses 'not', which a grammar cannot express");
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : inferTypes(s);
  const variants = types.map((t) => single(t, s, where));
  if (variants.length === 1) return { ...variants[0], ...description } as GbnfJsonSchema;
  // Plain scalar types collapse into one `type: [...]`, which compiles to a smaller grammar than a oneOf.
  const basics = variants.map((v) => v as { type?: unknown }).filter((v) => typeof v.type === 'string' && BASIC.has(v.type) && Object.keys(v).length === 1);
  if (basics.length === variants.length) return { type: basics.map((b) => b.type), ...description } as GbnfJsonSchema;
  return { oneOf: variants, ...description };
}

function inferTypes(s: Json): string[] {
  if ('properties' in s || 'additionalProperties' in s || 'required' in s) return ['object'];
  if ('items' in s || 'prefixItems' in s) return ['array'];
  return ['string', 'number', 'boolean', 'null', 'object', 'array'];
}

function single(type: string, s: Json, where: string): GbnfJsonSchema {
  switch (type) {
    case 'object': {
      const props = asObject(s.properties);
      const properties: Record<string, GbnfJsonSchema> = {};
      for (const [k, v] of Object.entries(props)) properties[k] = convert(v, `${where}.properties.${k}`);
      const additional = s.additionalProperties;
      return {
        type: 'object',
        properties,
        // JSON Schema allows extra keys unless told otherwise, but a grammar that allows them lets a small model ramble
        // into invented keys; with declared properties, extras are only generated when explicitly asked for.
        additionalProperties:
          additional === undefined ? Object.keys(props).length === 0 : isObject(additional) ? convert(additional, `${where}.additionalProperties`) : Boolean(additional),
        ...(Array.isArray(s.required) ? { required: s.required as string[] } : {}),
        ...num(s, 'minProperties', 'maxProperties'),
      } as GbnfJsonSchema;
    }
    case 'array':
      return {
        type: 'array',
        ...(s.items !== undefined && !Array.isArray(s.items) ? { items: convert(s.items, `${where}.items`) } : {}),
        ...(Array.isArray(s.prefixItems) ? { prefixItems: s.prefixItems.map((x, i) => convert(x, `${where}.prefixItems.${i}`)) } : {}),
        ...num(s, 'minItems', 'maxItems'),
      } as GbnfJsonSchema;
    case 'string':
      if (typeof s.format === 'string' && FORMATS.has(s.format)) return { type: 'string', format: s.format as 'date' };
      return { type: 'string', ...num(s, 'minLength', 'maxLength') };
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type };
    default:
      throw invalid(where, `has an unknown type '${type}'`);
  }
}

function num(s: Json, ...keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) if (typeof s[k] === 'number') out[k] = s[k] as number;
  return out;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
const invalid = (where: string, what: string) => new QuarryError('ValidationException', `The JSON schema at ${where} ${what}.`);
