import type { MetricType } from './metric-type.js';
import type { Sample } from './sample.js';

/**
 * A metric family: the unit of data that every collector hands to the encoders, and the
 * heart of the split between *what a collector yields* and *the instruments a program
 * records into* (client_python's `Metric`).
 *
 * `name` is the OpenMetrics family name: without `_total` for counters and without `_info`
 * for info metrics; the samples carry the full names (`c_total`, `c_created`, `i_info`).
 */
export interface MetricFamily {
  /** Family name, e.g. `http_requests` for a counter exposed as `http_requests_total`. */
  readonly name: string;
  /** The OpenMetrics type. */
  readonly type: MetricType;
  /** The HELP text (any unicode; the encoders escape it). */
  readonly help: string;
  /** The unit (`seconds`, `bytes`), or `''`. When set, `name` ends with `_<unit>`. */
  readonly unit: string;
  /** The samples, in exposition order. */
  readonly samples: readonly Sample[];
}

/** What a collector promises to expose, so name collisions are caught at registration. */
export interface MetricDescriptor {
  /** Family name (as in {@link MetricFamily.name}). */
  readonly name: string;
  /** The OpenMetrics type. */
  readonly type: MetricType;
}
