import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { ProcessCollector } from '../../src/collectors/index.js';
import { parseProcStat, USER_HZ } from '../../src/collectors/procfs.js';
import { family, valueOf } from './collected.js';

const linux = process.platform === 'linux' ? describe : describe.skip;
const loadedAt = Date.now() / 1000;

/** Burns `ms` of CPU time (not wall time: on a shared machine this process may not be running). */
function busy(ms: number): void {
  const start = process.cpuUsage();
  const giveUp = Date.now() + 10_000;
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms || Date.now() > giveUp) return;
  }
}

describe('ProcessCollector', () => {
  it('describes exactly the families it collects, with prom-client names and types', async () => {
    const c = new ProcessCollector();
    const families = await c.collect();
    expect(families.map((f) => [f.name, f.type]).sort()).toEqual(c.describe().map((d) => [d.name, d.type]).sort());
    expect(families.flatMap((f) => f.samples.map((s) => s.name)).sort()).toEqual(
      [
        'process_cpu_user_seconds_total',
        'process_cpu_system_seconds_total',
        'process_cpu_seconds_total',
        'process_start_time_seconds',
        'process_resident_memory_bytes',
        ...(process.platform === 'linux' ? ['process_virtual_memory_bytes', 'process_heap_bytes', 'process_open_fds', 'process_max_fds'] : []),
      ].sort(),
    );
    expect(family(families, 'process_cpu_seconds').unit).toBe('seconds');
  });

  it('CPU seconds only go up, and user + system = total', async () => {
    const c = new ProcessCollector();
    const first = await c.collect();
    busy(60);
    const second = await c.collect();
    for (const name of ['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total']) {
      expect(valueOf(second, name)).toBeGreaterThanOrEqual(valueOf(first, name));
    }
    // The 60 ms of CPU burnt in between, in seconds.
    expect(valueOf(second, 'process_cpu_seconds_total') - valueOf(first, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(0.06);
    const user = valueOf(second, 'process_cpu_user_seconds_total');
    const system = valueOf(second, 'process_cpu_system_seconds_total');
    expect(valueOf(second, 'process_cpu_seconds_total')).toBeCloseTo(user + system, 9);
  });

  it('adds prefix and static labels to every sample', async () => {
    const families = await new ProcessCollector({ prefix: 'app_', labels: { app: 'orders' } }).collect();
    for (const f of families) {
      expect(f.name.startsWith('app_process_')).toBe(true);
      for (const s of f.samples) expect(s.labels).toEqual({ app: 'orders' });
    }
  });
});

linux('ProcessCollector on Linux', () => {
  it('CPU seconds match utime + stime of /proc/self/stat', async () => {
    const ticks = async (): Promise<number> => {
      const stat = parseProcStat(await readFile('/proc/self/stat', 'latin1'));
      return (stat.utimeTicks + stat.stimeTicks) / USER_HZ;
    };
    busy(30);
    // Bracketed by /proc readings just before and after, so the CPU this process (and its GC
    // threads) burns meanwhile cannot push it out, however slow the machine: /proc truncates
    // utime and stime to 10 ms ticks each, so only the upper side needs two ticks of slack.
    const before = await ticks();
    const families = await new ProcessCollector().collect();
    const after = await ticks();
    const value = valueOf(families, 'process_cpu_seconds_total');
    expect(value).toBeGreaterThanOrEqual(before - 1e-9);
    expect(value).toBeLessThanOrEqual(after + 0.02 + 1e-9);
  });

  it('resident memory is VmRSS of /proc/self/status', async () => {
    const families = await new ProcessCollector().collect();
    const status = await readFile('/proc/self/status', 'latin1');
    const vmRss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
    // Read moments apart, while this process keeps allocating (and the GC gives pages back):
    // the RSS of a jest worker (~100+ MB) moves by well under 2 % in that time.
    const rss = valueOf(families, 'process_resident_memory_bytes');
    expect(Math.abs(rss - vmRss) / vmRss).toBeLessThan(0.02);
    // An independent source: libuv reads the rss pages of /proc/self/stat.
    expect(Math.abs(rss - process.memoryUsage.rss()) / rss).toBeLessThan(0.02);
  });

  it('virtual memory matches vsize of /proc/self/stat', async () => {
    const families = await new ProcessCollector().collect();
    const vsize = parseProcStat(await readFile('/proc/self/stat', 'latin1')).vsizeBytes;
    // The same kernel counter in two files; only mappings made in between (thread stacks,
    // heap growth) can separate them.
    expect(Math.abs(valueOf(families, 'process_virtual_memory_bytes') - vsize) / vsize).toBeLessThan(0.02);
    expect(valueOf(families, 'process_heap_bytes')).toBeGreaterThan(0);
  });

  it('start time is when this process started, and never jitters', async () => {
    const c = new ProcessCollector();
    const a = valueOf(await c.collect(), 'process_start_time_seconds');
    const b = valueOf(await new ProcessCollector().collect(), 'process_start_time_seconds');
    expect(b).toBe(a);
    expect(a).toBeLessThanOrEqual(loadedAt);
    // The kernel's own record (btime is truncated to whole seconds, so that one is up to 1 s early).
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const classic = btime + parseProcStat(readFileSync('/proc/self/stat', 'utf8')).startTicks / USER_HZ;
    expect(a - classic).toBeGreaterThanOrEqual(-0.025);
    expect(a - classic).toBeLessThanOrEqual(1.025);
    // Node's view: its bootstrap starts a few ms after the fork, never before. Both sides
    // subtract an age from the wall clock, measured on different clocks (monotonic here,
    // boot time there), which NTP may slew apart by up to 500 ppm over this worker's life.
    const nodeStart = Date.now() / 1000 - process.uptime();
    const slew = 0.0005 * process.uptime();
    expect(nodeStart - a).toBeGreaterThanOrEqual(-0.025 - slew);
    expect(nodeStart - a).toBeLessThan(2 + slew);
  });

  it('open fds equal the /proc/self/fd listing and follow files being opened', async () => {
    const c = new ProcessCollector();
    const listed = (await readdir('/proc/self/fd')).length - 1;
    const before = valueOf(await c.collect(), 'process_open_fds');
    expect(before).toBe(listed);
    const handles: FileHandle[] = [];
    try {
      for (let i = 0; i < 10; i++) handles.push(await open('/dev/null', 'r'));
      expect(valueOf(await c.collect(), 'process_open_fds')).toBe(before + 10);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect(valueOf(await c.collect(), 'process_open_fds')).toBe(before);
  });

  it('max fds is the soft RLIMIT_NOFILE, as a child shell inheriting it reports', async () => {
    const families = await new ProcessCollector().collect();
    const soft = execFileSync('/bin/sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim();
    expect(valueOf(families, 'process_max_fds')).toBe(soft === 'unlimited' ? Infinity : Number(soft));
  });
});
