import { createRequire } from 'node:module';
import { InvalidOptionsError } from '../model/index.js';
import { exemplarProbesFor, exemplarSource, installExemplarSource, openExemplarProbe } from '../metrics/exemplar-source.js';
import { SYSTEM_CLOCK, type ExemplarClock } from './exemplar-clock.js';
import { SpanExemplarSource, type TraceApi } from './span-exemplar-source.js';

/**
 * How counters and histograms take exemplars from the active OpenTelemetry span; every
 * field is optional and keeps its current value when left out.
 */
export interface TraceExemplarOptions {
  /**
   * `false` turns automatic exemplars off for the whole process (explicit exemplar labels
   * still work); `true` turns them back on. Default `true`: on whenever `@opentelemetry/api`
   * can be loaded.
   */
  readonly enabled?: boolean;
  /**
   * The rate limit, in milliseconds: a series takes at most one automatic exemplar per
   * interval (a timer opens the next one; records in between keep the series' exemplar as
   * it is, at the cost of one comparison). A series that finds no sampled span looks again
   * only after the timer's next tick, eight per interval (fewer below 8 ms), so that records
   * outside spans cost a comparison too: a span is noticed at the series' first record
   * after that tick at the latest. From 1 to 2147483647; default 1000.
   */
  readonly interval?: number;
  /**
   * How long a histogram bucket keeps its exemplar before an automatic one may replace it,
   * in milliseconds, so that the frequent buckets do not take every exemplar and the rare
   * ones (the slow requests) keep theirs. Default 10000.
   */
  readonly bucketRetention?: number;
  /** The wall clock and the interval's timer (default `Date.now` and `setInterval`). Meant for tests. */
  readonly clock?: ExemplarClock;
}

interface Settings {
  enabled: boolean;
  interval: number;
  bucketRetention: number;
  clock: ExemplarClock;
}

const settings: Settings = { enabled: true, interval: 1000, bucketRetention: 10_000, clock: SYSTEM_CLOCK };

/** The largest delay `setInterval` takes. */
const MAX_INTERVAL = 2 ** 31 - 1;

/** Stops the installed source's interval timer. */
let stopTimer: (() => void) | undefined = undefined;

/** The loaded API; `null` once it turned out to be missing. */
let loadedApi: TraceApi | null | undefined = undefined;

/**
 * `@opentelemetry/api`, loaded synchronously the first time it is asked for, resolved from
 * this package as the application's own import would be. Missing is normal (an optional
 * peer); any other failure is reported once and leaves exemplars off.
 */
function traceApi(): TraceApi | undefined {
  if (loadedApi === undefined) {
    try {
      loadedApi = createRequire(import.meta.url)('@opentelemetry/api') as TraceApi;
    } catch (error) {
      loadedApi = null;
      if ((error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') {
        process.emitWarning(`promkit could not load @opentelemetry/api, so no exemplars from traces: ${error instanceof Error ? error.message : String(error)}`, 'PromkitWarning');
      }
    }
  }
  return loadedApi ?? undefined;
}

function checkMilliseconds(name: string, value: unknown, min: number): void {
  if (value !== undefined && (typeof value !== 'number' || !(value >= min && value <= MAX_INTERVAL))) {
    throw new InvalidOptionsError(undefined, `trace exemplars: ${name} must be a number of milliseconds from ${min} to ${MAX_INTERVAL}, got ${String(value)}`);
  }
}

function isClock(value: unknown): value is ExemplarClock {
  return typeof value === 'object' && value !== null && typeof (value as ExemplarClock).now === 'function' && typeof (value as ExemplarClock).every === 'function';
}

/**
 * Changes how counters and histograms take exemplars from the active OpenTelemetry span,
 * for every instrument of the process. The options are checked first
 * (`InvalidOptionsError`), so a rejected call changes nothing.
 *
 * Importing `promkit` turns these exemplars on by itself when `@opentelemetry/api` is
 * installed; this function tunes them or turns them off. Records look for spans only while
 * tracing is set up (a context manager registered), which the exemplar timer checks at every
 * tick and this function at once: call it after starting tracing to have exemplars from the
 * first span rather than from the next tick.
 *
 * @example
 * ```ts
 * import { configureTraceExemplars } from 'promkit/opentelemetry';
 * configureTraceExemplars({ interval: 5000 }); // at most one new exemplar per series every 5 s
 * configureTraceExemplars({ enabled: false }); // none at all
 * ```
 */
export function configureTraceExemplars(options: TraceExemplarOptions = {}): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError(undefined, 'trace exemplars take an options object');
  const { enabled, interval, bucketRetention, clock } = options;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw new InvalidOptionsError(undefined, `trace exemplars: enabled must be true or false, got ${typeof enabled}`);
  checkMilliseconds('interval', interval, 1);
  checkMilliseconds('bucketRetention', bucketRetention, 0);
  if (clock !== undefined && !isClock(clock)) throw new InvalidOptionsError(undefined, 'trace exemplars: clock must have now() and every(intervalMs, tick)');
  settings.enabled = enabled ?? settings.enabled;
  settings.interval = interval ?? settings.interval;
  settings.bucketRetention = bucketRetention ?? settings.bucketRetention;
  settings.clock = clock ?? settings.clock;
  stopTimer?.();
  stopTimer = undefined;
  const api = settings.enabled ? traceApi() : undefined;
  if (api === undefined) {
    installExemplarSource(undefined);
    return;
  }
  const probes = exemplarProbesFor(settings.interval);
  installExemplarSource(new SpanExemplarSource(api, settings.bucketRetention, settings.clock), probes);
  stopTimer = settings.clock.every(settings.interval / probes, openExemplarProbe);
}

/**
 * Whether counters and histograms take exemplars from the active OpenTelemetry span now:
 * enabled, and `@opentelemetry/api` loaded.
 */
export function traceExemplarsActive(): boolean {
  return exemplarSource !== undefined;
}
