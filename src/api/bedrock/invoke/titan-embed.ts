import { z } from 'zod';
import type { EmbeddingInvoke, InvokeFormat } from './invoke-format.js';
import { decodeBody } from './body-schema.js';
import { l2Normalize, signBits } from './embedding-types.js';

/** Titan Embeddings G1 (v1): only the text. */
export const titanEmbedV1Body = z.object({ inputText: z.string().min(1) }).strict();

/** Titan Text Embeddings V2: output size, normalisation and the float/binary encodings. */
export const titanEmbedV2Body = z
  .object({
    inputText: z.string().min(1),
    dimensions: z.union([z.literal(256), z.literal(512), z.literal(1024)]).optional(),
    normalize: z.boolean().optional(),
    embeddingTypes: z.array(z.enum(['float', 'binary'])).min(1).optional(),
  })
  .strict();

// The first-generation ids take the v1 body; every other model, Titan v2 and generic ones alike, the v2 superset.
const V1_ID = /titan-embed-(text-v1|g1-text)/;

/** `{embedding, inputTextTokenCount}`, plus `embeddingsByType` when the request named embedding types. */
export const titanEmbed: InvokeFormat = {
  decode(body, modelId, model): EmbeddingInvoke {
    if (V1_ID.test(model.id)) {
      const wire = decodeBody(titanEmbedV1Body, body, 'Amazon Titan Embeddings G1');
      return {
        kind: 'embedding',
        request: { modelId, inputs: [wire.inputText] },
        encode: (r) => ({ embedding: Array.from(r.embeddings[0]!), inputTextTokenCount: r.inputTokens }),
      };
    }
    const wire = decodeBody(titanEmbedV2Body, body, 'Amazon Titan Text Embeddings V2');
    const normalize = wire.normalize ?? true;
    return {
      kind: 'embedding',
      request: { modelId, inputs: [wire.inputText], dimensions: wire.dimensions, normalize },
      encode(r) {
        // Normalising here as well keeps the promise for providers that ignore the flag; it is idempotent.
        const embedding = normalize ? l2Normalize(r.embeddings[0]!) : Array.from(r.embeddings[0]!);
        if (!wire.embeddingTypes) return { embedding, inputTextTokenCount: r.inputTokens };
        const byType: Record<string, number[]> = {};
        for (const t of wire.embeddingTypes) byType[t] = t === 'float' ? embedding : signBits(embedding);
        return { embedding, inputTextTokenCount: r.inputTokens, embeddingsByType: byType };
      },
    };
  },
};
