import { z } from 'zod';
import type { Metadata, MetadataValue } from '../metadata.js';
import { decodeText } from './decode-text.js';
import { DocumentParseError } from './document-parse-error.js';
import type { RecordStructure } from './parsed-document.js';
import { setMetadata } from './record-fields.js';

/** A sidecar describes one file; anything this large is not one (Bedrock's own limit is far lower). */
const MAX_SIDECAR_BYTES = 64 * 1024;

const PlainValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** The typed form, as Bedrock's API spells a metadata attribute value. */
const TypedValue = z
  .object({
    value: z.discriminatedUnion('type', [
      z.object({ type: z.literal('STRING'), stringValue: z.string() }).strict(),
      z.object({ type: z.literal('NUMBER'), numberValue: z.number() }).strict(),
      z.object({ type: z.literal('BOOLEAN'), booleanValue: z.boolean() }).strict(),
      z.object({ type: z.literal('STRING_LIST'), stringListValue: z.array(z.string()) }).strict(),
    ]),
    includeForEmbedding: z.boolean().optional(),
  })
  .strict();

const FieldName = z.object({ fieldName: z.string().min(1) }).strict();

const SidecarFile = z
  .object({
    metadataAttributes: z.record(z.string(), z.unknown()).optional(),
    documentStructureConfiguration: z
      .object({
        type: z.literal('RECORD_BASED_STRUCTURE_METADATA'),
        recordBasedStructureMetadata: z
          .object({
            contentFields: z.array(FieldName).optional(),
            metadataFieldsSpecification: z
              .object({ fieldsToInclude: z.array(FieldName).optional(), fieldsToExclude: z.array(FieldName).optional() })
              .strict()
              .optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface Sidecar {
  metadata: Metadata;
  /** Keys whose typed form said `includeForEmbedding: true`: their values belong in the embedded text too. */
  embedKeys: string[];
  /** For a CSV: which columns are content and which metadata. */
  records?: RecordStructure;
}

/**
 * Bedrock's `<file>.metadata.json`: `{"metadataAttributes": {...}}` with values either plain JSON (a string, number,
 * boolean or list of strings) or typed (`{"value": {"type": "NUMBER", "numberValue": 3}, "includeForEmbedding": true}`),
 * and, for a CSV, `documentStructureConfiguration`. A bad file fails the document it describes, naming the key.
 */
export function parseSidecar(bytes: Uint8Array, name = 'metadata file'): Sidecar {
  const fail = (detail: string, cause?: unknown) => new DocumentParseError(name, `invalid metadata file: ${detail}`, { cause });
  if (bytes.length > MAX_SIDECAR_BYTES) throw fail(`${bytes.length} bytes, over the ${MAX_SIDECAR_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(decodeText(name, bytes));
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e), e);
  }
  const file = SidecarFile.safeParse(json);
  if (!file.success) throw fail(issues(file.error));

  const metadata: Metadata = {};
  const embedKeys: string[] = [];
  for (const [key, raw] of Object.entries(file.data.metadataAttributes ?? {})) {
    if (key === '' || key.length > 256) throw fail(`metadataAttributes: key ${JSON.stringify(key.slice(0, 40))} must be 1 to 256 characters`);
    const at = `metadataAttributes.${key}`;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      const typed = TypedValue.safeParse(raw);
      if (!typed.success) throw fail(issues(typed.error, at));
      setMetadata(metadata, key, typedValue(typed.data.value));
      if (typed.data.includeForEmbedding) embedKeys.push(key);
    } else {
      const plain = PlainValue.safeParse(raw);
      if (!plain.success) throw fail(`${at}: expected a string, a number, a boolean, a list of strings, or {"value": {"type": ...}}`);
      setMetadata(metadata, key, plain.data);
    }
  }
  const structure = file.data.documentStructureConfiguration?.recordBasedStructureMetadata;
  const names = (list: { fieldName: string }[] | undefined) => list?.map((f) => f.fieldName);
  const records: RecordStructure | undefined = structure && {
    contentFields: names(structure.contentFields),
    metadataFieldsToInclude: names(structure.metadataFieldsSpecification?.fieldsToInclude),
    metadataFieldsToExclude: names(structure.metadataFieldsSpecification?.fieldsToExclude),
  };
  return { metadata, embedKeys, ...(records ? { records } : {}) };
}

/** The attributes alone, for callers that need nothing else from the sidecar. */
export function parseSidecarMetadata(bytes: Uint8Array, name?: string): Metadata {
  return parseSidecar(bytes, name).metadata;
}

function typedValue(value: z.infer<typeof TypedValue>['value']): MetadataValue {
  switch (value.type) {
    case 'STRING':
      return value.stringValue;
    case 'NUMBER':
      return value.numberValue;
    case 'BOOLEAN':
      return value.booleanValue;
    case 'STRING_LIST':
      return value.stringListValue;
    default: {
      const never: never = value;
      return never;
    }
  }
}

function issues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
