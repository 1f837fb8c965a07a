import { gaugeFamily, InvalidOptionsError, type GaugeFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector, Registry } from '../registry/index.js';
import type { SeriesLabels } from './decorator-types.js';

/** A gauge family whose values are computed when the registry is collected. */
export interface ScrapeFamilyShape {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

/** Adds one series to the family at `family` (an index into the source's shapes). */
export type AddSeries = (family: number, labels: SeriesLabels, value: number) => void;

/**
 * One decorated method's share of scrape-time families (a long-task timer's running tasks,
 * a scrape-time gauge's instances). `collect` never throws: a source reports its own
 * failures and leaves the failing series out.
 */
export interface ScrapeTimeSource {
  collect(add: AddSeries, signal: AbortSignal): void | Promise<void>;
}

/**
 * The collector behind the families of every method sharing one scrape-time metric name in
 * one registry: each method adds itself as a source, and a scrape asks every source for its
 * series. Nothing runs between scrapes.
 */
class MethodFamiliesCollector implements Collector {
  readonly collectorName: string;
  private readonly sources = new Set<ScrapeTimeSource>();

  constructor(readonly shapes: readonly ScrapeFamilyShape[]) {
    this.collectorName = `decorators:${shapes[0].name}`;
  }

  add(source: ScrapeTimeSource): void {
    this.sources.add(source);
  }

  describe(): MetricDescriptor[] {
    return this.shapes.map((shape) => ({ name: shape.name, type: 'gauge' }));
  }

  collect(context: { readonly signal: AbortSignal }): MetricFamily[] | Promise<MetricFamily[]> {
    const families: GaugeFamily<string>[] = this.shapes.map((shape) => gaugeFamily<string>({ name: shape.name, help: shape.help, labelNames: shape.labelNames }));
    const add: AddSeries = (family, labels, value) => {
      families[family].add(labels, value);
    };
    const pending: Promise<void>[] = [];
    for (const source of this.sources) {
      let result: void | Promise<void>;
      try {
        result = source.collect(add, context.signal);
      } catch {
        // A source reports its own failures; one that still throws loses only its own series.
        continue;
      }
      if (result !== undefined) pending.push(result.catch(() => undefined));
    }
    if (pending.length === 0) return families;
    return Promise.all(pending).then(() => families);
  }

  close(): void {
    this.sources.clear();
  }
}

/**
 * Adds `source` to the collector of `shapes` in `registry`, registering the collector with
 * the first source. Throws `InvalidOptionsError` when the names are taken by families of
 * another shape, and the registry's `DuplicateMetricError` when something else exposes them.
 */
export function addScrapeTimeSource(registry: Registry, shapes: readonly ScrapeFamilyShape[], source: ScrapeTimeSource): void {
  const existing = registry.getMetric(shapes[0].name);
  if (existing instanceof MethodFamiliesCollector) {
    if (!sameShapes(existing.shapes, shapes)) {
      throw new InvalidOptionsError(shapes[0].name, 'another decorated method exposes this scrape-time family with other labels or help');
    }
    existing.add(source);
    return;
  }
  const collector = new MethodFamiliesCollector(shapes);
  registry.register(collector);
  collector.add(source);
}

function sameShapes(a: readonly ScrapeFamilyShape[], b: readonly ScrapeFamilyShape[]): boolean {
  return (
    a.length === b.length &&
    a.every((shape, i) => shape.name === b[i].name && shape.help === b[i].help && shape.labelNames.join('\u0000') === b[i].labelNames.join('\u0000'))
  );
}
