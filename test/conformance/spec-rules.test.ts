import { expect, it } from '@jest/globals';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { Counter, Enum, GaugeHistogram, Histogram, Info, Summary } from '../../src/metrics/index.js';
import {
  InvalidBucketsError,
  InvalidLabelNameError,
  InvalidMetricNameError,
  InvalidOptionsError,
  InvalidValueError,
  PromkitError,
  type MetricFamily,
} from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily } from '../support/python-parser.js';

// One focused test per OpenMetrics 1.0 rule (quoted) that an instrument could break. Each
// says: the core refuses the input with a typed error, or what it exposes is valid for the
// reference parser (client_python's OpenMetrics parser, which checks these rules; "Partial
// or invalid expositions MUST be considered erroneous in their entirety").

async function families(registry: Registry): Promise<MetricFamily[]> {
  return (await registry.collect()).families;
}

/** Both encodings parsed by client_python; rejects with the parser's message. */
async function parseBoth(fams: MetricFamily[]): Promise<{ text: ParsedFamily[]; openmetrics: ParsedFamily[] }> {
  const [text, om] = await parseManyWithPython([
    { text: encodeText(fams), format: 'text' },
    { text: encodeOpenMetrics(fams), format: 'openmetrics' },
  ]);
  if (!text.ok) throw new Error(`text parser: ${text.error}`);
  if (!om.ok) throw new Error(`OpenMetrics parser: ${om.error}\n${encodeOpenMetrics(fams)}`);
  return { text: text.families, openmetrics: om.families };
}

/**
 * Each bad call must be refused with `errorClass` and record nothing: the exposition is the
 * same after the calls as before, and still valid for the reference parser. (Writing the
 * value and keeping the output parseable is not enough: the rule forbids the value itself.)
 */
async function refusedAndUnrecorded(registry: Registry, badCalls: readonly (() => void)[], errorClass: new (...args: never[]) => PromkitError): Promise<void> {
  const before = encodeOpenMetrics(await families(registry));
  for (const call of badCalls) expect(call).toThrow(errorClass);
  const after = await families(registry);
  expect(encodeOpenMetrics(after)).toBe(before);
  await expect(parseBoth(after)).resolves.toBeDefined();
}

