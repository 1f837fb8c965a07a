import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { Counter, Histogram, OVERFLOW_LABEL_VALUE } from '../../src/metrics/index.js';
import { parseManyWithPython, type ParserFormat } from '../support/python-parser.js';

beforeAll(() => {
  jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterAll(() => {
  jest.restoreAllMocks();
});

/** Short label values from a small alphabet (so label sets repeat), escapes and non-ASCII included. */
const labelValue = fc.string({ unit: fc.constantFrom('a', 'b', '"', '\\', '\n', 'é', '😀', ' '), maxLength: 3 });
const record = fc.record({
  user: labelValue,
  route: labelValue,
  amount: fc.integer({ min: 0, max: 1000 }),
  bound: fc.boolean(),
});

interface Case {
  readonly text: string;
  readonly format: ParserFormat;
  readonly counterTotal: number;
  readonly observations: number;
  readonly cap: number;
}

describe('maxSeries under random label sets', () => {
  it('keeps the sum over all series exact, at most cap + 1 series, and an exposition that parses', async () => {
    const cases: Case[] = [];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(record, { maxLength: 60 }), fc.boolean(), (cap, records, openMetrics) => {
        const counter = new Counter({ name: 'req', help: 'h', labelNames: ['user', 'route'], maxSeries: cap, registry: null });
        const histogram = new Histogram({ name: 'lat', help: 'h', labelNames: ['user', 'route'], buckets: [10, 100], maxSeries: cap, registry: null });
        let total = 0;
        for (const { user, route, amount, bound } of records) {
          if (bound) {
            counter.labels(user, route).inc(amount);
            histogram.labels({ user, route }).observe(amount);
          } else {
            counter.inc({ user, route }, amount);
            histogram.observe({ user, route }, amount);
          }
          total += amount;
        }
        const families = [...counter.collect(), ...(histogram.collect() as ReturnType<Histogram['collect']>)];
        const totals = families[0].samples.filter((s) => s.name === 'req_total');
        expect(totals.reduce((sum, s) => sum + s.value, 0)).toBe(total);
        expect(totals.length).toBeLessThanOrEqual(cap + 1);
        // Every record of a label set first seen after `cap` others is folded, and counted.
        expect(counter.seriesOverflow).toBe(records.filter((_, i) => firstSeen(records, i) >= cap).length);
        if (totals.length === cap + 1) expect(totals[cap].labels).toEqual({ user: OVERFLOW_LABEL_VALUE, route: OVERFLOW_LABEL_VALUE });
        const counts = families[1].samples.filter((s) => s.name === 'lat_count');
        expect(counts.reduce((sum, s) => sum + s.value, 0)).toBe(records.length);
        const format: ParserFormat = openMetrics ? 'openmetrics' : 'text';
        cases.push({ text: openMetrics ? encodeOpenMetrics(families) : encodeText(families), format, counterTotal: total, observations: records.length, cap });
      }),
      { numRuns: 150, seed: 16 },
    );
    const parsed = await parseManyWithPython(cases);
    parsed.forEach((outcome, i) => {
      if (!outcome.ok) throw new Error(`${outcome.error}\n${cases[i].text}`);
      const samples = outcome.families.flatMap((f) => f.samples);
      const sum = (name: string): number => samples.filter((s) => s.name === name).reduce((acc, s) => acc + (s.value as number), 0);
      expect(sum('req_total')).toBe(cases[i].counterTotal);
      expect(sum('lat_count')).toBe(cases[i].observations);
      expect(samples.filter((s) => s.name === 'req_total').length).toBeLessThanOrEqual(cases[i].cap + 1);
    });
  });
});

/** How many distinct label sets came before the first record of `records[i]`'s label set. */
function firstSeen(records: readonly { user: string; route: string }[], i: number): number {
  const key = (r: { user: string; route: string }): string => JSON.stringify([r.user, r.route]);
  const order: string[] = [];
  for (const r of records) if (!order.includes(key(r))) order.push(key(r));
  return order.indexOf(key(records[i]));
}

