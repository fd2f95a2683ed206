export * from './catalog.js';
export * from './infer-family.js';
export * from './parse-model-id.js';
