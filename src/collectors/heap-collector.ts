import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { gaugeFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/**
 * V8 heap sizes, with prom-client's names:
 *
 * - `nodejs_heap_size_total_bytes`, `nodejs_heap_size_used_bytes`,
 *   `nodejs_external_memory_bytes` (the `heapTotal`, `heapUsed` and `external` of
 *   `process.memoryUsage()`, read from `v8.getHeapStatistics()`, which gives the same numbers
 *   without `memoryUsage()`'s synchronous read of `/proc/self/stat` for the RSS);
 * - `nodejs_heap_space_size_{total,used,available}_bytes{space}` per V8 heap space
 *   (`new`, `old`, `code`, `large_object`...).
 */
export class HeapCollector implements Collector {
  readonly collectorName = 'nodejs_heap';
  private readonly options: ResolvedRuntimeOptions;

  constructor(options?: RuntimeCollectorOptions) {
    this.options = resolveRuntimeOptions('nodejs_heap', options, ['space']);
  }

  describe(): MetricDescriptor[] {
    const p = this.options.prefix;
    return [
      `${p}nodejs_heap_size_total_bytes`,
      `${p}nodejs_heap_size_used_bytes`,
      `${p}nodejs_external_memory_bytes`,
      `${p}nodejs_heap_space_size_total_bytes`,
      `${p}nodejs_heap_space_size_used_bytes`,
      `${p}nodejs_heap_space_size_available_bytes`,
    ].map((name) => ({ name, type: 'gauge' as const }));
  }

  collect(): MetricFamily[] {
    const { prefix: p, labels: constLabels } = this.options;
    const heap = getHeapStatistics();
    const spaceTotal = gaugeFamily({ name: `${p}nodejs_heap_space_size_total_bytes`, help: 'Process heap space size total from Node.js in bytes.', unit: 'bytes', labelNames: ['space'], constLabels });
    const spaceUsed = gaugeFamily({ name: `${p}nodejs_heap_space_size_used_bytes`, help: 'Process heap space size used from Node.js in bytes.', unit: 'bytes', labelNames: ['space'], constLabels });
    const spaceAvailable = gaugeFamily({ name: `${p}nodejs_heap_space_size_available_bytes`, help: 'Process heap space size available from Node.js in bytes.', unit: 'bytes', labelNames: ['space'], constLabels });
    for (const s of getHeapSpaceStatistics()) {
      // "old_space" -> "old", as prom-client labels them.
      const end = s.space_name.lastIndexOf('_space');
      const space = end > 0 ? s.space_name.slice(0, end) : s.space_name;
      const labels = { space };
      spaceTotal.add(labels, s.space_size);
      spaceUsed.add(labels, s.space_used_size);
      spaceAvailable.add(labels, s.space_available_size);
    }
    return [
      gaugeFamily({ name: `${p}nodejs_heap_size_total_bytes`, unit: 'bytes', help: 'Process heap size from Node.js in bytes.', constLabels }).add(heap.total_heap_size),
      gaugeFamily({ name: `${p}nodejs_heap_size_used_bytes`, unit: 'bytes', help: 'Process heap size used from Node.js in bytes.', constLabels }).add(heap.used_heap_size),
      gaugeFamily({ name: `${p}nodejs_external_memory_bytes`, unit: 'bytes', help: 'Node.js external memory size in bytes.', constLabels }).add(heap.external_memory),
      spaceTotal,
      spaceUsed,
      spaceAvailable,
    ];
  }
}
