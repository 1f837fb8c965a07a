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
   * The active trace context when it is sampled, else `undefined` (also when tracing was
   * shut down since the last probe). Called on records of an instrument that takes automatic
   * exemplars while tracing is set up, at most once per series and probe (see
   * {@link EXEMPLAR_PROBES_PER_WINDOW}) while the series has no exemplar of the window: it
   * must not read the clock nor allocate.
   */
  sampledContext(): C | undefined;
  /** The exemplar labels of `context`, or `undefined` when it cannot be exposed (malformed ids). */
  labelsOf(context: C): LabelSet | undefined;
  /**
   * Whether a trace can be active at all (tracing is set up). Asked when the source is
   * installed and at every probe; while it answers `false`, counters record without looking
   * for a trace. Must be cheap: it runs on the probe timer.
   */
  tracing(): boolean;
  /** Wall-clock milliseconds since the epoch: the exemplar's timestamp and the bucket retention's clock. */
  now(): number;
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
 * How often, per window of the rate limit, a series that found no sampled span asks the
 * source again. Asking means finding the active context, which costs far more than the
 * record itself, so a series asks at most once per probe: after a miss it waits for the
 * source's timer to open the next probe, and records in between cost one comparison. A
 * sampled span is therefore noticed at its series' first record after the next probe at
 * the latest (an eighth of the interval), and a series whose records are only partly inside
 * sampled spans gets an exemplar in a window unless all of its probes fall outside them.
 * The cost of recording outside any span is bounded by time, not by the record rate.
 *
 * @internal
 */
export const EXEMPLAR_PROBES_PER_WINDOW = 8;

/**
 * The probes of a window of `intervalMs` milliseconds: {@link EXEMPLAR_PROBES_PER_WINDOW},
 * fewer for intervals so short that the probes would come more than once a millisecond.
 *
 * @internal
 */
export function exemplarProbesFor(intervalMs: number): number {
  return Math.max(1, Math.min(EXEMPLAR_PROBES_PER_WINDOW, Math.floor(intervalMs)));
}

let probesPerWindow = 1;

/**
 * The rate limit's clock, counted in probes: the installed source's timer opens the next
 * probe {@link exemplarProbesFor} times per interval, and every that many probes a new
 * window. A series keeps the last probe through which it must not ask the source; comparing
 * that with this number is all a rate-limited record costs: no clock read, no trace lookup
 * (the design of client_java's exemplar sampler, whose timer re-opens a flag). A small
 * integer for years of ticking, so the series' field stays one.
 *
 * @internal
 */
export let exemplarProbe = 0;

/**
 * The last probe of the current window: a series that got an exemplar (of either kind) is
 * closed through it.
 *
 * @internal
 */
export let exemplarWindowEnd = 0;

const tracingListeners: ((tracing: boolean) => void)[] = [];

/**
 * Whether a source is installed and tracing is set up (as of the last probe): what
 * {@link onTracingChange} reports, and the one flag a histogram record reads before it
 * looks any further.
 *
 * @internal
 */
export let tracingActive = false;

/**
 * Calls `listener` now and whenever that changes, with whether a source is installed and
 * tracing is set up: for an instrument that records through another method while it is.
 * A change made by the application (a tracer provider registered or shut down) is seen at
 * the next probe.
 *
 * @internal
 */
export function onTracingChange(listener: (tracing: boolean) => void): void {
  tracingListeners.push(listener);
  listener(tracingActive);
}

/** Asks the installed source whether tracing is set up, and tells the listeners when that changed. */
function checkTracing(): void {
  const tracing = exemplarSource !== undefined && exemplarSource.tracing();
  if (tracing === tracingActive) return;
  tracingActive = tracing;
  for (const listener of tracingListeners) listener(tracing);
}

/** Starts a new window of `probesPerWindow` probes, after the last one of the current window. */
function openWindow(): void {
  exemplarProbe = exemplarWindowEnd + 1;
  exemplarWindowEnd = exemplarProbe + probesPerWindow - 1;
}

/**
 * Installs `source` for every instrument of the process, or removes it (`undefined`), with
 * `probes` probes per window (see {@link exemplarProbesFor}); a new window opens, so that
 * new settings apply at once.
 *
 * @internal Called by `src/opentelemetry/`.
 */
export function installExemplarSource(source: ExemplarSource | undefined, probes = 1): void {
  exemplarSource = source;
  probesPerWindow = probes;
  openWindow();
  checkTracing();
}

/**
 * Opens the next probe, and every {@link exemplarProbesFor} probes the next window of the
 * rate limit; looks again whether tracing is set up.
 *
 * @internal Called by the installed source's timer.
 */
export function openExemplarProbe(): void {
  if (exemplarProbe >= exemplarWindowEnd) openWindow();
  else exemplarProbe++;
  checkTracing();
}

/**
 * What {@link sampleExemplar} answers when no sampled span is active: the series skips the
 * source until the next probe.
 *
 * @internal
 */
export const NO_SAMPLED_SPAN: unique symbol = Symbol('promkit.noSampledSpan');

/**
 * The automatic exemplar of a record of `value` made now; {@link NO_SAMPLED_SPAN} when no
 * sampled trace is active; `undefined` when one is
 * but the bucket's exemplar is younger than the source's retention (`bucketLastMs`;
 * `-Infinity` for none) or the span's ids cannot be exposed. The caller has checked its
 * probe. The clock is read only once a sampled trace is known to be active, and the labels
 * are built only once the exemplar is let through.
 *
 * @internal Called by `Counter` and `Histogram` series.
 */
export function sampleExemplar(source: ExemplarSource, value: number, bucketLastMs: number): Exemplar | undefined | typeof NO_SAMPLED_SPAN {
  const context = source.sampledContext();
  if (context === undefined) return NO_SAMPLED_SPAN;
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
