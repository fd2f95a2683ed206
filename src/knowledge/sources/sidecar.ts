import { z } from 'zod';
import type { Metadata, MetadataValue } from '../metadata.js';

/** Bedrock's convention: `report.pdf.metadata.json` beside `report.pdf` holds that document's attributes. */
export const SIDECAR_SUFFIX = '.metadata.json';

/** Bedrock caps a metadata file at 10 KB; we allow more but still read a bounded amount. */
export const MAX_SIDECAR_BYTES = 64 * 1024;

export const isSidecar = (name: string) => name.endsWith(SIDECAR_SUFFIX) && name.length > SIDECAR_SUFFIX.length;

/** Turns a sidecar's bytes into metadata; throws with a reason when they are not a valid sidecar. */
export type ParseSidecar = (bytes: Uint8Array) => Metadata;

const sidecarSchema = z.object({ metadataAttributes: z.record(z.string().min(1), z.unknown()) });

const isPlain = (v: unknown): v is MetadataValue =>
  typeof v === 'string' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  typeof v === 'boolean' ||
  (Array.isArray(v) && v.every((x) => typeof x === 'string'));

const TYPED_FIELD = { STRING: 'stringValue', NUMBER: 'numberValue', BOOLEAN: 'booleanValue', STRING_LIST: 'stringListValue' } as const;

/** A plain value, or Bedrock's typed form `{ value: { type, stringValue | numberValue | … }, includeForEmbedding }`. */
function attributeValue(key: string, raw: unknown): MetadataValue {
  if (isPlain(raw)) return raw;
  const typed = (raw as { value?: { type?: unknown } } | null)?.value;
  const type = typed?.type;
  if (typeof type === 'string' && type in TYPED_FIELD) {
    const field = TYPED_FIELD[type as keyof typeof TYPED_FIELD];
    const v = (typed as Record<string, unknown>)[field];
    if (isPlain(v) && (type === 'STRING_LIST') === Array.isArray(v)) return v;
    throw new Error(`attribute "${key}": a ${type} value needs its ${field}`);
  }
  throw new Error(`attribute "${key}" must be a string, number, boolean, list of strings, or { value: { type, … } }`);
}

/**
 * A minimal reader of Bedrock metadata sidecars, used unless the data source is given the knowledge base's own
 * `parseSidecar` (the parse module's richer one, with the attribute rules of the metadata filter).
 */
export const parseSidecarJson: ParseSidecar = (bytes) => {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`not valid UTF-8 JSON (${(e as Error).message})`);
  }
  const r = sidecarSchema.safeParse(json);
  if (!r.success) throw new Error('expected { "metadataAttributes": { "<name>": <value>, … } }');
  const out: Metadata = {};
  for (const [key, raw] of Object.entries(r.data.metadataAttributes)) out[key] = attributeValue(key, raw);
  return out;
};
