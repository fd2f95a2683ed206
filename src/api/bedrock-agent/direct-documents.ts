import { z } from 'zod';
import type { DirectDocument, Metadata } from '../../knowledge/index.js';
import { decodeBase64 } from '../shared/base64.js';

const attributeValue = z.object({
  type: z.enum(['STRING', 'NUMBER', 'BOOLEAN', 'STRING_LIST']),
  stringValue: z.string().max(10_000).optional(),
  numberValue: z.number().optional(),
  booleanValue: z.boolean().optional(),
  stringListValue: z.array(z.string().max(10_000)).max(100).optional(),
});

const documentSchema = z.object({
  metadata: z
    .object({
      type: z.enum(['IN_LINE_ATTRIBUTE', 'S3_LOCATION']),
      inlineAttributes: z.array(z.object({ key: z.string().min(1).max(200), value: attributeValue })).max(100).optional(),
    })
    .optional(),
  content: z.object({
    dataSourceType: z.literal('CUSTOM', { error: 'only CUSTOM documents can be ingested directly' }),
    custom: z.object({
      customDocumentIdentifier: z.object({ id: z.string().min(1).max(2048) }),
      sourceType: z.literal('IN_LINE', { error: 'only IN_LINE content is supported (S3_LOCATION needs an S3 source)' }),
      inlineContent: z
        .object({
          type: z.enum(['BYTE', 'TEXT']),
          byteContent: z.object({ mimeType: z.string().min(1).max(200), data: z.string() }).optional(),
          textContent: z.object({ data: z.string() }).optional(),
        })
        .refine((v) => (v.type === 'BYTE' ? !!v.byteContent : !!v.textContent), { message: 'BYTE needs byteContent and TEXT needs textContent' }),
    }),
  }),
});

/** Bedrock takes at most 25 documents per IngestKnowledgeBaseDocuments call. */
export const ingestDocumentsSchema = z.object({ clientToken: z.string().optional(), documents: z.array(documentSchema).min(1).max(25) });

export const documentIdentifiersSchema = z.object({
  clientToken: z.string().optional(),
  documentIdentifiers: z
    .array(z.object({ dataSourceType: z.literal('CUSTOM'), custom: z.object({ id: z.string().min(1).max(2048) }) }))
    .min(1)
    .max(25),
});

export function directDocumentsFrom(docs: z.infer<typeof documentSchema>[]): DirectDocument[] {
  return docs.map((d, i) => {
    const inline = d.content.custom.inlineContent;
    const metadata: Metadata = {};
    for (const a of d.metadata?.inlineAttributes ?? []) {
      const v = a.value;
      const value = v.type === 'STRING' ? v.stringValue : v.type === 'NUMBER' ? v.numberValue : v.type === 'BOOLEAN' ? v.booleanValue : v.stringListValue;
      if (value !== undefined) metadata[a.key] = value;
    }
    const bytes =
      inline.type === 'TEXT'
        ? new TextEncoder().encode(inline.textContent!.data)
        : decodeBase64(inline.byteContent!.data, `documents[${i}].content.custom.inlineContent.byteContent.data`);
    return {
      id: d.content.custom.customDocumentIdentifier.id,
      bytes,
      contentType: inline.type === 'TEXT' ? 'text/plain' : inline.byteContent!.mimeType,
      ...(Object.keys(metadata).length ? { metadata } : {}),
    };
  });
}
