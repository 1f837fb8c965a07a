import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { NodeResourcesCollector } from '../../src/collectors/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { valueOf } from './collected.js';

function servers(families: MetricFamily[]): number {
  const sample = families.find((f) => f.name === 'nodejs_active_resources')?.samples.find((s) => s.labels.type === 'TCPServerWrap');
  return sample?.value ?? 0;
}

describe('NodeResourcesCollector', () => {
  it('exposes only the per-type gauges by default (no gauge named _total)', () => {
    const c = new NodeResourcesCollector();
    const names = c.collect().map((f) => f.name);
    expect(names).toContain('nodejs_active_resources');
    expect(names.filter((n) => n.endsWith('_total'))).toEqual([]);
    expect(c.describe().map((d) => d.name)).toEqual(names);
  });

  it('counts active resources by type, and the opt-in total equals getActiveResourcesInfo()', async () => {
    const c = new NodeResourcesCollector({ activeResourceTotals: true });
    const before = servers(c.collect());
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const timer = setTimeout(() => undefined, 10_000);
    try {
      const families = c.collect();
      const info = process.getActiveResourcesInfo();
      expect(valueOf(families, 'nodejs_active_resources_total')).toBe(info.length);
      expect(servers(families)).toBe(before + 1);
      expect(valueOf(families, 'nodejs_active_resources', { type: 'Timeout' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(families, 'nodejs_active_handles', { type: 'Server' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(families, 'nodejs_active_handles_total')).toBeGreaterThanOrEqual(1);
      expect(families.map((f) => [f.name, f.type])).toEqual(c.describe().map((d) => [d.name, d.type]));
    } finally {
      clearTimeout(timer);
      await new Promise((resolve) => server.close(resolve));
    }
    // libuv releases the handle a loop turn or two after the close callback: poll for it (the
    // deadline is only for a handle that is never released; a busy machine may be slow).
    const deadline = Date.now() + 10_000;
    while (servers(c.collect()) !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(servers(c.collect())).toBe(before);
  });
});
