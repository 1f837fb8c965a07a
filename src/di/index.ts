/** `promkit/inversify`: the inversify 8 module (`MetricsModule`), its tokens, `CollectorService` and `MetricsServer`. */
export * from './metrics-tokens.js';
export * from './metrics-module-options.js';
export * from './collector-service.js';
export * from './metrics-server.js';
export * from './metrics-module.js';
export * from './metrics-plugin.js';
