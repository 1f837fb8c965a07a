/**
 * Parsers for the /proc files the host collector reads. Pure functions of the file text, so
 * they can be checked against fixtures; the collector does the reading.
 */

/** Linux's USER_HZ: the clock-tick unit of /proc/stat (100 on every architecture Node runs on). */
export const USER_HZ = 100;

/** The CPU modes of `/proc/stat`, in column order, named as node_exporter names them. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/** `/proc/loadavg`: "0.38 0.30 0.15 1/86 5281". */
export function parseLoadAvg(text: string): { load1: number; load5: number; load15: number } {
  const [load1, load5, load15] = text.trim().split(/\s+/).map(Number);
  return { load1, load5, load15 };
}

/** One `cpuN` line of `/proc/stat`: the CPU number and its seconds per mode. */
export interface CpuTimes {
  readonly cpu: string;
  /** Seconds, aligned with {@link CPU_MODES}. */
  readonly seconds: readonly number[];
}

/** `/proc/stat`: the per-CPU lines (not the `cpu` total line) and `btime`. */
export function parseStat(text: string): { cpus: CpuTimes[]; bootTime: number | undefined } {
  const cpus: CpuTimes[] = [];
  let bootTime: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu') && line[3] !== ' ') {
      const fields = line.split(/\s+/);
      // Older kernels have fewer columns (no steal before 2.6.11): missing modes are left out.
      const seconds = CPU_MODES.map((_, i) => Number(fields[i + 1]) / USER_HZ);
      cpus.push({ cpu: fields[0].slice(3), seconds });
    } else if (line.startsWith('btime ')) {
      bootTime = Number(line.slice(6));
    }
  }
  return { cpus, bootTime };
}

/** `/proc/meminfo`: every field in bytes (the kernel writes kB, meaning KiB). */
export function parseMemInfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s+(\d+)(?: kB)?$/.exec(line);
    if (match === null) continue;
    fields.set(match[1], line.endsWith(' kB') ? Number(match[2]) * 1024 : Number(match[2]));
  }
  return fields;
}

/** One interface of `/proc/net/dev`. */
export interface NetDevice {
  readonly device: string;
  readonly receiveBytes: number;
  readonly transmitBytes: number;
}

/**
 * `/proc/net/dev`: two header lines, then `iface: rx_bytes rx_packets ... (8 receive
 * columns) tx_bytes ...`. The name is split at the colon, which old kernels glue to the
 * first number (`eth0:1234`).
 */
export function parseNetDev(text: string): NetDevice[] {
  const devices: NetDevice[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    devices.push({ device: line.slice(0, colon).trim(), receiveBytes: Number(fields[0]), transmitBytes: Number(fields[8]) });
  }
  return devices;
}

/** One line of `/proc/mounts`. */
export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
}

/** The kernel writes space, tab, newline and backslash in mount paths as octal escapes. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\(040|011|012|134)/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** `/proc/mounts`: "device mountpoint fstype options dump pass". */
export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mountPoint, fsType] = line.split(' ');
    if (fsType === undefined) continue;
    mounts.push({ device, mountPoint: unescapeMountPath(mountPoint), fsType });
  }
  return mounts;
}
