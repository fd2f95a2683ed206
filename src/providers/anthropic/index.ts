export { createAnthropicProvider } from './anthropic-provider.js';
export { type AnthropicOptions, anthropicOptionsSchema } from './anthropic-options.js';
