import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { formatFloat, type MetricFamily, type Sample } from '../../src/model/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { NASTY_HELP, NASTY_LABEL_VALUES } from './every-type-registry.js';
import { parseManyWithPython, parseWithPython, type ParsedFamily, type ParsedSample, type ParsedValue } from '../support/python-parser.js';

// Round trip through Debian's python3-prometheus-client parsers: whatever we encode must
// parse back to exactly the families, samples, labels, values, help and units we encoded
// (with the 0.0.4 format's documented renaming of types and suffixed families).

function parsedValue(v: number): ParsedValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v;
}

function parsedSample(s: Sample, withExemplar: boolean): ParsedSample {
  const ex = withExemplar ? s.exemplar : undefined;
  return {
    name: s.name,
    labels: { ...s.labels },
    value: parsedValue(s.value),
    timestamp: s.timestamp ?? null,
    exemplar: ex === undefined ? null : { labels: { ...ex.labels }, value: parsedValue(ex.value), timestamp: ex.timestamp ?? null },
  };
}

/** What python's OpenMetrics parser must read back: the families as they are. */
function expectedOpenMetrics(families: readonly MetricFamily[]): ParsedFamily[] {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: f.unit,
    samples: f.samples.map((s) =>
      parsedSample(s, (f.type === 'counter' && s.name === `${f.name}_total`) || (f.type.endsWith('histogram') && s.name === `${f.name}_bucket`)),
    ),
  }));
}

// `unknown` is written `untyped`; python's Metric reads `untyped` back as `unknown`.
const TEXT_TYPES: Readonly<Record<string, string>> = { gaugehistogram: 'histogram', info: 'gauge', stateset: 'gauge' };

/** What python's 0.0.4 parser must read back: client_python's generate_latest mapping. */
function expectedText(families: readonly MetricFamily[]): ParsedFamily[] {
  const out: ParsedFamily[] = [];
  for (const f of families) {
    const deferred = [`${f.name}_created`, `${f.name}_gcount`, `${f.name}_gsum`];
    out.push({
      name: f.type === 'info' ? `${f.name}_info` : f.name,
      type: TEXT_TYPES[f.type] ?? f.type,
      help: f.help,
      unit: '',
      samples: f.samples.filter((s) => !deferred.includes(s.name)).map((s) => parsedSample(s, false)),
    });
    for (const name of deferred) {
      const samples = f.samples.filter((s) => s.name === name);
      if (samples.length > 0) out.push({ name, type: 'gauge', help: f.help, unit: '', samples: samples.map((s) => parsedSample(s, false)) });
    }
  }
  return out;
}

/** The shared nasty label values, plus what only these encoder-level families carry: an empty value, a tab, a NUL. */
const NASTY_VALUES = [...NASTY_LABEL_VALUES.filter((v) => v !== 'plain'), '', 'tab\there', 'nul\u0000byte'];

