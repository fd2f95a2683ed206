export * from './authenticate.js';
export * from './bootstrap.js';
export * from './key-store.js';
export * from './principal.js';
export * from './secret-box.js';
export * from './sigv4-verify.js';
export * from './tables.js';
export * from './policy/index.js';
