export { embedStatic, embedStaticSpans, type StaticEmbedder, staticEmbedder } from './embed-static.js';
export { createEmbeddedEmbeddingsProvider } from './embedded-embeddings-provider.js';
export { type EmbeddedOptions, embeddedOptionsSchema } from './embedded-options.js';
export { loadStaticModel } from './load-static-model.js';
export { loadUseModel, useWeightsDir } from './load-use-model.js';
export { STATIC_DIMENSIONS, STATIC_MODEL_ID, STATIC_UPSTREAM_MODEL, staticModelInfo } from './static-model-info.js';
export { USE_DIMENSIONS, USE_MAX_INPUT_TOKENS, USE_MODEL_ID, useModelInfo } from './use-model-info.js';
