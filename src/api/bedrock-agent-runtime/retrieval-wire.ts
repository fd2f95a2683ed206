import { z } from 'zod';
import type { ChunkLocation, RagCitation, ScoredChunk, SearchType } from '../../knowledge/index.js';
import { metadataFilterSchema } from '../../knowledge/index.js';

/** RetrievalConfiguration.vectorSearchConfiguration; KEYWORD is Quarry's (Bedrock offers HYBRID and SEMANTIC). */
export const vectorSearchConfigurationSchema = z
  .object({
    numberOfResults: z.number().int().min(1).max(100).optional(),
    overrideSearchType: z.enum(['HYBRID', 'SEMANTIC', 'KEYWORD']).optional(),
    filter: metadataFilterSchema.optional(),
    rerankingConfiguration: z
      .object({
        type: z.string(),
        bedrockRerankingConfiguration: z
          .object({ numberOfRerankedResults: z.number().int().min(1).max(1000).optional(), modelConfiguration: z.object({ modelArn: z.string() }).passthrough().optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const retrievalConfigurationSchema = z.object({ vectorSearchConfiguration: vectorSearchConfigurationSchema }).passthrough();

export const guardrailConfigurationSchema = z.object({ guardrailId: z.string().min(1).max(64), guardrailVersion: z.string().min(1).max(10) });

export type VectorSearchConfiguration = z.infer<typeof vectorSearchConfigurationSchema>;

/** The retrieval options of a request, with Bedrock's defaults: five results, hybrid search. */
export function retrieveOptions(v: VectorSearchConfiguration | undefined) {
  const rr = v?.rerankingConfiguration?.bedrockRerankingConfiguration;
  return {
    numberOfResults: v?.numberOfResults ?? 5,
    searchType: (v?.overrideSearchType ?? 'HYBRID') as SearchType,
    ...(v?.filter ? { filter: v.filter } : {}),
    ...(v?.rerankingConfiguration ? { rerank: { numberOfRerankedResults: rr?.numberOfRerankedResults } } : {}),
  };
}

/**
 * Bedrock's RetrievalResultLocation. A folder on the server has no Bedrock location type, so it travels as a CUSTOM
 * document whose id is its file:// URI.
 */
export function wireLocation(l: ChunkLocation) {
  switch (l.type) {
    case 'WEB':
      return { type: 'WEB', webLocation: { url: l.uri } };
    case 'S3':
      return { type: 'S3', s3Location: { uri: l.uri } };
    case 'CUSTOM':
    case 'LOCAL':
      return { type: 'CUSTOM', customDocumentLocation: { id: l.uri } };
    default: {
      const never: never = l.type;
      throw new Error(`unknown location type ${never}`);
    }
  }
}

export const wireResult = (c: ScoredChunk) => ({ content: { type: 'TEXT', text: c.text }, location: wireLocation(c.location), score: c.score, metadata: c.metadata });

export const wireReference = (c: ScoredChunk) => ({ content: { type: 'TEXT', text: c.text }, location: wireLocation(c.location), metadata: c.metadata });

export function wireCitation(c: RagCitation) {
  return {
    generatedResponsePart: { textResponsePart: { text: c.part.text, span: c.part.span } },
    retrievedReferences: c.references.map(wireReference),
  };
}
