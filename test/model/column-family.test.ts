import { describe, expect, it } from '@jest/globals';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { Counter, Histogram } from '../../src/metrics/index.js';
import { familyProblem } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';

describe('the columnar form of a family', () => {
  it('is what instruments hand over, typed, beside samples built only when read', () => {
    const registry = new Registry();
    const c = new Counter({ name: 'jobs', help: 'h', labelNames: ['q'], registry });
    c.inc({ q: 'a' }, 2);
    const [family] = c.collect();
    expect(family.columns?.kind).toBe('counter');
    expect(family.columns?.values).toEqual([[2]]);
    expect(family.samples.map((s) => [s.name, s.value])).toEqual([
      ['jobs_total', 2],
      ['jobs_created', expect.any(Number)],
    ]);
  });

  it('is not carried by a copy: a changed copy is written from its samples', async () => {
    const registry = new Registry({ defaultLabels: { svc: 'x' } });
    const h = new Histogram({ name: 'lat', help: 'h', buckets: [1], registry });
    h.observe(0.5);
    const [family] = (await registry.collect()).families;
    expect(family.columns?.sharedLabels).toEqual({ svc: 'x' });
    const copy = { ...family, samples: family.samples.filter((s) => s.name !== 'lat_created') };
    expect(copy.columns).toBeUndefined();
    expect(encodeText([copy])).not.toContain('lat_created');
    expect(encodeOpenMetrics([family])).toContain('lat_created{svc="x"}');
    expect(encodeText([family])).toBe(encodeText([{ ...family }]));
  });

  it('cannot be handed in by a collector: a plain family with columns is refused', () => {
    const c = new Counter({ name: 'jobs', help: 'h', registry: null });
    const [family] = c.collect();
    expect(familyProblem({ ...family, columns: family.columns })?.message).toMatch(/columns are only made by promkit/);
  });
});
