export * from './pushgateway.js';
