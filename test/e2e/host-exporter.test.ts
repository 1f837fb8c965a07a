import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseLoadAvg, parseMemInfo, parseMounts, parseNetDev, parseStat } from '../../samples/host-exporter/proc-files.js';
import { startHostExporter, type HostExporter } from '../../samples/host-exporter/main.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { parseManyWithPython, type ParsedFamily, type ParsedValue } from '../support/python-parser.js';

describe('host exporter /proc parsers', () => {
  it('read per-CPU lines (not the total) in seconds, and btime', () => {
    const { cpus, bootTime } = parseStat('cpu  10 0 5 100 1 0 2 0 0 0\ncpu0 3498 7 2307 46367 28 1 118 9 0 0\nintr 1 2\nbtime 1795565705\n');
    expect(cpus).toEqual([{ cpu: '0', seconds: [34.98, 0.07, 23.07, 463.67, 0.28, 0.01, 1.18, 0.09] }]);
    expect(bootTime).toBe(1795565705);
  });

  it('read net/dev with the name glued to the first number, loadavg and meminfo', () => {
    const netdev = 'Inter-| Receive\n face |bytes\n    lo:   29060 51 0 0 0 0 0 0 29060 51 0 0 0 0 0 0\n  eth0:171696919 6717 0 0 0 0 0 0 618513 4356 0 0 0 0 0 0\n';
    expect(parseNetDev(netdev)).toEqual([
      { device: 'lo', receiveBytes: 29060, transmitBytes: 29060 },
      { device: 'eth0', receiveBytes: 171696919, transmitBytes: 618513 },
    ]);
    expect(parseLoadAvg('0.38 0.30 0.15 1/86 5281\n')).toEqual({ load1: 0.38, load5: 0.3, load15: 0.15 });
    const mem = parseMemInfo('MemTotal:       24683620 kB\nHugePages_Total:       0\n');
    expect([mem.get('MemTotal'), mem.get('HugePages_Total')]).toEqual([24683620 * 1024, 0]);
  });

  it('unescape octal escapes in mount points', () => {
    expect(parseMounts('/dev/sdb1 /media/my\\040disk\\134x ext4 rw 0 0\n')).toEqual([{ device: '/dev/sdb1', mountPoint: '/media/my disk\\x', fsType: 'ext4' }]);
  });
});

type Scrape = Map<string, { family: ParsedFamily; series: Map<string, ParsedValue> }>;

/** Sample name -> (sorted label set -> value), with each sample's family. */
function index(families: ParsedFamily[]): Scrape {
  const out: Scrape = new Map();
  for (const family of families) {
    for (const s of family.samples) {
      let entry = out.get(s.name);
      if (entry === undefined) out.set(s.name, (entry = { family, series: new Map() }));
      entry.series.set(JSON.stringify(Object.entries(s.labels).sort()), s.value);
    }
  }
  return out;
}

const COMPARED = [
  'node_load1',
  'node_load5',
  'node_load15',
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_filesystem_avail_bytes',
  'node_boot_time_seconds',
];

