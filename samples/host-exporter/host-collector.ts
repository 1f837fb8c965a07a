import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { counterFamily, gaugeFamily, type CollectContext, type Collector, type MetricDescriptor, type MetricFamily } from '../../src/index.js';
import { CPU_MODES, parseLoadAvg, parseMemInfo, parseMounts, parseNetDev, parseStat, type Mount } from './proc-files.js';

/** node_exporter 1.5's default `--collector.filesystem.mount-points-exclude`. */
export const DEFAULT_MOUNT_POINTS_EXCLUDE = /^\/(dev|proc|run|sys|mnt|media|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
/** node_exporter 1.5's default `--collector.filesystem.fs-types-exclude`. */
export const DEFAULT_FS_TYPES_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;
/** node_exporter's default `--collector.netdev.device-exclude` (as packaged by Debian). */
export const DEFAULT_NET_DEVICE_EXCLUDE = /^lo$/;

/** Options of {@link HostCollector}; the defaults are node_exporter's. */
export interface HostCollectorOptions {
  /** Where procfs is mounted (default `/proc`; `/host/proc` when run in a container). */
  readonly procPath?: string;
  /** Mount points left out of `node_filesystem_*` (default {@link DEFAULT_MOUNT_POINTS_EXCLUDE}). */
  readonly mountPointsExclude?: RegExp;
  /** Filesystem types left out of `node_filesystem_*` (default {@link DEFAULT_FS_TYPES_EXCLUDE}). */
  readonly fsTypesExclude?: RegExp;
  /** Network devices left out of `node_network_*` (default {@link DEFAULT_NET_DEVICE_EXCLUDE}). */
  readonly netDeviceExclude?: RegExp;
  /** How long one `statfs()` may take before its mount is skipped as stuck (default 5 s). */
  readonly statfsTimeoutMs?: number;
}

/**
 * A custom exporter for the host, reading /proc at scrape time and exposing a subset of
 * node_exporter's metrics under node_exporter's names and labels, so its dashboards work:
 * `node_load1/5/15`, `node_cpu_seconds_total{cpu,mode}`, `node_memory_MemTotal_bytes`,
 * `node_memory_MemAvailable_bytes`, `node_network_{receive,transmit}_bytes_total{device}`,
 * `node_filesystem_avail_bytes{device,fstype,mountpoint}` and `node_boot_time_seconds`.
 *
 * If a /proc file cannot be read, `collect()` rejects: the registry leaves this collector
 * out of that scrape and reports `promkit_collector_success{collector="host"} 0`, the rest
 * of the scrape is served.
 */
export class HostCollector implements Collector {
  readonly collectorName = 'host';
  private readonly proc: string;
  private readonly mountPointsExclude: RegExp;
  private readonly fsTypesExclude: RegExp;
  private readonly netDeviceExclude: RegExp;
  private readonly statfsTimeoutMs: number;
  /** Mount points whose last statfs() has not returned yet (a hung NFS server, say). */
  private readonly stuckMounts = new Set<string>();

  constructor(options: HostCollectorOptions = {}) {
    this.proc = options.procPath ?? '/proc';
    this.mountPointsExclude = options.mountPointsExclude ?? DEFAULT_MOUNT_POINTS_EXCLUDE;
    this.fsTypesExclude = options.fsTypesExclude ?? DEFAULT_FS_TYPES_EXCLUDE;
    this.netDeviceExclude = options.netDeviceExclude ?? DEFAULT_NET_DEVICE_EXCLUDE;
    this.statfsTimeoutMs = options.statfsTimeoutMs ?? 5000;
  }

  /** Declared up front, so the registry refuses another collector exposing the same names. */
  describe(): MetricDescriptor[] {
    return [
      { name: 'node_load1', type: 'gauge' },
      { name: 'node_load5', type: 'gauge' },
      { name: 'node_load15', type: 'gauge' },
      { name: 'node_cpu_seconds', type: 'counter' },
      { name: 'node_boot_time_seconds', type: 'gauge' },
      { name: 'node_memory_MemTotal_bytes', type: 'gauge' },
      { name: 'node_memory_MemAvailable_bytes', type: 'gauge' },
      { name: 'node_network_receive_bytes', type: 'counter' },
      { name: 'node_network_transmit_bytes', type: 'counter' },
      { name: 'node_filesystem_avail_bytes', type: 'gauge' },
    ];
  }

  async collect({ signal }: CollectContext): Promise<MetricFamily[]> {
    const read = (file: string): Promise<string> => readFile(join(this.proc, file), { encoding: 'latin1', signal });
    // Every file at once: the scrape costs one round trip to the thread pool, not five.
    const [loadavg, stat, meminfo, netdev, mounts] = await Promise.all([
      read('loadavg'),
      read('stat'),
      read('meminfo'),
      read('net/dev'),
      read('mounts'),
    ]);
    const families: MetricFamily[] = [];

    const load = parseLoadAvg(loadavg);
    families.push(
      gaugeFamily('node_load1', '1m load average.').add(load.load1),
      gaugeFamily('node_load5', '5m load average.').add(load.load5),
      gaugeFamily('node_load15', '15m load average.').add(load.load15),
    );

    const { cpus, bootTime } = parseStat(stat);
    const cpu = counterFamily({ name: 'node_cpu_seconds_total', help: 'Seconds the CPUs spent in each mode.', labelNames: ['cpu', 'mode'] });
    for (const { cpu: id, seconds } of cpus) {
      for (let i = 0; i < CPU_MODES.length; i++) {
        if (!Number.isNaN(seconds[i])) cpu.add({ cpu: id, mode: CPU_MODES[i] }, seconds[i]);
      }
    }
    families.push(cpu);
    if (bootTime !== undefined) families.push(gaugeFamily('node_boot_time_seconds', 'Node boot time, in unixtime.').add(bootTime));

    const memory = parseMemInfo(meminfo);
    for (const field of ['MemTotal', 'MemAvailable']) {
      const bytes = memory.get(field);
      if (bytes !== undefined) families.push(gaugeFamily(`node_memory_${field}_bytes`, `Memory information field ${field}_bytes.`).add(bytes));
    }

    const receive = counterFamily({ name: 'node_network_receive_bytes_total', help: 'Network device statistic receive_bytes.', labelNames: ['device'] });
    const transmit = counterFamily({ name: 'node_network_transmit_bytes_total', help: 'Network device statistic transmit_bytes.', labelNames: ['device'] });
    for (const dev of parseNetDev(netdev)) {
      if (this.netDeviceExclude.test(dev.device)) continue;
      const labels = { device: dev.device };
      receive.add(labels, dev.receiveBytes);
      transmit.add(labels, dev.transmitBytes);
    }
    families.push(receive, transmit);

    families.push(await this.filesystems(parseMounts(mounts), signal));
    return families;
  }

  /** `node_filesystem_avail_bytes` for the mounts node_exporter would report. */
  private async filesystems(mounts: readonly Mount[], signal: AbortSignal): Promise<MetricFamily> {
    const avail = gaugeFamily({
      name: 'node_filesystem_avail_bytes',
      help: 'Filesystem space available to non-root users in bytes.',
      labelNames: ['device', 'fstype', 'mountpoint'],
    });
    const seen = new Set<string>();
    const wanted = mounts.filter((m) => {
      if (this.mountPointsExclude.test(m.mountPoint) || this.fsTypesExclude.test(m.fsType)) return false;
      // A filesystem mounted twice at the same place is reported once, as node_exporter does.
      const key = `${m.device}\0${m.fsType}\0${m.mountPoint}`;
      if (seen.has(key) || this.stuckMounts.has(m.mountPoint)) return false;
      seen.add(key);
      return true;
    });
    const stats = await Promise.all(wanted.map((m) => this.statfs(m.mountPoint, signal)));
    wanted.forEach((m, i) => {
      const s = stats[i];
      // Like node_exporter, a mount whose statfs() failed is left out (it reports device_error).
      if (s !== undefined) avail.add({ device: m.device, fstype: m.fsType, mountpoint: m.mountPoint }, s.bavail * s.bsize);
    });
    return avail;
  }

  /**
   * statfs() of one mount point, or undefined when it fails or hangs. A hung call cannot be
   * cancelled (it holds a libuv thread), so the mount is skipped until it returns.
   */
  private statfs(mountPoint: string, signal: AbortSignal): Promise<{ bavail: number; bsize: number } | undefined> {
    const call = statfs(mountPoint);
    return new Promise((resolve) => {
      const giveUp = (): void => {
        this.stuckMounts.add(mountPoint);
        void call.finally(() => this.stuckMounts.delete(mountPoint)).catch(() => undefined);
        resolve(undefined);
      };
      // Only a guard: it must not keep a shutting-down exporter alive for 5 s.
      const timer = setTimeout(giveUp, this.statfsTimeoutMs).unref();
      signal.addEventListener('abort', giveUp, { once: true });
      call.then(
        (s) => resolve({ bavail: s.bavail, bsize: s.bsize }),
        () => resolve(undefined),
      ).finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', giveUp);
      });
    });
  }
}
