export * from './admission.js';
export * from './invocation-context.js';
export * from './overload-guard.js';
export * from './runtime.js';
