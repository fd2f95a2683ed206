export { createLlamaProvider, type LlamaProvider } from './llama-provider.js';
export { type DiscoveredModels, discoverGguf, type SkippedGguf } from './discover-gguf.js';
export { type LlamaOptions, llamaOptionsSchema } from './llama-options.js';
export { localModelId } from './local-model-id.js';
