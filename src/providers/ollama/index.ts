export { createOllamaProvider, DEFAULT_OLLAMA_URL } from './ollama-provider.js';
export { type OllamaOptions, ollamaOptionsSchema } from './ollama-options.js';
export { probeOllama } from './probe-ollama.js';
export { type OllamaPullProgress, pullOllamaModel } from './pull-ollama-model.js';
