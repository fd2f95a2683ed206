export { createBedrockProvider } from './bedrock-provider.js';
export { type BedrockOptions, bedrockOptionsSchema } from './bedrock-options.js';
