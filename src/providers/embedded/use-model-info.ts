import type { ModelInfo } from '../../core/index.js';

export const USE_MODEL_ID = 'quarry.embed-use-v1:0';
export const USE_DIMENSIONS = 512;
/**
 * The encoder averages over any number of tokens, so this bound is ours, not the model's: it keeps one request's sparse
 * input tensor small. It matches Titan Text Embeddings v2's limit, so clients written for Bedrock fit.
 */
export const USE_MAX_INPUT_TOKENS = 8192;

/** Catalog entry of the default embedding model: Universal Sentence Encoder (lite), bundled with the server. */
export function useModelInfo(providerId: string): ModelInfo {
  return {
    id: USE_MODEL_ID,
    name: 'Universal Sentence Encoder (embedded)',
    providerId,
    upstreamModel: 'universal-sentence-encoder-lite',
    family: 'generic',
    kind: 'embedding',
    inputModalities: ['TEXT'],
    outputModalities: ['EMBEDDING'],
    contextWindow: USE_MAX_INPUT_TOKENS,
    embeddingDimensions: USE_DIMENSIONS,
    pricing: undefined,
    runsOn: 'local',
    supportsTools: false,
    supportsStreaming: false,
  };
}