/** Families of every type over the nasty label values, valid for the strict OpenMetrics parser. */
function nastyFamilies(): MetricFamily[] {
  const series = NASTY_VALUES.map((v, i) => ({ path: v, idx: String(i) }));
  const samples = (fn: (labels: Record<string, string>, i: number) => Sample[]): Sample[] => series.flatMap((labels, i) => fn(labels, i));
  return [
    {
      name: 'requests',
      type: 'counter',
      help: NASTY_HELP,
      unit: '',
      samples: samples((labels, i) => [
        { name: 'requests_total', labels, value: i * 1.5, exemplar: { labels: { trace_id: `t"${i}\\\n` }, value: 0.5, timestamp: 1700000000.25 } },
        { name: 'requests_created', labels, value: 1700000000.5 },
      ]),
    },
    { name: 'temperature_celsius', type: 'gauge', help: NASTY_HELP, unit: 'celsius', samples: samples((labels, i) => [{ name: 'temperature_celsius', labels, value: [-Infinity, NaN, -0.5, 1e-7, 1e21][i % 5] }]) },
    {
      name: 'stamped',
      type: 'gauge',
      help: 'Timestamped.',
      unit: '',
      samples: [
        { name: 'stamped', labels: { a: '1' }, value: 1, timestamp: 1520879607.25 },
        { name: 'stamped', labels: { a: '2' }, value: 2, timestamp: 0 },
      ],
    },
    {
      name: 'latency_seconds',
      type: 'histogram',
      help: NASTY_HELP,
      unit: 'seconds',
      samples: samples((labels, i) => [
        { name: 'latency_seconds_bucket', labels: { ...labels, le: formatFloat(0.005) }, value: 0 },
        { name: 'latency_seconds_bucket', labels: { ...labels, le: formatFloat(1) }, value: i, exemplar: { labels: {}, value: 0.75 } },
        { name: 'latency_seconds_bucket', labels: { ...labels, le: formatFloat(1e6) }, value: i },
        { name: 'latency_seconds_bucket', labels: { ...labels, le: formatFloat(Infinity) }, value: i + 1 },
        { name: 'latency_seconds_count', labels, value: i + 1 },
        { name: 'latency_seconds_sum', labels, value: 0.25 * i },
        { name: 'latency_seconds_created', labels, value: 1700000000 },
      ]),
    },
    {
      name: 'queue_wait',
      type: 'gaugehistogram',
      help: NASTY_HELP,
      unit: '',
      samples: samples((labels, i) => [
        { name: 'queue_wait_bucket', labels: { ...labels, le: '0.1' }, value: i, exemplar: { labels: { id: 'x' }, value: 0.05, timestamp: 1700000000 } },
        { name: 'queue_wait_bucket', labels: { ...labels, le: '+Inf' }, value: 2 * i },
        { name: 'queue_wait_gcount', labels, value: 2 * i },
        { name: 'queue_wait_gsum', labels, value: 0.5 * i },
      ]),
    },
    {
      name: 'payload_bytes',
      type: 'summary',
      help: NASTY_HELP,
      unit: 'bytes',
      samples: samples((labels, i) => [
        { name: 'payload_bytes', labels: { ...labels, quantile: formatFloat(0.5) }, value: i },
        { name: 'payload_bytes', labels: { ...labels, quantile: formatFloat(0.99) }, value: NaN },
        { name: 'payload_bytes_count', labels, value: 3 },
        { name: 'payload_bytes_sum', labels, value: 1e300 },
        { name: 'payload_bytes_created', labels, value: 1700000000 },
      ]),
    },
    { name: 'build', type: 'info', help: NASTY_HELP, unit: '', samples: samples((labels) => [{ name: 'build_info', labels: { ...labels, version: '1.2.3"\\\n' }, value: 1 }]) },
    {
      name: 'door',
      type: 'stateset',
      help: NASTY_HELP,
      unit: '',
      samples: samples((labels, i) => [
        { name: 'door', labels: { ...labels, door: 'open "wide"' }, value: i % 2 },
        { name: 'door', labels: { ...labels, door: 'shut\\' }, value: 1 - (i % 2) },
      ]),
    },
    { name: 'legacy', type: 'unknown', help: NASTY_HELP, unit: '', samples: samples((labels, i) => [{ name: 'legacy', labels, value: -i }]) },
    { name: 'no_help', type: 'gauge', help: '', unit: '', samples: [{ name: 'no_help', labels: {}, value: 1 }] },
    { name: 'no_samples', type: 'counter', help: 'Nothing yet.', unit: '', samples: [] },
  ];
}

