export * from './address-policy.js';
export * from './blocked-address-error.js';
export * from './fetch-limit-error.js';
export * from './host-allow-list.js';
export * from './resolve-host.js';
export * from './safe-fetch.js';
export * from './safe-response.js';
