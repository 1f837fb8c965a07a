import {
  DuplicateMetricError,
  acceptFamilySteps,
  familyProblemSteps,
  InvalidFamilyError,
  InvalidOptionsError,
  restrictFamilies,
  sampleNamesOf,
  toWellFormedText,
  validateConstantLabels,
  validateMetricName,
  type MetricDescriptor,
  type MetricFamily,
  type Sample,
} from '../model/index.js';
import { ColumnFamily } from '../model/column-family.js';
import { isVouchedFamily, vouchForFamily } from '../model/vouched-families.js';
import type { InstrumentRegistrar, RegistrableInstrument } from '../metrics/registrar.js';
import { checkedSeriesLimits, type SeriesLimits } from '../metrics/series-limits.js';
import type { CollectSteps } from '../metrics/collect-steps.js';
import type { Collector } from './collector.js';
import { CollectTurns, DEFAULT_SLICE_MILLISECONDS } from './collect-turns.js';
import type { CollectorFailure, CollectorFailureReason } from './collector-failure.js';

/** Anything a registry holds: an instrument, or a custom {@link Collector}. */
export type Registrable = Collector | RegistrableInstrument;

/**
 * Options of a {@link Registry}. `maxSeries` and `seriesTtlSeconds` (see {@link SeriesLimits})
 * are defaults for the labelled instruments registered here whose own options leave them out.
 */
export interface RegistryOptions extends SeriesLimits {
  /**
   * Labels added to every sample of every family at collect time (a sample's own label
   * of the same name wins). Names must be legal label names, not `__*`, `le` or
   * `quantile` (`InvalidLabelNameError` / `ReservedLabelNameError` when the registry is created).
   */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Whether counters, histograms and summaries expose `_created` samples. Default `true`. */
  readonly created?: boolean;
  /** How long one scrape waits for an async collector before leaving it out. Default 10 s. */
  readonly collectorTimeoutSeconds?: number;
  /**
   * How long a scrape collects the instruments before it lets other work run for a turn of
   * the event loop (then it goes on where it stopped), in milliseconds. Default `10`. A
   * registry of millions of series is then collected in short stretches, and requests and
   * timers are not held up for the whole collection; lower it for a more responsive loop at
   * some cost in scrape time. Each series is read whole in one stretch; a series created
   * while a scrape is under way shows from the next scrape.
   */
  readonly collectSliceMilliseconds?: number;
  /**
   * Told of every collector left out of a scrape. By default a process warning is emitted
   * once when a collector starts failing (not on every scrape) and again after it recovers.
   */
  readonly onCollectorError?: (failure: CollectorFailure) => void;
}

/** Options of one {@link Registry.collect} call. */
export interface CollectOptions {
  /** Prometheus's `name[]` selection: only samples with these names (all when empty). */
  readonly names?: readonly string[];
  /** Overrides the registry's `collectorTimeoutSeconds` for this scrape. */
  readonly timeoutSeconds?: number;
  /**
   * The scraper's own timeout (Prometheus sends it as `X-Prometheus-Scrape-Timeout-Seconds`).
   * Collectors then get a bit less — half a second less, or half of it for short timeouts —
   * so the answer, without the laggards, reaches the scraper before it gives up. It only
   * ever shortens the collector timeout, never lengthens a stricter one.
   */
  readonly scrapeTimeoutSeconds?: number;
  /** Aborts waiting for async collectors (e.g. the scraper hung up). */
  readonly signal?: AbortSignal;
}

/** What one {@link Registry.collect} call produced. */
export interface CollectResult {
  /** The families, in registration order, then the registry's own `promkit_collector_*` families. */
  readonly families: MetricFamily[];
  /** The collectors left out of this scrape, and why. */
  readonly failures: CollectorFailure[];
}

/** Family names the registry keeps for its own metrics about custom collectors. */
const SUCCESS_FAMILY = 'promkit_collector_success';
const DURATION_FAMILY = 'promkit_collector_duration_seconds';
const OVERFLOW_FAMILY = 'promkit_series_overflow';
const RESERVED_SAMPLE_NAMES = new Set([SUCCESS_FAMILY, DURATION_FAMILY, `${OVERFLOW_FAMILY}_total`, `${OVERFLOW_FAMILY}_created`, OVERFLOW_FAMILY]);

/** Raised (as a failure value, never thrown to the caller) when a collector runs out of time. */
export class CollectorTimeoutError extends Error {
  constructor(collector: string, seconds: number) {
    super(`collector "${collector}" did not answer within ${seconds} s`);
    this.name = 'CollectorTimeoutError';
  }
}

