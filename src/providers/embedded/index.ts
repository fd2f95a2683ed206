export { createEmbeddedEmbeddingsProvider } from './embedded-embeddings-provider.js';
export { type EmbeddedOptions, embeddedOptionsSchema } from './embedded-options.js';
export { USE_DIMENSIONS, USE_MAX_INPUT_TOKENS, USE_MODEL_ID, useModelInfo } from './use-model-info.js';
export { loadUseModel, useWeightsDir } from './load-use-model.js';
