export * from './cost.js';
export * from './tables.js';
export * from './usage-meter.js';
