export * from './chunk.js';
export * from './chunk-document.js';
export * from './chunking-configuration-schema.js';
