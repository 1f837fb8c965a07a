import type { MetricDescriptor, MetricFamily } from '../model/index.js';
import type { CollectSteps } from './collect-steps.js';
import type { SeriesLimits } from './series-limits.js';

/**
 * What an instrument must offer to be registered: a structural twin of the registry's
 * `Collector`, declared here because `metrics/` does not import `registry/` (layers only
 * import downwards).
 */
export interface RegistrableInstrument {
  /**
   * The instrument's families now. Synchronous for every instrument except a `Gauge` whose
   * `collect` option is an async callback: that one returns a Promise (the registry awaits
   * both forms, as it does for a `Collector`).
   */
  collect(): MetricFamily[] | Promise<MetricFamily[]>;
  /**
   * The same collection as {@link collect}, in steps a scrape can spread over event-loop
   * turns (see {@link CollectSteps}); `undefined` when this instrument collects in one go
   * (e.g. a `Gauge` with a `collect` callback, which must run first).
   */
  collectSteps?(): CollectSteps | undefined;
  describe(): MetricDescriptor[];
  /** Drops every series (an unlabelled instrument starts over at zero). */
  reset(): void;
  /** Takes a registry's default series limits, for each limit the instrument's own options leave out. */
  adoptSeriesLimits?(defaults: SeriesLimits): void;
  /** Records folded into the overflow series past `maxSeries`; `undefined` without a limit. */
  readonly seriesOverflow?: number | undefined;
}

/**
 * Where an instrument registers itself: a `Registry`. `register` returns the instrument
 * in effect: the one passed, or an already registered instrument with the very same
 * definition (get-or-create); it throws on a conflicting definition.
 */
export interface InstrumentRegistrar {
  register<T extends RegistrableInstrument>(instrument: T): T;
}

let defaultRegistrar: InstrumentRegistrar | undefined;

/**
 * Installs the registrar that instruments constructed without a `registry` option join.
 * The registry layer calls this once with the default registry when it is loaded; the
 * indirection keeps `metrics/` free of imports from `registry/`.
 */
export function setDefaultRegistrar(registrar: InstrumentRegistrar | undefined): void {
  defaultRegistrar = registrar;
}

/** The registrar installed by {@link setDefaultRegistrar}, if any. */
export function getDefaultRegistrar(): InstrumentRegistrar | undefined {
  return defaultRegistrar;
}
