/** Label name -> label value, as written into the exposition (values are already strings). */
export type LabelSet = Readonly<Record<string, string>>;

/**
 * An exemplar: a reference (usually a trace id) attached to one sample of a counter or
 * histogram bucket. Only OpenMetrics carries exemplars; the 0.0.4 encoder drops them.
 */
export interface Exemplar {
  /** The exemplar's labels, e.g. `{ trace_id: 'abc' }`; together at most 128 UTF-8 characters. */
  readonly labels: LabelSet;
  /** The observed value the exemplar stands for. */
  readonly value: number;
  /** When it was observed, in seconds since the Unix epoch (may be fractional). */
  readonly timestamp?: number;
}

/**
 * One line of the exposition: a full sample name (`c_total`, `h_bucket`, `s_count`),
 * its labels (including `le`, `quantile` or the stateset's own label), and a value.
 */
export interface Sample {
  /** The sample name as exposed, with its suffix: `c_total`, `h_bucket`, `i_info`. */
  readonly name: string;
  /** The sample's labels, in the order they are to be written. */
  readonly labels: LabelSet;
  /** The value; may be `Infinity`, `-Infinity` or `NaN`. */
  readonly value: number;
  /**
   * When the value was observed, in seconds since the Unix epoch. Rarely wanted: Prometheus
   * stamps scrapes itself. The 0.0.4 encoder writes milliseconds, OpenMetrics seconds.
   */
  readonly timestamp?: number;
  /** An optional exemplar (OpenMetrics only). */
  readonly exemplar?: Exemplar;
}
