import { createRequire } from 'node:module';
import { InvalidOptionsError } from '../model/index.js';
import { exemplarSource, installExemplarSource } from '../metrics/exemplar-source.js';
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
   * The least time between two automatic exemplars of one series, in milliseconds. Records
   * in between keep the series' exemplar as it is. Default 1000.
   */
  readonly interval?: number;
  /**
   * How long a histogram bucket keeps its exemplar before an automatic one may replace it,
   * in milliseconds, so that the frequent buckets do not take every exemplar and the rare
   * ones (the slow requests) keep theirs. Default 10000.
   */
  readonly bucketRetention?: number;
  /**
   * The wall clock, in milliseconds since the epoch (default `Date.now`): the rate limit's
   * clock and the exemplars' timestamps. Meant for tests.
   */
  readonly clock?: () => number;
}

interface Settings {
  enabled: boolean;
  interval: number;
  bucketRetention: number;
  clock: () => number;
}

const settings: Settings = { enabled: true, interval: 1000, bucketRetention: 10_000, clock: Date.now };

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

function checkMilliseconds(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
    throw new InvalidOptionsError(undefined, `trace exemplars: ${name} must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
}

/**
 * Changes how counters and histograms take exemplars from the active OpenTelemetry span,
 * for every instrument of the process. The options are checked first
 * (`InvalidOptionsError`), so a rejected call changes nothing.
 *
 * Importing `promkit` turns these exemplars on by itself when `@opentelemetry/api` is
 * installed; this function tunes them or turns them off.
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
  checkMilliseconds('interval', interval);
  checkMilliseconds('bucketRetention', bucketRetention);
  if (clock !== undefined && typeof clock !== 'function') throw new InvalidOptionsError(undefined, `trace exemplars: clock must be a function, got ${typeof clock}`);
  settings.enabled = enabled ?? settings.enabled;
  settings.interval = interval ?? settings.interval;
  settings.bucketRetention = bucketRetention ?? settings.bucketRetention;
  settings.clock = clock ?? settings.clock;
  const api = settings.enabled ? traceApi() : undefined;
  installExemplarSource(api === undefined ? undefined : new SpanExemplarSource(api, settings.interval, settings.bucketRetention, settings.clock));
}

/**
 * Whether counters and histograms take exemplars from the active OpenTelemetry span now:
 * enabled, and `@opentelemetry/api` loaded.
 */
export function traceExemplarsActive(): boolean {
  return exemplarSource !== undefined;
}
