export * from './push-error.js';
export * from './pushgateway.js';
