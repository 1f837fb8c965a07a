import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { DEFAULT_BUCKETS, GaugeHistogram, Histogram, Summary } from '../../src/metrics/index.js';
import { gaugeFamily, type MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily, type ParserFormat } from '../support/python-parser.js';
import { runPython } from '../support/python-parser.js';
import { PY_GO_FLOAT } from './go-float-oracle.js';

// Canonical numbers (OpenMetrics 1.0, "Considerations: Canonical Numbers"): `le` and
// `quantile` label values are opaque strings to Prometheus 2.x, so every client must spell
// them alike — Go's shortest %g with `.0` added (client_golang, client_python) — or one
// series splits in two. Plus the histogram rules around them: integral cumulative counts,
// the +Inf bucket equal to `_count`, `_sum`/`_count` only without negative buckets, and
// timestamps in milliseconds (0.0.4) or seconds (OpenMetrics).

const SEED = 20240601;

async function families(registry: Registry): Promise<MetricFamily[]> {
  return (await registry.collect()).families;
}

/** Both encodings of `fams`, parsed by the reference parsers; rejects if either does not parse. */
async function parseBoth(fams: MetricFamily[]): Promise<Record<ParserFormat, ParsedFamily[]>> {
  const [text, om] = await parseManyWithPython([
    { text: encodeText(fams), format: 'text' },
    { text: encodeOpenMetrics(fams), format: 'openmetrics' },
  ]);
  if (!text.ok) throw new Error(`text parser: ${text.error}`);
  if (!om.ok) throw new Error(`OpenMetrics parser: ${om.error}`);
  return { text: text.families, openmetrics: om.families };
}

/** The values of `label` on the samples named `sample`, in exposition order. */
function labelValues(parsed: ParsedFamily[], sample: string, label: string): string[] {
  return parsed.flatMap((f) => f.samples).filter((s) => s.name === sample).map((s) => s.labels[label]);
}

function histogramOf(buckets: readonly number[]): Registry {
  const registry = new Registry();
  new Histogram({ name: 'h', help: 'h', buckets, registry });
  return registry;
}

