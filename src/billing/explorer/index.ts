export * from './spend-forecast.js';
export * from './usage-dimensions.js';
export * from './usage-explorer.js';
export * from './usage-query.js';
