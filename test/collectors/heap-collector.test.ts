import { describe, expect, it } from '@jest/globals';
import { HeapCollector } from '../../src/collectors/index.js';
import { valueOf } from './collected.js';

describe('HeapCollector', () => {
  it("reports process.memoryUsage()'s heap numbers, and per-space sizes that add up to the heap", () => {
    const c = new HeapCollector({ labels: { app: 'a' } });
    const families = c.collect();
    const usage = process.memoryUsage();
    // The heap grows by whole pages as the families are built between the two reads, and
    // used heap and external memory move with every allocation: within 5 %.
    expect(Math.abs(valueOf(families, 'nodejs_heap_size_total_bytes') - usage.heapTotal) / usage.heapTotal).toBeLessThan(0.05);
    expect(Math.abs(valueOf(families, 'nodejs_heap_size_used_bytes') - usage.heapUsed) / usage.heapUsed).toBeLessThan(0.05);
    expect(Math.abs(valueOf(families, 'nodejs_external_memory_bytes') - usage.external) / usage.external).toBeLessThan(0.05);
    const spaces = families.find((f) => f.name === 'nodejs_heap_space_size_total_bytes');
    expect(spaces?.samples.map((s) => s.labels.space)).toEqual(expect.arrayContaining(['new', 'old', 'code', 'large_object']));
    expect(spaces?.samples.every((s) => s.labels.app === 'a')).toBe(true);
    const sum = (spaces?.samples ?? []).reduce((a, s) => a + s.value, 0);
    // The spaces are read just after the totals (same allocation caveat).
    expect(Math.abs(sum - valueOf(families, 'nodejs_heap_size_total_bytes')) / sum).toBeLessThan(0.05);
    expect(families.map((f) => [f.name, f.type])).toEqual(c.describe().map((d) => [d.name, d.type]));
  });
});