describeWithBinaries([BIN.python3], 'canonical numbers and histogram invariants', () => {
  it("spells `le` like the OpenMetrics spec's own examples", async () => {
    // The two example lists of OpenMetrics 1.0 "Considerations: Canonical Numbers".
    const small = ['0.0', '0.001', '0.002', '0.01', '0.1', '0.9', '0.95', '0.99', '0.999', '1.0', '1.7', '10.0'];
    const powers = ['1e-10', '1e-09', '1e-05', '0.0001', '0.1', '1.0', '100000.0', '1e+06', '1e+10'];
    for (const spelled of [small, powers]) {
      const parsed = await parseBoth(await families(histogramOf(spelled.map(Number))));
      for (const format of ['text', 'openmetrics'] as const) {
        expect([format, labelValues(parsed[format], 'h_bucket', 'le')]).toEqual([format, [...spelled, '+Inf']]);
      }
    }
  });

  it("spells `le` and `quantile` exactly as client_python does for 0.000 ... 10.000 and the default buckets", async () => {
    const steps = Array.from({ length: 10_001 }, (_, k) => k / 1000);
    const registry = histogramOf(steps);
    const defaults = new Histogram({ name: 'd', help: 'd', registry });
    defaults.observe(0.3);
    const quantiles = steps.filter((q) => q <= 1);
    new Summary({ name: 's', help: 's', percentiles: quantiles, registry });
    const python = await runPython<{ steps: string[]; defaults: string[]; quantiles: string[] }>(
      String.raw`
import json, sys
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.utils import floatToGoString
steps = [k / 1000 for k in range(10001)]
r = CollectorRegistry()
Histogram('d', 'd', registry=r).observe(0.3)
defaults = [s.labels['le'] for m in r.collect() for s in m.samples if s.name == 'd_bucket']
json.dump({'steps': [floatToGoString(x) for x in steps], 'defaults': defaults, 'quantiles': [floatToGoString(x) for x in steps if x <= 1]}, sys.stdout)
`,
    );
    // Read off the wire with a regex: 22k lines are too slow for the Python parsers, and an
    // `le` needs no unescaping.
    const fams = await families(registry);
    for (const text of [encodeText(fams), encodeOpenMetrics(fams)]) {
      const wire = (sample: string, label: string): string[] =>
        [...text.matchAll(new RegExp(`^${sample}\\{${label}="([^"]*)"\\}`, 'gm'))].map((m) => m[1]);
      expect(wire('h_bucket', 'le')).toEqual([...python.steps, '+Inf']);
      expect(wire('d_bucket', 'le')).toEqual(python.defaults);
      expect(wire('s', 'quantile')).toEqual(python.quantiles);
    }
    expect(DEFAULT_BUCKETS.length).toBe(python.defaults.length);
  });

  it('spells `le` of thousands of random doubles as Go does (%g, shortest, .0 added), and they parse back to the same double', async () => {
    const bounds = [...new Set(fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { seed: SEED, numRuns: 4000 }).map((x) => (Object.is(x, -0) ? 0 : x)))].sort(
      (a, b) => a - b,
    );
    const expected = await runPython<string[]>(`${PY_GO_FLOAT}\nimport json, sys\njson.dump([go_float(x) for x in json.load(sys.stdin)], sys.stdout)`, bounds);
    // The 0.0.4 parser does not check histograms: it reads negative bounds too.
    const [parsed] = await parseManyWithPython([{ text: encodeText(await families(histogramOf(bounds))), format: 'text' }]);
    if (!parsed.ok) throw new Error(parsed.error);
    const les = labelValues(parsed.families, 'h_bucket', 'le');
    expect(les).toEqual([...expected, '+Inf']);
    expect(les.slice(0, -1).map(Number)).toEqual(bounds);
  });

  it('writes integral cumulative bucket counts, the +Inf bucket equal to _count (and _gcount), and no negative _gsum, for any observations', async () => {
    const runs = fc.sample(
      fc.record({
        // Non-negative (negative observations: spec-rules.test.ts); the gauge histogram `g`
        // has a negative bucket and gets them shifted by -10, so its _gsum may go negative.
        observations: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.3, 0.7))), { maxLength: 200 }),
        removed: fc.nat({ max: 50 }),
      }),
      { seed: SEED, numRuns: 100 },
    );
    const registries = runs.map(({ observations, removed }) => {
      const registry = new Registry();
      const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [0.005, 1, 2.5, 1e6], registry });
      const g = new GaugeHistogram({ name: 'g', help: 'g', labelNames: ['k'], buckets: [-1, 0.5, 1e3], registry });
      // Without a negative bucket _gsum must never go negative, float residue of unobserve() included.
      const p = new GaugeHistogram({ name: 'p', help: 'p', labelNames: ['k'], buckets: [0.5, 1e3], registry });
      for (const [k, v] of observations) {
        h.observe({ k }, v);
        g.observe({ k }, v - 10);
        p.observe({ k }, v);
      }
      for (const [k, v] of observations.slice(0, removed)) {
        g.labels({ k }).unobserve(v - 10);
        p.labels({ k }).unobserve(v);
      }
      return registry;
    });
    const docs = (await Promise.all(registries.map(families))).flatMap((fams) => [
      { text: encodeText(fams), format: 'text' as const },
      { text: encodeOpenMetrics(fams), format: 'openmetrics' as const },
    ]);
    const outcomes = await parseManyWithPython(docs);
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) throw new Error(`${docs[i].format}: ${outcome.error}\n${docs[i].text}`);
      const { observations, removed } = runs[Math.floor(i / 2)];
      for (const k of ['a', 'b', 'c']) {
        const observed = observations.filter(([key]) => key === k).length;
        if (observed === 0) continue;
        const held = observed - observations.slice(0, removed).filter(([key]) => key === k).length;
        for (const [name, count, total] of [
          ['h', 'h_count', observed],
          ['g', 'g_gcount', held],
          ['p', 'p_gcount', held],
        ] as const) {
          const samples = outcome.families.flatMap((f) => f.samples).filter((s) => s.labels.k === k);
          const buckets = samples.filter((s) => s.name === `${name}_bucket`).map((s) => s.value as number);
          expect(buckets.every((b) => Number.isInteger(b))).toBe(true);
          expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
          expect([buckets[buckets.length - 1], samples.find((s) => s.name === count)?.value]).toEqual([total, total]);
        }
      }
    });
  });

  it('writes timestamps as integer milliseconds in 0.0.4 and as seconds in OpenMetrics, read back as the same instant', async () => {
    const stamps = [1520879607.789, 1700000000, 0.001, 1604676851.123];
    const fams: MetricFamily[] = [stamps.reduce((f, t, i) => f.add({ i: String(i) }, i, { timestamp: t }), gaugeFamily<'i'>({ name: 'stamped', help: 'x', labelNames: ['i'] }))];
    const text = encodeText(fams);
    const om = encodeOpenMetrics(fams);
    expect(text).toContain('stamped{i="0"} 0.0 1520879607789\n');
    expect(text).toContain('stamped{i="2"} 2.0 1\n');
    expect(om).toContain('stamped{i="0"} 0.0 1520879607.789\n');
    expect(om).toContain('stamped{i="1"} 1.0 1700000000\n');
    const parsed = await parseBoth(fams);
    for (const format of ['text', 'openmetrics'] as const) {
      expect([format, parsed[format][0].samples.map((s) => s.timestamp)]).toEqual([format, stamps]);
    }
  });
});
