export { createTransformersEmbeddingsProvider } from './transformers-embeddings-provider.js';
export {
  type DiscoveredEmbeddingModels,
  type SkippedFolder,
  discoverEmbeddingModels,
  embeddingModelInfo,
} from './discover-embedding-models.js';
export { type EmbeddingFolder, describeEmbeddingFolder } from './describe-embedding-folder.js';
export { embeddingModelId } from './embedding-model-id.js';
export { type TransformersOptions, transformersOptionsSchema } from './transformers-options.js';
