import { readFile } from 'node:fs/promises';
import { counterFamily, gaugeFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { countOpenFds, HAS_PROCFS, parseMaxOpenFiles, parseProcStatusMemory, processStartTime } from './procfs.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/**
 * The standard `process_*` metrics, with the names prom-client, client_golang and
 * client_python share (so existing dashboards work):
 *
 * | metric | type | source |
 * |---|---|---|
 * | `process_cpu_user_seconds_total`, `process_cpu_system_seconds_total`, `process_cpu_seconds_total` | counter | `process.cpuUsage()` |
 * | `process_start_time_seconds` | gauge | `/proc/self/stat` + `/proc/uptime` (Linux), else `process.uptime()` |
 * | `process_resident_memory_bytes` | gauge | `VmRSS` of `/proc/self/status` (Linux), else `process.memoryUsage.rss()` |
 * | `process_virtual_memory_bytes`, `process_heap_bytes` | gauge | `VmSize`, `VmData` of `/proc/self/status` (Linux only) |
 * | `process_open_fds`, `process_max_fds` | gauge | `/proc/self/fd`, `/proc/self/limits` (Linux only) |
 *
 * The Linux-only metrics are absent elsewhere, not zero. /proc is read asynchronously at
 * scrape time. CPU seconds are the process's totals since it started (as client_golang and
 * client_python report them), from `getrusage()` with microsecond resolution rather than
 * the 10 ms clock ticks of `/proc/self/stat`.
 */
export class ProcessCollector implements Collector {
  readonly collectorName = 'process';
  private readonly options: ResolvedRuntimeOptions;

  constructor(options?: RuntimeCollectorOptions) {
    this.options = resolveRuntimeOptions('process', options, []);
  }

  describe(): MetricDescriptor[] {
    const p = this.options.prefix;
    const out: MetricDescriptor[] = [
      { name: `${p}process_cpu_user_seconds`, type: 'counter' },
      { name: `${p}process_cpu_system_seconds`, type: 'counter' },
      { name: `${p}process_cpu_seconds`, type: 'counter' },
      { name: `${p}process_start_time_seconds`, type: 'gauge' },
      { name: `${p}process_resident_memory_bytes`, type: 'gauge' },
    ];
    if (HAS_PROCFS) {
      out.push(
        { name: `${p}process_virtual_memory_bytes`, type: 'gauge' },
        { name: `${p}process_heap_bytes`, type: 'gauge' },
        { name: `${p}process_open_fds`, type: 'gauge' },
        { name: `${p}process_max_fds`, type: 'gauge' },
      );
    }
    return out;
  }

  async collect(): Promise<MetricFamily[]> {
    const { prefix: p, labels: constLabels } = this.options;
    const cpu = process.cpuUsage();
    const families: MetricFamily[] = [
      counterFamily({ name: `${p}process_cpu_user_seconds`, unit: 'seconds', help: 'Total user CPU time spent in seconds.', constLabels }).add(cpu.user / 1e6),
      counterFamily({ name: `${p}process_cpu_system_seconds`, unit: 'seconds', help: 'Total system CPU time spent in seconds.', constLabels }).add(cpu.system / 1e6),
      counterFamily({ name: `${p}process_cpu_seconds`, unit: 'seconds', help: 'Total user and system CPU time spent in seconds.', constLabels }).add((cpu.user + cpu.system) / 1e6),
      gaugeFamily({ name: `${p}process_start_time_seconds`, unit: 'seconds', help: 'Start time of the process since unix epoch in seconds.', constLabels }).add(await processStartTime()),
    ];
    const resident = gaugeFamily({ name: `${p}process_resident_memory_bytes`, unit: 'bytes', help: 'Resident memory size in bytes.', constLabels });
    families.push(resident);
    if (!HAS_PROCFS) {
      resident.add(process.memoryUsage.rss());
      return families;
    }
    // The fd listing goes first and alone: a file this collector opened concurrently would be counted.
    const openFds = await countOpenFds().catch(() => undefined);
    const [status, limits] = await Promise.all([
      readFile('/proc/self/status', 'latin1').catch(() => undefined),
      readFile('/proc/self/limits', 'latin1').catch(() => undefined),
    ]);
    const memory = status === undefined ? undefined : parseProcStatusMemory(status);
    const virtual = gaugeFamily({ name: `${p}process_virtual_memory_bytes`, unit: 'bytes', help: 'Virtual memory size in bytes.', constLabels });
    const heap = gaugeFamily({ name: `${p}process_heap_bytes`, unit: 'bytes', help: 'Process heap size in bytes.', constLabels });
    if (memory?.residentBytes !== undefined) resident.add(memory.residentBytes);
    if (memory?.virtualBytes !== undefined) virtual.add(memory.virtualBytes);
    if (memory?.dataBytes !== undefined) heap.add(memory.dataBytes);
    const open = gaugeFamily({ name: `${p}process_open_fds`, help: 'Number of open file descriptors.', constLabels });
    if (openFds !== undefined) open.add(openFds);
    const max = gaugeFamily({ name: `${p}process_max_fds`, help: 'Maximum number of open file descriptors.', constLabels });
    const maxFds = limits === undefined ? undefined : parseMaxOpenFiles(limits);
    if (maxFds !== undefined) max.add(maxFds);
    families.push(virtual, heap, open, max);
    // A file that could not be read leaves its metric absent rather than zero.
    return families.filter((f) => f.samples.length > 0);
  }
}
