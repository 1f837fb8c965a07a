export * from './request-labels.js';
export * from './request-metrics-options.js';
export * from './http-request-metrics.js';
export * from './request-exchange.js';
