import { CallRecorder, type MethodContext } from './call-recorder.js';
import type { SeriesLabels } from './decorator-types.js';
import type { GaugeCombine } from './decorator-options.js';
import { addScrapeTimeSource, type AddSeries, type ScrapeTimeSource } from './scrape-time-collector.js';

interface ReadInstance {
  readonly ref: WeakRef<object>;
  readonly key: string;
}

interface SeriesValue {
  readonly labels: SeriesLabels;
  value: number;
  reads: number;
  failed: boolean;
}

/**
 * A `@Gauged({ mode: 'scrape' })` method in one registry: at every scrape, the method is
 * called on each live instance tied to the registry, and the results of instances with the
 * same labels are combined into one series. Instances are held weakly: one the program
 * dropped is collected by the GC and leaves the scrape. A read that throws, rejects or gives
 * no number leaves its series out of that scrape and is counted (`reason="scrape"`); the
 * rest of the scrape goes on.
 */
export class ScrapeGaugeRecorder extends CallRecorder implements ScrapeTimeSource {
  private readonly instances: ReadInstance[] = [];
  private readonly seen = new WeakSet<object>();
  private readonly labelsByKey = new Map<string, SeriesLabels>();

  constructor(
    context: MethodContext,
    private readonly read: (this: unknown) => unknown,
    private readonly combine: GaugeCombine,
  ) {
    super(context);
    addScrapeTimeSource(context.registry, [{ name: context.metricName, help: context.definition.help, labelNames: context.familyLabelNames }], this);
  }

  // Calls the program makes itself are not recorded: the value is read at scrape time.
  enter(): number {
    return 0;
  }

  exit(): void {}

  attach(instance: object): void {
    if (this.seen.has(instance)) return;
    this.seen.add(instance);
    // The labels of an instance are computed once: `labelsFrom` sees no arguments, only it.
    const labels = this.perCallLabels ? this.callLabels([], instance) : { ...this.context.baseLabels };
    const key = JSON.stringify(Object.values(labels));
    if (!this.labelsByKey.has(key)) this.labelsByKey.set(key, labels);
    this.instances.push({ ref: new WeakRef(instance), key });
  }

  detach(instance: object): void {
    if (!this.seen.delete(instance)) return;
    const at = this.instances.findIndex((entry) => entry.ref.deref() === instance);
    if (at >= 0) this.instances.splice(at, 1);
  }

  collect(add: AddSeries): void | Promise<void> {
    const series = new Map<string, SeriesValue>();
    const pending: Promise<void>[] = [];
    let live = 0;
    for (const entry of this.instances) {
      const instance = entry.ref.deref();
      if (instance === undefined) continue;
      this.instances[live++] = entry;
      let target = series.get(entry.key);
      if (target === undefined) {
        target = { labels: this.labelsByKey.get(entry.key)!, value: 0, reads: 0, failed: false };
        series.set(entry.key, target);
      }
      const into = target;
      let result: unknown;
      try {
        result = this.read.call(instance);
      } catch (error) {
        this.fail(into, error);
        continue;
      }
      if (result instanceof Promise) {
        pending.push(result.then((value: unknown) => this.take(into, value), (error: unknown) => this.fail(into, error)));
      } else {
        this.take(into, result);
      }
    }
    this.instances.length = live;
    const emit = (): void => {
      for (const s of series.values()) if (!s.failed) add(0, s.labels, s.value);
    };
    if (pending.length === 0) return emit();
    return Promise.all(pending).then(emit);
  }

  private take(into: SeriesValue, result: unknown): void {
    const value = typeof result === 'bigint' ? Number(result) : result;
    if (typeof value !== 'number') {
      this.fail(into, new TypeError(`the method returned ${value === null ? 'null' : typeof value}, not a number`));
      return;
    }
    if (into.reads++ === 0) into.value = value;
    else if (this.combine === 'sum') into.value += value;
    else if (this.combine === 'max') into.value = Math.max(into.value, value);
    else into.value = Math.min(into.value, value);
  }

  private fail(into: SeriesValue, error: unknown): void {
    into.failed = true;
    this.report('scrape', error);
  }
}