describeWithBinaries([BIN.python3], 'OpenMetrics 1.0 rules the instruments must keep', () => {
  // Histogram: "Negative threshold buckets MAY be used, but then the Histogram MetricPoint
  // MUST NOT contain a sum value" and "If and only if a Sum Value is present in a
  // MetricPoint, then the MetricPoint's +Inf Bucket value MUST also appear in a Sample with
  // a MetricName with the suffix _count".
  it('a histogram with a negative bucket bound writes neither _sum nor _count', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'temperature_celsius', help: 't', buckets: [-10, 0, 10, 30], registry });
    for (const v of [-20, -5, 3, 25, 40]) h.observe(v);
    const fams = await families(registry);
    expect(fams[0].samples.map((s) => s.name).filter((n) => n.endsWith('_sum') || n.endsWith('_count'))).toEqual([]);
    const parsed = await parseBoth(fams);
    expect(parsed.openmetrics[0].samples.find((s) => s.labels.le === '+Inf')?.value).toBe(5);
  });

  // Histogram: "Sum, and buckets values are counters so MUST NOT be NaN or negative";
  // Summary: "Count and Sum values are counters so MUST NOT be NaN or negative" and
  // "Quantile values MUST NOT be negative"; GaugeHistogram: "If negative threshold buckets
  // are present, then sum MAY be negative" (and only then).
  it.each([
    ['histogram without negative buckets', (registry: Registry) => new Histogram({ name: 'latency_seconds', help: 'l', buckets: [0.1, 1], registry })],
    ['summary', (registry: Registry) => new Summary({ name: 'latency_seconds', help: 'l', percentiles: [0.5], registry })],
    ['gauge histogram without negative buckets', (registry: Registry) => new GaugeHistogram({ name: 'queue_wait_seconds', help: 'w', buckets: [0.1, 1], registry })],
  ])('a negative observation in a %s is refused (typed) and not recorded', async (_kind, create) => {
    const registry = new Registry();
    const metric = create(registry);
    metric.observe(0.5);
    await refusedAndUnrecorded(registry, [() => metric.observe(-3), () => metric.observe(-Infinity)], InvalidValueError);
  });

  // GaugeHistogram: "Gsum MUST NOT be NaN". +Inf and -Inf items (or taking an infinite item
  // back) would make the running sum NaN, so items must be finite.
  it.each([
    ['+Inf and -Inf items (negative buckets)', [-1, 1], [(g: GaugeHistogram) => g.observe(Infinity), (g: GaugeHistogram) => g.observe(-Infinity)]],
    ['an infinite item taken back', [1], [(g: GaugeHistogram) => g.unobserve(Infinity)]],
  ] as const)('a gauge histogram refuses what would make _gsum NaN: %s', async (_case, buckets, badCalls) => {
    const registry = new Registry();
    const g = new GaugeHistogram({ name: 'queue_size_bytes', help: 'q', buckets, registry });
    g.observe(0.5);
    await refusedAndUnrecorded(registry, badCalls.map((bad) => () => bad(g)), InvalidValueError);
  });

  // StateSet: "Each State's sample MUST have a label with the MetricFamily name as the label
  // name" — so the name must be a legal label name (no ':'), as stateSetFamily() already demands.
  it('an Enum (stateset) refuses a name that cannot be a label name', async () => {
    const registry = new Registry();
    let refused: unknown;
    try {
      new Enum({ name: 'job:state', help: 's', states: ['idle', 'busy'], registry });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidMetricNameError);
    expect(encodeOpenMetrics(await families(registry))).toBe('# EOF\n');
  });

  // Counter: "A Total is a non-NaN and MUST be monotonically non-decreasing over time".
  it('a counter refuses negative and NaN increments', () => {
    const c = new Counter({ name: 'jobs', help: 'j', registry: new Registry() });
    expect(() => c.inc(-1)).toThrow(InvalidValueError);
    expect(() => c.inc(NaN)).toThrow(InvalidValueError);
    expect(c.get()).toBe(0);
  });

  // Histogram: "Bucket thresholds MUST NOT equal NaN", "Bucket thresholds within a
  // MetricPoint MUST be unique"; "Buckets MUST be sorted".
  it.each([[[NaN]], [[1, 1]], [[2, 1]]])('a histogram refuses the buckets %p', (buckets) => {
    expect(() => new Histogram({ name: 'h', help: 'h', buckets, registry: new Registry() })).toThrow(InvalidBucketsError);
  });

  // Summary: "Quantiles MUST be between 0 and 1 inclusive".
  it.each([[[-0.1]], [[1.5]], [[NaN]]])('a summary refuses the quantiles %p', (percentiles) => {
    expect(() => new Summary({ name: 's', help: 's', percentiles, registry: new Registry() })).toThrow(InvalidOptionsError);
  });

  // Info/StateSet: "MetricFamilies of type Info/StateSet MUST have an empty Unit string".
  it('info and enum refuse a unit', () => {
    expect(() => new Info({ name: 'build', help: 'b', unit: 'seconds', registry: new Registry() })).toThrow(InvalidOptionsError);
    expect(() => new Enum({ name: 'phase', help: 'p', unit: 'seconds', states: ['a'], registry: new Registry() })).toThrow(InvalidOptionsError);
  });

  // Info: "An Info MetricPoint's LabelSet MUST NOT have a label name which is the same as
  // the name of a label of the LabelSet of its Metric".
  it("an info refuses a key that is one of its metric's labels", () => {
    const info = new Info({ name: 'build', help: 'b', labelNames: ['env'], registry: new Registry() });
    expect(() => info.info({ env: 'prod' }, { env: 'dev' })).toThrow(InvalidLabelNameError);
  });

  // Exemplars: "The combined length of the label names and values of an Exemplar's LabelSet
  // MUST NOT exceed 128 UTF-8 character code points."
  it('an exemplar over 128 code points is refused and the value not recorded', () => {
    const c = new Counter({ name: 'jobs', help: 'j', registry: new Registry() });
    expect(() => c.inc(1, { trace_id: '🚀'.repeat(121) })).toThrow(InvalidValueError);
    c.inc(1, { trace_id: '🚀'.repeat(120) });
    expect(c.get()).toBe(1);
  });
});
