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
   * The active trace context when it is sampled, else `undefined`, or {@link NOT_TRACING}
   * when no trace can be active before the next window (tracing is not set up). Called on
   * records of an instrument that takes automatic exemplars while its series' window is
   * open: it must not read the clock nor allocate.
   */
  sampledContext(): C | undefined | typeof NOT_TRACING;
  /** The exemplar labels of `context`, or `undefined` when it cannot be exposed (malformed ids). */
  labelsOf(context: C): LabelSet | undefined;
  /** Wall-clock milliseconds since the epoch: the exemplar's timestamp and the bucket retention's clock. */
  now(): number;
  /** How long, in milliseconds, a histogram bucket keeps its exemplar against an automatic one. */
  readonly bucketRetentionMs: number;
}

/**
 * What {@link ExemplarSource.sampledContext} answers when tracing is not set up: the series'
 * window closes as if it had taken an exemplar, so that its next records in the window cost
 * one comparison, not another question to the source.
 *
 * @internal
 */
export const NOT_TRACING: unique symbol = Symbol('promkit.notTracing');

/**
 * The installed source. `undefined` (no tracing library) leaves recording with one
 * comparison more than it had before exemplars were automatic.
 *
 * @internal
 */
export let exemplarSource: ExemplarSource | undefined = undefined;

/**
 * The rate limit's window: a series takes at most one automatic exemplar per window, and
 * the source's timer opens a new one every interval. Comparing a series' last window with
 * this number is all a rate-limited record costs: no clock read, no trace lookup (the
 * design of client_java's exemplar sampler, whose timer re-opens a flag).
 *
 * @internal
 */
export let exemplarWindow = 0;

const sourceListeners: ((installed: boolean) => void)[] = [];

/**
 * Calls `listener` now and whenever a source comes or goes, with whether one is installed:
 * for an instrument that records through another method while one is.
 *
 * @internal
 */
export function onExemplarSourceChange(listener: (installed: boolean) => void): void {
  sourceListeners.push(listener);
  listener(exemplarSource !== undefined);
}

/**
 * Installs `source` for every instrument of the process, or removes it (`undefined`); a new
 * window opens, so that new settings apply at once.
 *
 * @internal Called by `src/opentelemetry/`.
 */
export function installExemplarSource(source: ExemplarSource | undefined): void {
  const changed = (exemplarSource === undefined) !== (source === undefined);
  exemplarSource = source;
  exemplarWindow++;
  if (changed) for (const listener of sourceListeners) listener(source !== undefined);
}

/**
 * The window in which the source last answered {@link NOT_TRACING}: no trace can be active
 * before the next one, so records skip the source until then. Kept here, once, rather than
 * in every series, for instruments whose series keep no window of their own.
 */
export let notTracingWindow = -1;

/** Notes a {@link NOT_TRACING} answer for the current window (see {@link notTracingWindow}). */
export function markNotTracing(): void {
  notTracingWindow = exemplarWindow;
}

/**
 * Opens the next window of the rate limit.
 *
 * @internal Called by the installed source's timer.
 */
export function openExemplarWindow(): void {
  exemplarWindow++;
}

/**
 * The automatic exemplar of a record of `value` made now, or `undefined` when no sampled
 * trace is active or the bucket's exemplar is younger than the source's retention
 * (`bucketLastMs`; `-Infinity` for none), or {@link NOT_TRACING}. The caller has checked the window. The clock is
 * read only once a sampled trace is known to be active, and the labels are built only once
 * the exemplar is let through.
 *
 * @internal Called by `Counter` and `Histogram` series.
 */
export function sampleExemplar(source: ExemplarSource, value: number, bucketLastMs: number): Exemplar | undefined | typeof NOT_TRACING {
  const context = source.sampledContext();
  if (context === undefined || context === NOT_TRACING) return context;
  const now = source.now();
  const age = now - bucketLastMs;
  // A negative age means the wall clock was set back: the retention does not hold the bucket until it catches up.
  if (age >= 0 && age < source.bucketRetentionMs) return undefined;
  const labels = source.labelsOf(context);
  return labels === undefined ? undefined : Object.freeze({ labels, value, timestamp: now / 1000 });
}

/** When `exemplar` was taken, in milliseconds (`-Infinity` for none): what the bucket retention compares. */
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
