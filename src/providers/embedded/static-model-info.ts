import type { ModelInfo } from '../../core/index.js';
import { USE_MAX_INPUT_TOKENS } from './use-model-info.js';

export const STATIC_MODEL_ID = 'quarry.embed-static-v1:0';
/** What a configured model names as its `upstreamModel` to be served by the static table. */
export const STATIC_UPSTREAM_MODEL = 'static-use-v1';
export const STATIC_DIMENSIONS = 256;

/**
 * Catalog entry of the static embedding model: a table of vectors distilled from the Universal Sentence Encoder
 * (scripts/train/distill-static-embeddings.ts, report beside the weights), averaged over a text's pieces. Thousands of
 * times cheaper than the encoder and less precise: the guardrails use it by default, where a check must cost
 * milliseconds; knowledge bases should keep the encoder.
 */
export function staticModelInfo(providerId: string): ModelInfo {
  return {
    id: STATIC_MODEL_ID,
    name: 'Static embeddings distilled from USE (embedded)',
    providerId,
    upstreamModel: STATIC_UPSTREAM_MODEL,
    family: 'generic',
    kind: 'embedding',
    inputModalities: ['TEXT'],
    outputModalities: ['EMBEDDING'],
    contextWindow: USE_MAX_INPUT_TOKENS,
    embeddingDimensions: STATIC_DIMENSIONS,
    pricing: undefined,
    runsOn: 'local',
    supportsTools: false,
    supportsStreaming: false,
  };
}
