/**
 * How the values of one gauge series from several workers become the aggregate's value:
 *
 * - `sum`: added (in-flight requests, queue lengths, memory: amounts the service holds);
 * - `min` / `max`: the smallest / largest (the oldest start time, the worst lag);
 * - `mean`: the average over the workers that have the series (utilisation ratios);
 * - `last`: the value of the worker that joined last (a setting every worker reports the
 *   same way, e.g. a configuration version after a rolling restart);
 * - `perWorker`: every worker's value as its own series, with the worker label added.
 *
 * A gauge is never kept after its worker has left: it describes a process that is gone.
 */
export type GaugeMode = 'sum' | 'min' | 'max' | 'mean' | 'last' | 'perWorker';

/** The gauge modes, for checking options. */
export const GAUGE_MODES: readonly GaugeMode[] = ['sum', 'min', 'max', 'mean', 'last', 'perWorker'];

/**
 * How info and stateset (enum) families are aggregated: `consistent` writes the family once
 * when every worker reports it the same, and per worker (with the worker label) otherwise;
 * `perWorker` always writes it per worker.
 */
export type InfoMode = 'consistent' | 'perWorker';

/**
 * How summary quantiles are aggregated (their `_count` and `_sum` are always added):
 *
 * - `perWorker` (default): each worker's quantiles as their own series, with the worker
 *   label. Exact: a quantile of one worker's observations is what the worker computed.
 * - `merged`: one series per quantile, the workers' estimates averaged weighted by their
 *   `_count`. Quantiles cannot be merged exactly from quantiles: the result always lies
 *   between the smallest and the largest worker's estimate, and can be off by up to their
 *   difference (when the workers' distributions differ). Use a histogram when an exact
 *   service-wide quantile matters.
 */
export type QuantileMode = 'perWorker' | 'merged';

/**
 * The modes of promkit's default runtime gauges (`collectDefaultMetrics()`), in a worker:
 * memory, handles and descriptors add up; the start time is the oldest worker's; the
 * event-loop lag is the worst worker's; utilisation is averaged; the descriptor limit is
 * the tightest; a worker registry's `promkit_collector_success` and `_duration_seconds`
 * (exposed as `promkit_cluster_worker_collector_*`) take the worst worker's. Any other
 * gauge is summed unless configured.
 */
export const RUNTIME_GAUGE_MODES: Readonly<Record<string, GaugeMode>> = {
  process_start_time_seconds: 'min',
  process_max_fds: 'min',
  nodejs_eventloop_lag_seconds: 'max',
  nodejs_eventloop_lag_min_seconds: 'min',
  nodejs_eventloop_lag_max_seconds: 'max',
  nodejs_eventloop_lag_mean_seconds: 'mean',
  nodejs_eventloop_lag_stddev_seconds: 'max',
  nodejs_eventloop_lag_p50_seconds: 'max',
  nodejs_eventloop_lag_p90_seconds: 'max',
  nodejs_eventloop_lag_p99_seconds: 'max',
  nodejs_eventloop_utilization: 'mean',
  // A worker registry's collector health (promkit_collector_*, renamed): failing anywhere, slowest anywhere.
  promkit_cluster_worker_collector_success: 'min',
  promkit_cluster_worker_collector_duration_seconds: 'max',
};
