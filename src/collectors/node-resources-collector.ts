import { gaugeFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/** Node's undocumented (but long-standing) handle and request lists, used by prom-client too. */
interface ProcessInternals {
  _getActiveHandles?: () => unknown[];
  _getActiveRequests?: () => unknown[];
}

function countByConstructor(list: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) {
    const name = (item as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (typeof name !== 'string') continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function countStrings(list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

interface Source {
  readonly name: string;
  readonly help: string;
  readonly totalHelp: string;
  read(): Map<string, number>;
}

/** Options of {@link NodeResourcesCollector}. */
export interface NodeResourcesCollectorOptions extends RuntimeCollectorOptions {
  /**
   * Also expose prom-client's `nodejs_active_{resources,handles,requests}_total` gauges, for
   * dashboards that read them. Off by default: a gauge named `_total` breaks the naming
   * conventions (`promtool check metrics` flags it), and `sum(nodejs_active_handles)` gives
   * the same number.
   */
  readonly activeResourceTotals?: boolean;
}

/**
 * What keeps the event loop busy, with prom-client's names, by `type` (and, with
 * `activeResourceTotals`, as prom-client's `_total` gauges):
 *
 * - `nodejs_active_resources{type}`: `process.getActiveResourcesInfo()`, the resources that
 *   keep the event loop alive (`TCPServerWrap`, `Timeout`, `FSReqCallback`...);
 * - `nodejs_active_handles{type}`, `nodejs_active_requests{type}`: libuv handles and requests
 *   by JavaScript class (`Socket`, `Server`...), from `process._getActiveHandles()` and
 *   `process._getActiveRequests()`, present only where Node still offers them.
 *
 * The `type` series are rebuilt on every scrape, so a type that is gone is gone.
 */
export class NodeResourcesCollector implements Collector {
  readonly collectorName = 'nodejs_resources';
  private readonly options: ResolvedRuntimeOptions;
  private readonly sources: readonly Source[];
  private readonly totals: boolean;

  constructor(options?: NodeResourcesCollectorOptions) {
    this.totals = options?.activeResourceTotals ?? false;
    this.options = resolveRuntimeOptions('nodejs_resources', options, ['type']);
    const internals = process as unknown as ProcessInternals;
    const sources: Source[] = [];
    if (typeof process.getActiveResourcesInfo === 'function') {
      sources.push({
        name: 'nodejs_active_resources',
        help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
        totalHelp: 'Total number of active resources.',
        read: () => countStrings(process.getActiveResourcesInfo()),
      });
    }
    const getHandles = internals._getActiveHandles;
    if (typeof getHandles === 'function') {
      sources.push({
        name: 'nodejs_active_handles',
        help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
        totalHelp: 'Total number of active handles.',
        read: () => countByConstructor(getHandles.call(process)),
      });
    }
    const getRequests = internals._getActiveRequests;
    if (typeof getRequests === 'function') {
      sources.push({
        name: 'nodejs_active_requests',
        help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
        totalHelp: 'Total number of active requests.',
        read: () => countByConstructor(getRequests.call(process)),
      });
    }
    this.sources = sources;
  }

  describe(): MetricDescriptor[] {
    const p = this.options.prefix;
    return this.sources.flatMap((s) => [
      { name: `${p}${s.name}`, type: 'gauge' as const },
      ...(this.totals ? [{ name: `${p}${s.name}_total`, type: 'gauge' as const }] : []),
    ]);
  }

  collect(): MetricFamily[] {
    const { prefix: p, labels: constLabels } = this.options;
    const families: MetricFamily[] = [];
    for (const source of this.sources) {
      const counts = source.read();
      const byType = gaugeFamily({ name: `${p}${source.name}`, help: source.help, labelNames: ['type'], constLabels });
      let total = 0;
      for (const [type, count] of counts) {
        byType.add({ type }, count);
        total += count;
      }
      families.push(byType);
      if (this.totals) families.push(gaugeFamily({ name: `${p}${source.name}_total`, help: source.totalHelp, constLabels }).add(total));
    }
    return families;
  }
}
