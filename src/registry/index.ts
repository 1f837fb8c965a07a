export * from './collector.js';
export * from './collector-failure.js';
export * from './registry.js';
export * from './default-registry.js';
