/** Why a collector was left out of a scrape. */
export type CollectorFailureReason = 'error' | 'timeout' | 'duplicate' | 'invalid';

/** A collector that was left out of one scrape; the rest of the scrape was served. */
export interface CollectorFailure {
  /** The collector's name (its `collectorName`, or its class / metric name). */
  readonly collector: string;
  /** `error`: it threw or rejected; `timeout`: it did not answer in time; `duplicate`: it exposed a name another collector already exposed; `invalid`: it returned something that is not a list of families, or a family that breaks the exposition rules (an `InvalidFamilyError`; its valid families were served). */
  readonly reason: CollectorFailureReason;
  /** The thrown value, or an `Error` describing the timeout, duplicate or invalid family. */
  readonly error: unknown;
}
