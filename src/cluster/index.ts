/**
 * The `promkit/cluster` entry point: metrics that add up across `node:cluster` workers and
 * worker threads. The primary (or the owning thread) registers a {@link ClusterAggregator}
 * (or {@link ThreadAggregator}) in the registry it serves; each worker reports its own
 * registry with {@link reportToPrimary} (or {@link reportToParent}).
 *
 * @module cluster
 */
export * from './aggregation-modes.js';
export type { AggregatorOptions } from './worker-aggregator.js';
export { WorkerAggregator } from './worker-aggregator.js';
export * from './cluster-aggregator.js';
export * from './thread-aggregator.js';
export * from './worker-reporter.js';