interface InstrumentLike extends RegistrableInstrument {
  readonly name: string;
  readonly type: string;
  definitionConflict(other: never): string | undefined;
}

function isInstrument(c: Registrable): c is InstrumentLike {
  return typeof (c as Partial<InstrumentLike>).definitionConflict === 'function';
}

function isThenable<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/**
 * What a collector returned, as an array: any iterable object will do. Anything else (null,
 * a number, a string) is an {@link InvalidFamilyError}; an iterable that throws throws here,
 * so that either way the collector is left out instead of the scrape.
 */
function familyList(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (typeof result !== 'object' || result === null || typeof (result as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new InvalidFamilyError(undefined, `collect() must return an iterable of families (or a Promise of one), got ${result === null ? 'null' : typeof result}`);
  }
  return [...(result as Iterable<unknown>)];
}

/** Why a collection failed: a malformed result, or the collector's own error. */
function reasonOf(error: unknown): CollectorFailureReason {
  return error instanceof InvalidFamilyError ? 'invalid' : 'error';
}

/** How many distinct failure messages of one collector are warned about before it recovers. */
const MAX_WARNINGS_PER_COLLECTOR = 16;

/** One async collection of one collector, shared by every scrape that asks while it runs. */
interface Flight {
  readonly promise: Promise<unknown[]>;
  readonly controller: AbortController;
  readonly started: number;
  waiters: number;
}

/** An instrument to collect in steps, and where its outcome goes. */
interface Stepwise {
  readonly index: number;
  readonly entry: Entry;
  readonly steps: CollectSteps;
}

/** What one collector contributed to one scrape. */
interface Outcome {
  /** As the collector returned them: checked when the scrape is assembled. */
  families: readonly unknown[] | undefined;
  failure: CollectorFailure | undefined;
  seconds: number;
}

class Entry {
  flight: Flight | undefined;
  failing = false;
  /** The failure messages warned about since the collector last answered cleanly. */
  warned: Set<string> | undefined = undefined;

  constructor(
    readonly collector: Registrable,
    readonly instrument: boolean,
    readonly label: string,
    readonly familyNames: readonly string[],
    readonly sampleNames: readonly string[],
  ) {}
}

/**
 * A set of collectors (instruments and custom exporters) that is scraped as one.
 *
 * - **Collisions** are suffix-aware and caught at registration: a counter `x` (exposing
 *   `x_total` and `x_created`) and a gauge `x_total` cannot both be registered.
 * - **Get-or-create**: registering an instrument whose definition equals a registered one
 *   returns the registered one (hot reload, DI), so constructing the same metric twice is
 *   harmless; a different definition under the same name throws {@link DuplicateMetricError}.
 * - **Failure isolation**: at scrape time, async collectors run concurrently, each under a
 *   timeout; one that throws, rejects or times out is left out and reported, the rest is
 *   served. Custom collectors are reported in `promkit_collector_success{collector}` and
 *   `promkit_collector_duration_seconds{collector}`, like node_exporter's
 *   `node_scrape_collector_*`. Two scrapes at once share one in-flight collection.
 *
 * @example
 * ```ts
 * const registry = new Registry({ defaultLabels: { service: 'orders' } });
 * const requests = new Counter({ name: 'http_requests', help: 'Requests.', registry });
 * const { families } = await registry.collect();
 * ```
 */
export class Registry implements InstrumentRegistrar {
  private readonly entries = new Map<Registrable, Entry>();
  private readonly bySampleName = new Map<string, Entry>();
  private readonly byFamilyName = new Map<string, Entry>();
  private defaultLabels: Readonly<Record<string, string>> | undefined;
  private readonly created: boolean;
  private readonly timeoutSeconds: number;
  private readonly sliceMilliseconds: number;
  private readonly onCollectorError: (failure: CollectorFailure, entry: Entry) => void;
  private readonly seriesLimits: SeriesLimits | undefined;

  constructor(options: RegistryOptions = {}) {
    const limits = checkedSeriesLimits(undefined, options);
    this.seriesLimits = limits.maxSeries === undefined && limits.seriesTtlSeconds === undefined ? undefined : limits;
    if (options.defaultLabels !== undefined) this.setDefaultLabels(options.defaultLabels);
    this.created = options.created ?? true;
    const timeout = options.collectorTimeoutSeconds ?? 10;
    if (!(timeout > 0)) throw new InvalidOptionsError(undefined, `collectorTimeoutSeconds must be > 0, got ${timeout}`);
    this.timeoutSeconds = timeout;
    const slice = options.collectSliceMilliseconds ?? DEFAULT_SLICE_MILLISECONDS;
    if (!(slice >= 0 && slice < Infinity)) throw new InvalidOptionsError(undefined, `collectSliceMilliseconds must be a finite number >= 0, got ${slice}`);
    this.sliceMilliseconds = slice;
    const custom = options.onCollectorError;
    this.onCollectorError = custom !== undefined ? (failure) => custom(failure) : warnOnce;
  }

  /**
   * Registers an instrument or a collector and returns the one in effect: the argument, or,
   * for an instrument whose definition equals an already registered one, that instrument.
   *
   * @throws {@link DuplicateMetricError} when a name it exposes is already exposed by another
   *   collector, or an instrument of the same name has a different definition.
   */
  register<T extends Registrable>(collector: T): T {
    if (this.entries.has(collector)) return collector;
    if (isInstrument(collector)) {
      const existing = this.byFamilyName.get(collector.name);
      if (existing !== undefined && isInstrument(existing.collector)) {
        const conflict = existing.collector.definitionConflict(collector as never);
        if (conflict === undefined) return existing.collector as unknown as T;
        throw new DuplicateMetricError(collector.name, `a different definition is registered (${conflict})`);
      }
    }
    const descriptors = [...(collector.describe?.() ?? [])];
    const familyNames: string[] = [];
    const sampleNames: string[] = [];
    const label = this.uniqueLabel(toWellFormedText(collectorLabel(collector, descriptors)));
    for (const d of descriptors) {
      validateMetricName(d.name);
      familyNames.push(d.name);
      for (const sampleName of sampleNamesOf(d.type, d.name)) {
        const owner = this.bySampleName.get(sampleName);
        if (owner !== undefined || sampleNames.includes(sampleName)) {
          throw new DuplicateMetricError(
            d.name,
            `the sample name "${sampleName}" of this ${d.type} is already exposed by ${owner === undefined ? 'another family of the same collector' : `"${owner.label}"`}`,
          );
        }
        if (RESERVED_SAMPLE_NAMES.has(sampleName)) {
          throw new DuplicateMetricError(d.name, `"${sampleName}" is reserved for the registry's own collector metrics`);
        }
        sampleNames.push(sampleName);
      }
    }
    if (this.seriesLimits !== undefined && isInstrument(collector)) collector.adoptSeriesLimits?.(this.seriesLimits);
    const entry = new Entry(collector, isInstrument(collector), label, familyNames, sampleNames);
    this.entries.set(collector, entry);
    for (const n of sampleNames) this.bySampleName.set(n, entry);
    for (const n of familyNames) this.byFamilyName.set(n, entry);
    return collector;
  }

  /** Removes a collector (calling its `close()`); false when it was not registered. */
  unregister(collector: Registrable): boolean {
    const entry = this.entries.get(collector);
    if (entry === undefined) return false;
    this.forget(entry);
    closeQuietly(entry);
    return true;
  }

  /** Removes every collector, calling each one's `close()` (timers and observers stop). */
  clear(): void {
    const entries = [...this.entries.values()];
    for (const entry of entries) this.forget(entry);
    for (const entry of entries) closeQuietly(entry);
  }

  /**
   * Replaces the labels added to every series this registry exposes (a series' own label of
   * the same name wins); `{}` removes them. Takes effect from the next collection.
   *
   * @throws {@link InvalidLabelNameError} for an illegal or reserved (`le`, `quantile`, `__*`)
   *   name, {@link InvalidOptionsError} for a value that is not a string.
   */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    const checked = validateConstantLabels('(Registry defaultLabels)', labels);
    this.defaultLabels = Object.keys(checked).length > 0 ? checked : undefined;
  }

  /**
   * Resets every registered instrument: labelled ones drop their series, unlabelled ones start
   * over at zero. Custom collectors are left alone (they read their values at scrape time).
   */
  resetMetrics(): void {
    for (const entry of this.entries.values()) {
      if (isInstrument(entry.collector)) entry.collector.reset();
    }
  }

  /** The registered instrument or collector exposing the family (or sample) `name`. */
  getMetric(name: string): Registrable | undefined {
    return (this.byFamilyName.get(name) ?? this.bySampleName.get(name))?.collector;
  }

  /** Every registered instrument and collector, in registration order. */
  getCollectors(): Registrable[] {
    return [...this.entries.keys()];
  }

  /**
   * Collects every family for one scrape. Never rejects because of a collector: failed
   * collectors are left out and listed in `failures`.
   */
  async collect(options: CollectOptions = {}): Promise<CollectResult> {
    const names = options.names !== undefined && options.names.length > 0 ? new Set(options.names) : undefined;
    const scraper = options.scrapeTimeoutSeconds;
    const configured = options.timeoutSeconds ?? this.timeoutSeconds;
    const timeoutSeconds = scraper !== undefined && scraper > 0 ? Math.min(configured, Math.max(scraper - 0.5, scraper / 2)) : configured;
    const entries = [...this.entries.values()];
    const outcomes: (Outcome | undefined)[] = new Array(entries.length);
    const pending: Promise<void>[] = [];
    const stepwise: Stepwise[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (names !== undefined && entry.sampleNames.length > 0 && !entry.sampleNames.some((n) => names.has(n))) continue;
      const steps = entry.instrument ? (entry.collector as InstrumentLike).collectSteps?.() : undefined;
      if (steps !== undefined) {
        stepwise.push({ index: i, entry, steps });
        continue;
      }
      const outcome = this.start(entry, timeoutSeconds, options.signal);
      if (isThenable(outcome)) pending.push(outcome.then((o) => void (outcomes[i] = o)));
      else outcomes[i] = outcome;
    }
    const turns = new CollectTurns(this.sliceMilliseconds);
    // The custom collectors' I/O (started above) overlaps the instruments' collection.
    if (stepwise.length > 0) await this.collectStepwise(stepwise, outcomes, turns, options.signal);
    if (pending.length > 0) await Promise.all(pending);
    return this.assemble(entries, outcomes, names, turns);
  }

  /**
   * Collects the instruments one after another, in stretches of `collectSliceMilliseconds`
   * with a turn of the event loop between them (see {@link CollectTurns}). An instrument
   * has no timeout: its collection always ends, and only a scrape that went away stops it.
   */
  private async collectStepwise(stepwise: readonly Stepwise[], outcomes: (Outcome | undefined)[], turns: CollectTurns, signal: AbortSignal | undefined): Promise<void> {
    for (const { index, entry, steps } of stepwise) {
      const started = performance.now();
      try {
        const families = await turns.run(steps, signal);
        outcomes[index] = { families, failure: undefined, seconds: (performance.now() - started) / 1000 };
      } catch (error) {
        outcomes[index] = { families: undefined, failure: failure(entry, reasonOf(error), error), seconds: (performance.now() - started) / 1000 };
      }
    }
  }

  /** Runs one collector: synchronously when it answers synchronously, else as a shared flight. */
  private start(entry: Entry, timeoutSeconds: number, signal: AbortSignal | undefined): Outcome | Promise<Outcome> {
    if (entry.flight !== undefined) return this.join(entry, entry.flight, timeoutSeconds, signal);
    const controller = new AbortController();
    const started = performance.now();
    let result: unknown;
    try {
      result = entry.collector.collect({ signal: controller.signal, timeoutSeconds });
      if (!isThenable(result)) return { families: familyList(result), failure: undefined, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      return { families: undefined, failure: failure(entry, reasonOf(error), error), seconds: (performance.now() - started) / 1000 };
    }
    const flight: Flight = {
      promise: Promise.resolve(result).then(familyList),
      controller,
      started,
      waiters: 0,
    };
    entry.flight = flight;
    const land = (): void => {
      if (entry.flight === flight) entry.flight = undefined;
    };
    flight.promise.then(land, land);
    return this.join(entry, flight, timeoutSeconds, signal);
  }

  /** Waits for a flight on behalf of one scrape, under that scrape's timeout and signal. */
  private join(entry: Entry, flight: Flight, timeoutSeconds: number, signal: AbortSignal | undefined): Promise<Outcome> {
    flight.waiters++;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome, leaving: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        flight.waiters--;
        // The last scrape to give up on a collection tells the collector to stop.
        if (leaving && flight.waiters === 0) flight.controller.abort();
        resolve(outcome);
      };
      const elapsed = (): number => (performance.now() - flight.started) / 1000;
      const timer = setTimeout(() => {
        const error = new CollectorTimeoutError(entry.label, timeoutSeconds);
        settle({ families: undefined, failure: failure(entry, 'timeout', error), seconds: elapsed() }, true);
      }, timeoutSeconds * 1000);
      const onAbort = (): void => {
        settle({ families: undefined, failure: failure(entry, 'error', signal?.reason ?? new Error('scrape aborted')), seconds: elapsed() }, true);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (families) => settle({ families, failure: undefined, seconds: elapsed() }, false),
        (error: unknown) => settle({ families: undefined, failure: failure(entry, reasonOf(error), error), seconds: elapsed() }, false),
      );
    });
  }

  /**
   * Puts the scrape together: order, duplicate check, filters, default labels, own metrics.
   * A collector's family is checked in steps, with turns of the event loop between them
   * once the scrape's slice is spent (a family of a million samples is no longer one block);
   * by then the scrape is collected, so it is not aborted any more.
   */
  private async assemble(entries: readonly Entry[], outcomes: readonly (Outcome | undefined)[], names: ReadonlySet<string> | undefined, turns: CollectTurns): Promise<CollectResult> {
    let families: MetricFamily[] = [];
    const failures: CollectorFailure[] = [];
    const exposed = new Set<string>();
    const success: Sample[] = [];
    const duration: Sample[] = [];
    const overflow: Sample[] = [];
    for (let i = 0; i < entries.length; i++) {
      const outcome = outcomes[i];
      if (outcome === undefined) continue;
      const entry = entries[i];
      let failed = outcome.failure;
      for (const candidate of outcome.families ?? []) {
        // Every family is checked whatever its origin, but only once: instruments and
        // builders vouch for theirs, which keep the rules by construction. Any other is
        // copied as it is checked, and the copy is what goes on.
        const vouched = isVouchedFamily(candidate);
        const family = vouched ? (candidate as MetricFamily) : await turns.run(acceptFamilySteps(candidate), undefined);
        if (family instanceof InvalidFamilyError) {
          failed ??= failure(entry, 'invalid', family);
          continue;
        }
        const claimed = sampleNamesOf(family.type, family.name);
        const clash = claimed.find((n) => exposed.has(n) || (RESERVED_SAMPLE_NAMES.has(n) && !entry.instrument));
        if (clash !== undefined) {
          failed ??= failure(entry, 'duplicate', new Error(`"${entry.label}" exposed "${clash}", which another collector already exposed in this scrape; the family was left out`));
          continue;
        }
        const finished = this.finish(family);
        // Default labels can make two series of a foreign family one: checked again then.
        const late = vouched || finished === family ? undefined : await turns.run(familyProblemSteps(finished), undefined);
        if (late !== undefined) {
          failed ??= failure(entry, 'invalid', late);
          continue;
        }
        for (const n of claimed) exposed.add(n);
        families.push(finished === family ? family : vouchForFamily(finished));
      }
      if (failed !== undefined) {
        failures.push(failed);
        this.onCollectorError(failed, entry);
        entry.failing = true;
      } else if (entry.failing) {
        entry.failing = false;
        entry.warned = undefined;
        if (this.onCollectorError === warnOnce) process.emitWarning(`promkit: collector "${entry.label}" recovered`, { code: 'PROMKIT_COLLECTOR_RECOVERED' });
      }
      if (!entry.instrument) {
        const labels = { collector: entry.label };
        success.push({ name: SUCCESS_FAMILY, labels, value: failed === undefined ? 1 : 0 });
        duration.push({ name: DURATION_FAMILY, labels, value: outcome.seconds });
      }
    }
    if (success.length > 0) {
      families.push(
        vouchForFamily(this.finish({ name: SUCCESS_FAMILY, type: 'gauge', unit: '', help: 'Whether the collector answered this scrape (1) or was left out of it (0), whole or in part.', samples: success })),
        vouchForFamily(this.finish({ name: DURATION_FAMILY, type: 'gauge', unit: 'seconds', help: 'How long the collector took to answer this scrape.', samples: duration })),
      );
    }
    for (const entry of entries) {
      const folded = isInstrument(entry.collector) ? entry.collector.seriesOverflow : undefined;
      if (folded !== undefined) overflow.push({ name: `${OVERFLOW_FAMILY}_total`, labels: { metric: entry.label }, value: folded });
    }
    if (overflow.length > 0) {
      families.push(
        vouchForFamily(this.finish({ name: OVERFLOW_FAMILY, type: 'counter', unit: '', help: 'Records of a metric past its maxSeries, folded into its overflow series (or, for an enum or info, dropped).', samples: overflow })),
      );
    }
    if (names !== undefined) families = restrictFamilies(families, names);
    return { families, failures };
  }

  /**
   * Applies the registry-wide options (`created`, `defaultLabels`) to one family. An
   * instrument's columns are carried over with the options applied per series (labels
   * merged once per series, `_created` dropped as a column), so the encoders keep writing
   * from columns; the samples follow from {@link finishSamples}, built only if read.
   */
  private finish(family: MetricFamily): MetricFamily {
    const defaults = this.defaultLabels;
    const columns = family instanceof ColumnFamily ? family.columns : undefined;
    if (columns === undefined) {
      const samples = this.finishSamples(family);
      if (samples === family.samples) return family;
      const natives = family.nativeHistograms;
      const head = { name: family.name, type: family.type, help: family.help, unit: family.unit, samples };
      return natives === undefined ? head : { ...head, nativeHistograms: defaults === undefined ? natives : natives.map((n) => ({ labels: { ...defaults, ...n.labels }, histogram: n.histogram })) };
    }
    const dropCreated = !this.created && columns.created !== undefined;
    if (!dropCreated && defaults === undefined) return family;
    // Default labels go along once, as the shared labels, unless a series has a label of
    // the same name (its own value wins): then they are merged into each series' labels.
    // (An instrument's series all have the same label names: checking the first will do.)
    const first = columns.labels.length > 0 ? columns.labels[0] : undefined;
    const merge = defaults !== undefined && first !== undefined && Object.keys(defaults).some((name) => name in first);
    return new ColumnFamily(
      family,
      {
        ...columns,
        sharedLabels: merge ? undefined : defaults,
        labels: merge ? columns.labels.map((labels) => Object.freeze({ ...defaults, ...labels })) : columns.labels,
        created: dropCreated ? undefined : columns.created,
      },
      (out) => {
        for (const sample of this.finishSamples(family)) out.push(sample);
      },
    );
  }

  /** {@link finish} for plain samples. */
  private finishSamples(family: MetricFamily): readonly Sample[] {
    let samples = family.samples;
    if (!this.created && (family.type === 'counter' || family.type === 'histogram' || family.type === 'summary')) {
      const createdName = `${family.name}_created`;
      samples = samples.filter((s) => s.name !== createdName);
    }
    const defaults = this.defaultLabels;
    if (defaults !== undefined) {
      samples = samples.map((s) => ({ ...s, labels: { ...defaults, ...s.labels } }));
    }
    return samples;
  }

  private forget(entry: Entry): void {
    this.entries.delete(entry.collector);
    for (const n of entry.sampleNames) if (this.bySampleName.get(n) === entry) this.bySampleName.delete(n);
    for (const n of entry.familyNames) if (this.byFamilyName.get(n) === entry) this.byFamilyName.delete(n);
  }

  /** Collector labels are unique within a registry so `promkit_collector_*` series never clash. */
  private uniqueLabel(base: string): string {
    const used = new Set([...this.entries.values()].map((e) => e.label));
    if (!used.has(base)) return base;
    for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
  }
}

