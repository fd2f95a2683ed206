export { createOpenAICompatibleProvider } from './openai-compatible-provider.js';
export { type OpenAICompatibleOptions, openAICompatibleOptionsSchema } from './openai-compatible-options.js';
