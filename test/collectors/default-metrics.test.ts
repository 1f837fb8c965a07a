import { describe, expect, it } from '@jest/globals';
import client from 'prom-client';
import { collectDefaultMetrics, EventLoopCollector } from '../../src/collectors/index.js';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { DuplicateMetricError, type MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, parseWithPython, type ParsedFamily } from '../support/python-parser.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sortedResources(): string[] {
  return process.getActiveResourcesInfo().slice().sort();
}

/**
 * The resources active now that were not active at `baseline` (a multiset difference), after
 * waiting for them to drain: closing handles takes a loop turn. Resources that were active at
 * the baseline and have closed since (a child process's pipes, say) do not count.
 */
async function leftBeyond(baseline: readonly string[]): Promise<string[]> {
  const extra = (): string[] => {
    const remaining = [...baseline];
    return sortedResources().filter((r) => {
      const i = remaining.indexOf(r);
      if (i < 0) return true;
      remaining.splice(i, 1);
      return false;
    });
  };
  // A poll, not a bound: it ends as soon as the handles are gone, and only a handle that
  // never goes away waits out the 10 s (a loaded machine may take more than a turn or two).
  const deadline = Date.now() + 10_000;
  let now = extra();
  while (now.length > 0 && Date.now() < deadline) {
    await sleep(10);
    now = extra();
  }
  return now;
}

async function families(registry: Registry): Promise<MetricFamily[]> {
  const { families: out, failures } = await registry.collect();
  expect(failures).toEqual([]);
  return out;
}

const EXPECTED = [
  'process_cpu_user_seconds',
  'process_cpu_system_seconds',
  'process_cpu_seconds',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  ...(process.platform === 'linux' ? ['process_virtual_memory_bytes', 'process_heap_bytes', 'process_open_fds', 'process_max_fds'] : []),
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_utilization',
  'nodejs_active_resources',
  'nodejs_active_handles',
  'nodejs_active_requests',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_version',
];

describe('collectDefaultMetrics', () => {
  it('registers every default family, with prefix and static labels on every sample', async () => {
    const registry = new Registry();
    const defaults = collectDefaultMetrics({ registry, prefix: 'app_', labels: { service: 'orders' } });
    try {
      await sleep(30);
      // Make sure a GC happened, so the GC histogram has a series.
      let garbage: unknown[] = [];
      for (let i = 0; i < 200_000; i++) garbage.push({ i });
      garbage = [];
      void garbage;
      await sleep(20);
      const out = (await families(registry)).filter((f) => !f.name.startsWith('promkit_'));
      expect(out.map((f) => f.name).sort()).toEqual(EXPECTED.map((n) => `app_${n}`).sort());
      for (const f of out) for (const s of f.samples) expect(s.labels.service).toBe('orders');
      expect(registry.getCollectors()).toHaveLength(defaults.collectors.length);
    } finally {
      defaults.stop();
    }
    expect(registry.getCollectors()).toEqual([]);
  });

  it('fails on a second registration into the same registry, leaving nothing behind', async () => {
    const registry = new Registry();
    const first = collectDefaultMetrics({ registry });
    try {
      const collectorsBefore = registry.getCollectors();
      expect(() => collectDefaultMetrics({ registry })).toThrow(DuplicateMetricError);
      expect(registry.getCollectors()).toEqual(collectorsBefore);
      expect(() => collectDefaultMetrics({ registry: new Registry(), labels: { kind: 'x' } })).toThrow(/declared more than once/);
    } finally {
      first.stop();
    }
  });

  it('stop() leaves no timer, handle or observer running', async () => {
    const baseline = sortedResources();
    const registry = new Registry();
    const defaults = collectDefaultMetrics({ registry });
    await families(registry);
    await families(registry);
    const eventLoop = defaults.collectors.find((c): c is EventLoopCollector => c instanceof EventLoopCollector);
    defaults.stop();
    defaults.stop();
    expect(registry.getCollectors()).toEqual([]);
    expect(await leftBeyond(baseline)).toEqual([]);
    // The delay monitor is disabled: after the window is drained, no new samples arrive.
    await eventLoop?.collect();
    await sleep(50);
    expect((await eventLoop?.collect())?.map((f) => f.name)).toEqual(['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_utilization']);
  });
});

describeWithBinaries([BIN.python3], 'default metrics through the reference parsers', () => {
  it('every family parses as text 0.0.4 and as OpenMetrics', async () => {
    const registry = new Registry();
    const defaults = collectDefaultMetrics({ registry, labels: { service: 'a"b\\c' } });
    try {
      await sleep(30);
      const out = await families(registry);
      const [text, om] = await parseManyWithPython([
        { text: encodeText(out), format: 'text' },
        { text: encodeOpenMetrics(out), format: 'openmetrics' },
      ]);
      if (!text.ok || !om.ok) throw new Error(JSON.stringify([text, om]));
      const sampleCount = out.reduce((n, f) => n + f.samples.length, 0);
      expect(om.families.map((f) => f.name)).toEqual(out.map((f) => f.name));
      expect(om.families.reduce((n, f) => n + f.samples.length, 0)).toBe(sampleCount);
      expect(text.families.reduce((n, f) => n + f.samples.length, 0)).toBe(sampleCount);
      expect(om.families.find((f) => f.name === 'nodejs_version')?.type).toBe('info');
    } finally {
      defaults.stop();
    }
  });

  it("matches prom-client's default metrics (with activeResourceTotals): names, types, HELP and label names", async () => {
    const registry = new Registry();
    const defaults = collectDefaultMetrics({ registry, activeResourceTotals: true });
    const theirs = new client.Registry();
    client.collectDefaultMetrics({ register: theirs });
    try {
      await sleep(30);
      const ours = await parseWithPython(encodeText(await families(registry)), 'text');
      const reference = await parseWithPython(await theirs.metrics(), 'text');
      const shape = (f: ParsedFamily) => ({
        name: f.name,
        type: f.type,
        help: f.help,
        labels: [...new Set(f.samples.flatMap((s) => Object.keys(s.labels).filter((l) => l !== 'le')))].sort(),
      });
      const oursByName = new Map(ours.map((f) => [f.name, shape(f)]));
      for (const f of reference) {
        // A labelled family with no series yet (on either side: say, no GC of some kind has
        // happened since that side's observer started) has no label names to compare.
        const expected = shape(f);
        const actual = oursByName.get(f.name);
        if (actual !== undefined && (expected.labels.length === 0 || actual.labels.length === 0)) {
          actual.labels = [];
          expected.labels = [];
        }
        expect(actual).toEqual(expected);
      }
      const extra = ours.map((f) => f.name).filter((n) => !reference.some((f) => f.name === n));
      expect(extra.sort()).toEqual(['nodejs_eventloop_utilization', 'promkit_collector_duration_seconds', 'promkit_collector_success']);
    } finally {
      defaults.stop();
      theirs.clear();
    }
  });
});
