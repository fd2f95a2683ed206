export * from './call-deadline.js';
export * from './embedding-only.js';
export * from './estimate-tokens.js';
export * from './estimated-usage.js';
export * from './retry-after.js';
export * from './sniff-image-type.js';
