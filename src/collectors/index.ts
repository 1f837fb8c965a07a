export type { RuntimeCollectorOptions } from './runtime-collector-options.js';
export * from './process-collector.js';
export * from './event-loop-collector.js';
export * from './node-resources-collector.js';
export * from './heap-collector.js';
export * from './gc-collector.js';
export * from './version-collector.js';
export * from './default-metrics.js';
