import type { ProviderFactory } from '../core/index.js';

/**
 * Provider types by name, loaded on first use so a server that never touches (say) the embedded engine never loads
 * its native code. Adding a provider is one line here plus its own folder.
 */
export const PROVIDER_TYPES: Record<string, () => Promise<ProviderFactory>> = {
  'openai-compatible': async () => (await import('./openai-compatible/index.js')).createOpenAICompatibleProvider,
  ollama: async () => (await import('./ollama/index.js')).createOllamaProvider,
  anthropic: async () => (await import('./anthropic/index.js')).createAnthropicProvider,
  bedrock: async () => (await import('./bedrock/index.js')).createBedrockProvider,
  llama: async () => (await import('./llama/index.js')).createLlamaProvider,
  embedded: async () => (await import('./embedded/index.js')).createEmbeddedEmbeddingsProvider,
  transformers: async () => (await import('./transformers/index.js')).createTransformersEmbeddingsProvider,
};
