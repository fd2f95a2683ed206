import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { validation } from '../../../core/index.js';
import { decodeBody } from './body-schema.js';
import { l2Normalize, packedBits, toInt8, toUint8 } from './embedding-types.js';
import type { EmbeddingInvoke, InvokeFormat } from './invoke-format.js';

const embeddingType = z.enum(['float', 'int8', 'uint8', 'binary', 'ubinary']);

/** Cohere Embed (v3, v4) on Bedrock. Images are not served here, so a body must carry `texts`. */
export const cohereEmbedBody = z
  .object({
    texts: z.array(z.string()).min(1).max(96),
    input_type: z.enum(['search_document', 'search_query', 'classification', 'clustering']),
    truncate: z.enum(['NONE', 'START', 'END']).optional(),
    embedding_types: z.array(embeddingType).min(1).optional(),
    output_dimension: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(1536)]).optional(),
    max_tokens: z.number().int().min(1).optional(),
  })
  .strict();

type EmbeddingType = z.infer<typeof embeddingType>;

const ENCODE: Record<EmbeddingType, (v: number[]) => number[]> = {
  float: (v) => v,
  int8: toInt8,
  uint8: toUint8,
  binary: (v) => packedBits(v, true),
  ubinary: (v) => packedBits(v, false),
};

/**
 * `{id, embeddings, texts, response_type}`: a list of float vectors (`embeddings_floats`), or with `embedding_types`
 * an object of lists keyed by type (`embeddings_by_type`).
 */
export const cohereEmbed: InvokeFormat = {
  decode(body, modelId, model): EmbeddingInvoke {
    if (model.kind !== 'embedding') {
      throw validation(`InvokeModel does not take Cohere Command bodies yet; call ${model.id} through Converse.`);
    }
    const wire = decodeBody(cohereEmbedBody, body, 'Cohere Embed');
    return {
      kind: 'embedding',
      request: { modelId, inputs: wire.texts, dimensions: wire.output_dimension, normalize: true },
      encode(r) {
        const floats = r.embeddings.map((e) => l2Normalize(e));
        const base = { id: randomUUID(), texts: wire.texts };
        if (!wire.embedding_types) return { ...base, embeddings: floats, response_type: 'embeddings_floats' };
        const byType: Partial<Record<EmbeddingType, number[][]>> = {};
        for (const t of wire.embedding_types) byType[t] = floats.map(ENCODE[t]);
        return { ...base, embeddings: byType, response_type: 'embeddings_by_type' };
      },
    };
  },
};