function collectorLabel(collector: Registrable, descriptors: readonly MetricDescriptor[]): string {
  if (isInstrument(collector)) return collector.name;
  const named = (collector as Collector).collectorName;
  if (typeof named === 'string' && named.length > 0) return named;
  const className = (collector as object).constructor?.name;
  if (className !== undefined && className !== 'Object' && className.length > 0) return className;
  return descriptors[0]?.name ?? 'collector';
}

function failure(entry: Entry, reason: CollectorFailureReason, error: unknown): CollectorFailure {
  return { collector: entry.label, reason, error };
}

function closeQuietly(entry: Entry): void {
  const collector = entry.collector as Collector;
  try {
    collector.close?.();
  } catch (error) {
    process.emitWarning(`promkit: close() of collector "${entry.label}" threw: ${String(error)}`, { code: 'PROMKIT_COLLECTOR_CLOSE_FAILED' });
  }
}

/**
 * The default error report: one warning per collector and failure message while it keeps
 * failing, not one per scrape.
 */
function warnOnce(f: CollectorFailure, entry: Entry): void {
  const detail = f.error instanceof Error ? f.error.message : String(f.error);
  const warned = (entry.warned ??= new Set<string>());
  const key = `${f.reason}: ${detail}`;
  if (warned.has(key) || warned.size >= MAX_WARNINGS_PER_COLLECTOR) return;
  warned.add(key);
  process.emitWarning(`promkit: collector "${f.collector}" was left out of the scrape (${f.reason}): ${detail}`, {
    code: 'PROMKIT_COLLECTOR_FAILED',
  });
}
