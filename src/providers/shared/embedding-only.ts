import { type GenerateRequest, type ModelProvider, type StreamPart, validation } from '../../core/index.js';

const notForText = (req: GenerateRequest) =>
  validation(
    `${req.model.id} is an embedding model: it turns text into vectors and cannot chat. Call it through InvokeModel with {"inputText": …} or POST /v1/embeddings, and pick a text model for Converse.`,
  );

/**
 * generate/stream for providers that only embed. The runtime already refuses chat with embedding models; these keep
 * the ModelProvider contract for direct callers — a stream reports the failure as a part, so nothing half-written
 * reaches a client.
 */
export const embeddingOnly: Pick<ModelProvider, 'generate' | 'stream'> = {
  generate: async (req) => {
    throw notForText(req);
  },
  async *stream(req): AsyncGenerator<StreamPart> {
    yield { type: 'error', error: notForText(req) };
  },
};
