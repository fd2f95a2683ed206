export * from './invocation-context.js';
export * from './runtime.js';
export * from './admission.js';
