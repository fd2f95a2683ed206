import { z } from 'zod';
import type { Metadata } from '../metadata.js';

/** Bedrock's convention: `report.pdf.metadata.json` beside `report.pdf` holds that document's attributes. */
export const SIDECAR_SUFFIX = '.metadata.json';

/** Bedrock caps a metadata file at 10 KB; we allow more but still read a bounded amount. */
export const MAX_SIDECAR_BYTES = 64 * 1024;

export const isSidecar = (name: string) => name.endsWith(SIDECAR_SUFFIX) && name.length > SIDECAR_SUFFIX.length;

/** Turns a sidecar's bytes into metadata; throws with a reason when they are not a valid sidecar. */
export type ParseSidecar = (bytes: Uint8Array) => Metadata;

const plain = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
// Bedrock also accepts typed values: { value: { type, stringValue | numberValue | booleanValue | stringListValue } }.
const typed = z
  .object({
    value: z.object({
      type: z.enum(['STRING', 'NUMBER', 'BOOLEAN', 'STRING_LIST']),
      stringValue: z.string().optional(),
      numberValue: z.number().optional(),
      booleanValue: z.boolean().optional(),
      stringListValue: z.array(z.string()).optional(),
    }),
    includeForEmbedding: z.boolean().optional(),
  })
  .transform((t, ctx) => {
    const v = t.value;
    const out = { STRING: v.stringValue, NUMBER: v.numberValue, BOOLEAN: v.booleanValue, STRING_LIST: v.stringListValue }[v.type];
    if (out === undefined) ctx.addIssue({ code: 'custom', message: `a ${v.type} value needs its ${v.type.toLowerCase()}Value` });
    return out as z.infer<typeof plain>;
  });
const sidecarSchema = z.object({ metadataAttributes: z.record(z.string().min(1), z.union([plain, typed])) });

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
  if (!r.success) throw new Error(z.prettifyError(r.error).replaceAll('\n', ' '));
  return r.data.metadataAttributes as Metadata;
};