describeWithBinaries([BIN.python3], 'encoders vs python3-prometheus-client parsers', () => {
  it('OpenMetrics: every type with nasty labels and help parses back exactly', async () => {
    const families = nastyFamilies();
    expect(await parseWithPython(encodeOpenMetrics(families), 'openmetrics')).toEqual(expectedOpenMetrics(families));
  });

  it('text 0.0.4: every type with nasty labels and help parses back exactly', async () => {
    const families = nastyFamilies();
    expect(await parseWithPython(encodeText(families), 'text')).toEqual(expectedText(families));
  });

  it('the seed example encodes to the text the article showed (types, names, _created placement)', async () => {
    const families: MetricFamily[] = [
      { name: 'c', type: 'counter', help: 'Description of counter', unit: '', samples: [{ name: 'c_total', labels: {}, value: 4 }, { name: 'c_created', labels: {}, value: 1727402670.3582432 }] },
      { name: 'my_build_version', type: 'info', help: 'Description of info', unit: '', samples: [{ name: 'my_build_version_info', labels: { buildhost: 'foo@bar', version: '1.2.3' }, value: 1 }] },
    ];
    expect(encodeText(families)).toBe(
      '# HELP c_total Description of counter\n# TYPE c_total counter\nc_total 4.0\n' +
        '# HELP c_created Description of counter\n# TYPE c_created gauge\nc_created 1.7274026703582432e+09\n' +
        '# HELP my_build_version_info Description of info\n# TYPE my_build_version_info gauge\n' +
        'my_build_version_info{buildhost="foo@bar",version="1.2.3"} 1.0\n',
    );
    expect(await parseWithPython(encodeText(families), 'text')).toEqual(expectedText(families));
  });

  it('any label values, help texts and values round-trip through both parsers (property, batched)', async () => {
    const seed = Date.now();
    // Help is framed by <> because python's 0.0.4 parser strips whitespace at line ends.
    const help = fc.string({ unit: 'binary', maxLength: 40 }).map((h) => `<${h}>`);
    const doc = fc.record({
      help,
      values: fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 6 }),
      numbers: fc.array(fc.double({ noNaN: false }), { minLength: 6, maxLength: 6 }),
      counts: fc.array(fc.nat({ max: 1e9 }), { minLength: 6, maxLength: 6 }),
    });
    const cases = fc.sample(doc, { numRuns: 150, seed }).map(({ help: h, values, numbers, counts }): MetricFamily[] => [
      { name: 'g', type: 'gauge', help: h, unit: '', samples: values.map((v, i) => ({ name: 'g', labels: { v }, value: numbers[i] })) },
      {
        name: 'c',
        type: 'counter',
        help: h,
        unit: '',
        samples: values.map((v, i) => ({ name: 'c_total', labels: { v }, value: counts[i], exemplar: { labels: { v: v.slice(0, 10) }, value: Math.abs(numbers[i]) || 0 } })),
      },
      {
        name: 'h',
        type: 'histogram',
        help: h,
        unit: '',
        samples: values.flatMap((v, i): Sample[] => [
          { name: 'h_bucket', labels: { v, le: '1.0' }, value: counts[i] },
          { name: 'h_bucket', labels: { v, le: '+Inf' }, value: counts[i] + 1 },
          { name: 'h_count', labels: { v }, value: counts[i] + 1 },
          { name: 'h_sum', labels: { v }, value: counts[i] / 3 },
        ]),
      },
      { name: 'i', type: 'info', help: h, unit: '', samples: values.map((v) => ({ name: 'i_info', labels: { v }, value: 1 })) },
    ]);
    const docs = cases.flatMap((families) => [
      { text: encodeOpenMetrics(families), format: 'openmetrics' as const },
      { text: encodeText(families), format: 'text' as const },
    ]);
    const outcomes = await parseManyWithPython(docs);
    cases.forEach((families, i) => {
      const om = outcomes[2 * i];
      const text = outcomes[2 * i + 1];
      const context = `seed ${seed}, case ${i}`;
      expect({ context, outcome: om }).toEqual({ context, outcome: { ok: true, families: expectedOpenMetrics(families) } });
      expect({ context, outcome: text }).toEqual({ context, outcome: { ok: true, families: expectedText(families) } });
    });
  }, 60_000);
});