describeWithBinaries([BIN.nodeExporter, BIN.python3], 'host exporter sample vs node_exporter', () => {
  let nodeExporter: Daemon | undefined;
  let exporter: HostExporter | undefined;
  let theirsUrl = '';

  beforeAll(async () => {
    nodeExporter = await startDaemon({
      command: BIN.nodeExporter,
      args: [
        '--web.listen-address=127.0.0.1:{port}',
        '--collector.disable-defaults',
        '--collector.cpu',
        '--collector.meminfo',
        '--collector.loadavg',
        '--collector.netdev',
        '--collector.filesystem',
        '--collector.stat',
      ],
      readyUrl: 'http://127.0.0.1:{port}/metrics',
    });
    theirsUrl = `http://127.0.0.1:${nodeExporter.port}/metrics`;
    exporter = await startHostExporter({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await exporter?.close();
    await nodeExporter?.stop();
  });

  /** Ours, theirs, ours, back to back, each parsed by the reference parser. */
  async function scrapeTriple(): Promise<[Scrape, Scrape, Scrape]> {
    const get = async (url: string): Promise<string> => {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      return res.text();
    };
    const before = await get((exporter as HostExporter).url);
    const theirs = await get(theirsUrl);
    const after = await get((exporter as HostExporter).url);
    const parsed = await parseManyWithPython([before, theirs, after].map((text) => ({ text, format: 'text' as const })));
    return parsed.map((p) => {
      if (!p.ok) throw new Error(`an exposition did not parse: ${p.error}`);
      return index(p.families);
    }) as [Scrape, Scrape, Scrape];
  }

  /**
   * Where node_exporter's reading of `name` falls outside our two readings around it
   * (widened by the slack): one message per series, none when all lie between.
   */
  function outside([a1, n, a2]: [Scrape, Scrape, Scrape], name: string, lowSlack: (v: number) => number, highSlack: (v: number) => number): string[] {
    const problems: string[] = [];
    for (const [labels, ref] of (n.get(name) as { series: Map<string, ParsedValue> }).series) {
      const v1 = Number(a1.get(name)?.series.get(labels));
      const v2 = Number(a2.get(name)?.series.get(labels));
      const low = Math.min(v1, v2);
      const high = Math.max(v1, v2);
      const value = Number(ref);
      if (!(value >= low - lowSlack(low) && value <= high + highSlack(high))) problems.push(`${name}${labels}: node_exporter read ${value}, we read ${v1} then ${v2}`);
    }
    return problems;
  }

  it('exposes the same names, types, HELP and label sets, with values node_exporter agrees with', async () => {
    const first = await scrapeTriple();
    const [a1, n] = first;
    expect(a1.get('promkit_collector_success')?.series.get(JSON.stringify([['collector', 'host']]))).toBe(1);

    const ourNodeSamples = [...a1.keys()].filter((k) => k.startsWith('node_')).sort();
    expect(ourNodeSamples).toEqual([...COMPARED].sort());
    for (const name of COMPARED) {
      const ours = a1.get(name);
      const ref = n.get(name);
      if (ours === undefined || ref === undefined) throw new Error(`${name} missing: ours ${ours !== undefined}, node_exporter ${ref !== undefined}`);
      expect([name, ours.family.type, ours.family.help]).toEqual([name, ref.family.type, ref.family.help]);
      expect([name, [...ours.series.keys()].sort()]).toEqual([name, [...ref.series.keys()].sort()]);
    }

    // Counters from the very same kernel counters, read in order: our first read <= theirs <=
    // our second, whatever the rest of the machine does. (CPU ticks are exact multiples of
    // 0.01 in both, so no float slack is needed beyond 1e-9.)
    const exact = (): number => 1e-9;
    expect([
      ...outside(first, 'node_cpu_seconds_total', exact, exact),
      ...outside(first, 'node_network_receive_bytes_total', exact, exact),
      ...outside(first, 'node_network_transmit_bytes_total', exact, exact),
      ...outside(first, 'node_memory_MemTotal_bytes', exact, exact),
      // Fixed since boot; btime is recomputed from the wall clock on each read, so an NTP
      // step between the reads could move it by a second.
      ...outside(first, 'node_boot_time_seconds', () => 1, () => 1),
    ]).toEqual([]);

    // Both read /proc/meminfo in kB and statfs in blocks (512 bytes at the least): a reading
    // left in kB or blocks would not be a whole number of them.
    for (const [name, unit] of [['node_memory_MemAvailable_bytes', 1024], ['node_memory_MemTotal_bytes', 1024], ['node_filesystem_avail_bytes', 512]] as const) {
      for (const scrape of first) for (const v of scrape.get(name)?.series.values() ?? []) expect([name, Number(v) % unit]).toEqual([name, 0]);
    }

    // Load averages (recomputed every 5 s), available memory and free disk space (moved by
    // every other process on this shared machine) are not monotonic, so a bracket can be
    // broken by a change between our reads that went down and back up, or by a 5 s tick
    // falling inside a slow triple. A wrong reading is outside every bracket; a race is
    // outside one: so the triple is read again, up to five times, until all of them lie
    // inside. The margins stay those of a single triple.
    const total = Number(n.get('node_memory_MemTotal_bytes')?.series.values().next().value);
    const exactLoad = (): number => 1e-9;
    const moving = (triple: [Scrape, Scrape, Scrape]): string[] => [
      ...['node_load1', 'node_load5', 'node_load15'].flatMap((name) => outside(triple, name, exactLoad, exactLoad)),
      ...outside(triple, 'node_memory_MemAvailable_bytes', () => 0.01 * total, () => 0.01 * total),
      ...outside(triple, 'node_filesystem_avail_bytes', () => 64 * 2 ** 20, () => 64 * 2 ** 20),
    ];
    const misses: string[][] = [moving(first)];
    while (misses[misses.length - 1].length > 0 && misses.length < 5) misses.push(moving(await scrapeTriple()));
    expect(misses[misses.length - 1]).toEqual([]);
  });

  it('serves the exporter process and Node.js metrics too, and the rest of a scrape when /proc is unreadable', async () => {
    const broken = await startHostExporter({ port: 0, host: '127.0.0.1', procPath: '/nonexistent' });
    try {
      const text = await (await fetch(broken.url)).text();
      expect(text).toContain('promkit_collector_success{collector="host"} 0');
      expect(text).toMatch(/^process_start_time_seconds /m);
      expect(text).toMatch(/^nodejs_version_info\{/m);
      expect(text).not.toMatch(/^node_/m);
    } finally {
      await broken.close();
    }
  });
});
