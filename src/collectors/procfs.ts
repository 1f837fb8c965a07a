import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Linux's USER_HZ: the unit of the clock-tick fields of `/proc/<pid>/stat` and `/proc/stat`.
 * Node cannot call `sysconf(_SC_CLK_TCK)`, but the kernel fixes USER_HZ at 100 on every
 * architecture Node runs on (the internal HZ may differ; /proc always converts to USER_HZ).
 */
export const USER_HZ = 100;

/** True where the collectors can read `/proc/self` (Linux). Elsewhere the /proc metrics are absent. */
export const HAS_PROCFS = process.platform === 'linux';

/** The fields of `/proc/<pid>/stat` the collectors use. */
export interface ProcStat {
  /** CPU time in user mode, in clock ticks. */
  readonly utimeTicks: number;
  /** CPU time in kernel mode, in clock ticks. */
  readonly stimeTicks: number;
  /** When the process started, in clock ticks after boot (CLOCK_BOOTTIME). */
  readonly startTicks: number;
  /** Virtual memory size in bytes. */
  readonly vsizeBytes: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself
 * contain spaces and parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('unexpected /proc/<pid>/stat format: no ")"');
  // After ") ": field 3 (state) is index 0, so field N is index N - 3.
  const fields = text.slice(close + 2).split(' ');
  return {
    utimeTicks: Number(fields[14 - 3]),
    stimeTicks: Number(fields[15 - 3]),
    startTicks: Number(fields[22 - 3]),
    vsizeBytes: Number(fields[23 - 3]),
  };
}

/** The memory lines of `/proc/self/status` the collectors use, in bytes (undefined when absent). */
export interface ProcStatusMemory {
  /** VmRSS: resident set size. */
  readonly residentBytes: number | undefined;
  /** VmSize: virtual memory size. */
  readonly virtualBytes: number | undefined;
  /** VmData: size of the data segment (what prom-client calls the process heap). */
  readonly dataBytes: number | undefined;
}

function statusKiB(text: string, key: string): number | undefined {
  const at = text.indexOf(`\n${key}:`);
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at + 1);
  const line = text.slice(at + key.length + 2, end < 0 ? undefined : end).trim();
  // "12345 kB": the kernel always writes kB (KiB) here.
  const value = Number.parseInt(line, 10);
  return Number.isFinite(value) ? value * 1024 : undefined;
}

/** Parses the `Vm*` lines of `/proc/self/status` (values are in KiB there). */
export function parseProcStatusMemory(text: string): ProcStatusMemory {
  return {
    residentBytes: statusKiB(text, 'VmRSS'),
    virtualBytes: statusKiB(text, 'VmSize'),
    dataBytes: statusKiB(text, 'VmData'),
  };
}

/**
 * The soft limit of "Max open files" in `/proc/self/limits`: the limit `open()` enforces.
 * `unlimited` is `+Inf`; undefined when the line is missing.
 */
export function parseMaxOpenFiles(text: string): number | undefined {
  const match = /^Max open files\s+(\S+)/m.exec(text);
  if (match === null) return undefined;
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** Seconds since boot (CLOCK_BOOTTIME, 10 ms resolution) from `/proc/uptime`. */
export function parseUptime(text: string): number {
  return Number(text.slice(0, text.indexOf(' ')));
}

/**
 * The number of open file descriptors of this process. The directory listing needs a
 * descriptor of its own, which it sees, so one is taken off.
 */
export async function countOpenFds(): Promise<number> {
  const entries = await readdir('/proc/self/fd');
  return entries.length - 1;
}

/**
 * When process `pid` started, in seconds since the epoch, to about 10 ms.
 *
 * The kernel records the start as clock ticks after boot on CLOCK_BOOTTIME, and
 * `/proc/uptime` reads the same clock, so `now - (uptime - start)` places the start on the
 * wall clock with the 10 ms tick resolution. The usual `btime + start` (client_golang)
 * is up to a second early because `btime` is truncated to whole seconds, and
 * `Date.now() - process.uptime()` is late by Node's own bootstrap (10-40 ms) and drifts
 * after a suspend (it uses CLOCK_MONOTONIC).
 */
export async function readProcessStartTime(pid: number | 'self' = 'self'): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
  // The boot clock and the wall clock are read back to back: an await between them would
  // shift the result by however long the event loop took to come back (tens of ms under load).
  // /proc/uptime is generated in the kernel, so the synchronous read does not block on disk.
  const uptime = readFileSync('/proc/uptime', 'latin1');
  const now = Date.now() / 1000;
  const ageSeconds = parseUptime(uptime) - parseProcStat(stat).startTicks / USER_HZ;
  // Two decimals: the inputs have 10 ms resolution, more digits would only be noise.
  return Math.round((now - ageSeconds) * 100) / 100;
}

let ownStartTime: Promise<number> | undefined;

/**
 * This process's start time (see {@link readProcessStartTime}), read once: recomputing it
 * per scrape would make it jitter by a tick, and `changes(process_start_time_seconds)`
 * would count restarts that never happened. Off Linux: `Date.now() - process.uptime()`.
 */
export function processStartTime(): Promise<number> {
  if (ownStartTime === undefined) {
    const fallback = (): number => Math.round(Date.now() - process.uptime() * 1000) / 1000;
    ownStartTime = HAS_PROCFS ? readProcessStartTime('self').catch(fallback) : Promise.resolve(fallback());
  }
  return ownStartTime;
}
