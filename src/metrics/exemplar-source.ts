import { InvalidOptionsError } from '../model/index.js';
import type { Exemplar, LabelSet } from '../model/index.js';

/**
 * Where the exemplars of records made without exemplar labels come from: the active trace.
 * The instruments know only this contract; `src/opentelemetry/` implements it with
 * OpenTelemetry and installs it with {@link installExemplarSource}, so that the core never
 * loads a tracing library.
 *
 * @typeParam C - the trace context the source hands back to itself.
 * @internal
 */
export interface ExemplarSource<C = unknown> {
  /**
   * The active trace context when it is sampled, else `undefined`. Called on every record
   * of an instrument that takes automatic exemplars: it must not read the clock nor allocate.
   */
  sampledContext(): C | undefined;
  /** The exemplar labels of `context`, or `undefined` when it cannot be exposed (malformed ids). */
  labelsOf(context: C): LabelSet | undefined;
  /** Wall-clock milliseconds since the epoch: the rate limit's clock and the exemplar's timestamp. */
  now(): number;
  /** The least time, in milliseconds, between two automatic exemplars of one series. */
  readonly intervalMs: number;
  /** How long, in milliseconds, a histogram bucket keeps its exemplar against an automatic one. */
  readonly bucketRetentionMs: number;
}

/**
 * The installed source. `undefined` (no tracing library) leaves recording with one
 * comparison more than it had before exemplars were automatic.
 *
 * @internal
 */
export let exemplarSource: ExemplarSource | undefined = undefined;

/**
 * Installs `source` for every instrument of the process, or removes it (`undefined`).
 *
 * @internal Called by `src/opentelemetry/`.
 */
export function installExemplarSource(source: ExemplarSource | undefined): void {
  exemplarSource = source;
}

/**
 * The automatic exemplar of a record of `value` made now, or `undefined` when no sampled
 * trace is active or the rate limit says no: the series got an exemplar less than
 * `intervalMs` ago (`seriesLastMs`), or the bucket's exemplar is younger than
 * `bucketRetentionMs` (`bucketLastMs`). The clock is read only once a sampled trace is
 * known to be active, and the labels are built only once the exemplar is let through.
 *
 * @internal Called by `Counter` and `Histogram` series.
 */
export function sampleExemplar(source: ExemplarSource, value: number, seriesLastMs: number, bucketLastMs: number): Exemplar | undefined {
  const context = source.sampledContext();
  if (context === undefined) return undefined;
  const now = source.now();
  if (isRecent(now - seriesLastMs, source.intervalMs) || isRecent(now - bucketLastMs, source.bucketRetentionMs)) return undefined;
  const labels = source.labelsOf(context);
  return labels === undefined ? undefined : Object.freeze({ labels, value, timestamp: now / 1000 });
}

/** Whether an age is under `limit`; a negative age (the wall clock was set back) is not, so exemplars do not stop until the clock catches up. */
function isRecent(ageMs: number, limitMs: number): boolean {
  return ageMs >= 0 && ageMs < limitMs;
}

/** When `exemplar` was taken, in milliseconds (`-Infinity` for none): what the rate limit compares. */
export function exemplarMillis(exemplar: Exemplar | undefined): number {
  return exemplar === undefined || exemplar.timestamp === undefined ? -Infinity : exemplar.timestamp * 1000;
}

/**
 * An instrument's `exemplars` option: whether its records take automatic exemplars.
 *
 * @internal
 */
export function traceExemplarsOption(metric: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new InvalidOptionsError(metric, `exemplars must be true or false, got ${typeof value}`);
  return value;
}
