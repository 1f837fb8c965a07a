import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { Counter, Enum, Gauge, GaugeHistogram, Histogram, Info, Summary } from '../../src/metrics/index.js';
import {
  counterFamily,
  DuplicateMetricError,
  gaugeFamily,
  histogramFamily,
  InvalidLabelNameError,
  InvalidMetricNameError,
  InvalidValueError,
  PromkitError,
  summaryFamily,
  type MetricFamily,
} from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily, type ParsedSample, type ParsedValue } from '../support/python-parser.js';

// Property-based conformance: random programs (legal and adversarial metric and label names,
// any unicode label values and HELP, finite and non-finite values) record into real
// instruments; both encoders' output is read back by Debian's python3-prometheus-client
// parsers and must give exactly the families, labels and values the program recorded —
// derived here from the program, not from promkit's own families. Illegal names must be
// refused with a typed error and never reach the output.
//
// Seeded: a failure names the seed and case index; rerun with PROMKIT_PROPERTY_SEED=<seed>.

const SEED = Number(process.env.PROMKIT_PROPERTY_SEED ?? 424242);
const CASES = Number(process.env.PROMKIT_PROPERTY_CASES ?? 2000);

type Kind = 'counter' | 'gauge' | 'histogram' | 'summary' | 'info' | 'stateset' | 'gaugehistogram';

interface SeriesSpec {
  /** Label values, aligned with the family's label names. */
  readonly values: readonly string[];
  /** Counter increments, gauge values (the last one stays), or observations. */
  readonly numbers: readonly number[];
  /** The stateset's state (an index into `states`). */
  readonly state: number;
  /** The info's key/value pairs. */
  readonly info: readonly (readonly [string, string])[];
  /** An exemplar for the last increment / observation (counters and histograms). */
  readonly exemplar: Readonly<Record<string, string>> | null;
}

interface FamilySpec {
  readonly kind: Kind;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly quantiles: readonly number[];
  readonly states: readonly string[];
  readonly series: readonly SeriesSpec[];
}

// ---------------------------------------------------------------------------- generators

const nastyPiece = fc.constantFrom('', '\\', '"', '\n', '\\n', '\\"', '\\\\', '# EOF', '{', '}', ',', '=', ' ', '\t', '\r', '\u0000', '🚀', 'é', '\u2028');
/** Any unicode (no lone surrogates: they are not UTF-8), biased towards what needs escaping. */
const anyText = fc.array(fc.oneof(nastyPiece, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 5 }).map((parts) => parts.join(''));

const SUFFIXES = ['', '', '', '_total', '_created', '_bucket', '_count', '_sum', '_info', '_gcount', '_gsum', '_seconds'];
const metricName = fc
  .tuple(fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/), fc.constantFrom(...SUFFIXES))
  .map(([base, suffix]) => base + suffix)
  .filter((n) => !n.startsWith('__'));
const labelName = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/).filter((n) => !n.startsWith('__')) },
  { weight: 1, arbitrary: fc.constantFrom('le', 'quantile', 'a', 'b') },
);
const anyDouble = fc.double();
const nonNegative = fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0, max: 1e300, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Infinity) });
const buckets = (min: number): fc.Arbitrary<number[]> =>
  fc.uniqueArray(fc.double({ min, max: 1e300, noNaN: true }), { minLength: 1, maxLength: 6, comparator: (a, b) => a === b }).map((b) => b.sort((x, y) => x - y));

const familySpec: fc.Arbitrary<FamilySpec> = fc
  .record({
    kind: fc.constantFrom<Kind>('counter', 'gauge', 'histogram', 'summary', 'info', 'stateset', 'gaugehistogram'),
    name: metricName,
    help: anyText,
    unit: fc.constantFrom('', '', '', 'seconds', 'bytes', 'ratio'),
    labelNames: fc.uniqueArray(labelName, { maxLength: 3 }),
  })
  // An Enum named with a ':' is refused by spec-rules.test.ts (the core accepts it today);
  // here its names stay label names so this test keeps checking everything else.
  .map((head) => (head.kind === 'stateset' ? { ...head, name: head.name.replaceAll(':', '_') } : head))
  .chain((head) => {
    // Negative observations too: the core may refuse them (typed) where OpenMetrics forbids a
    // negative sum, or must expose them validly. The gauge histogram's stay finite (an
    // infinite item makes _gsum NaN: spec-rules.test.ts).
    const numbers =
      head.kind === 'gauge'
        ? anyDouble
        : head.kind === 'counter'
          ? nonNegative
          : head.kind === 'gaugehistogram'
            ? fc.double({ min: -1e300, max: 1e300, noNaN: true })
            : fc.oneof({ weight: 8, arbitrary: fc.double({ min: -1e300, max: 1e300, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity) });
    const series = fc.record({
      values: fc.tuple(...head.labelNames.map(() => anyText)),
      numbers: fc.array(numbers, { maxLength: 6 }),
      state: fc.nat({ max: 3 }),
      info: fc.uniqueArray(fc.tuple(labelName, anyText), { maxLength: 3, selector: ([k]) => k }),
      // No `}` in exemplar label values: client_python 0.16's parser ends the exemplar's
      // labels at the first `}` even inside quotes (its bug; Prometheus reads them fine).
      exemplar: fc.option(fc.dictionary(labelName, fc.string({ maxLength: 8 }).map((v) => v.replaceAll('}', ')')), { maxKeys: 2 }), { freq: 3 }),
    });
    return fc.record({
      kind: fc.constant(head.kind),
      name: fc.constant(head.name),
      help: fc.constant(head.help),
      unit: fc.constant(head.unit),
      labelNames: fc.constant(head.labelNames),
      buckets: fc.oneof(buckets(0), buckets(-1e300)),
      quantiles: fc.uniqueArray(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.5, 0.9, 0.99)), { maxLength: 3, comparator: (a, b) => a === b }),
      states: fc.uniqueArray(anyText, { minLength: 1, maxLength: 4 }),
      // One unlabelled series at most; labelled ones distinct by their values.
      series:
        head.labelNames.length === 0
          ? fc.array(series, { maxLength: 1 })
          : fc.uniqueArray(series, { maxLength: 3, selector: (s) => JSON.stringify(s.values) }),
    });
  });

/**
 * 1-3 families, plus often one named after another's name and a type suffix (`x` and
 * `x_total`, `x_bucket`, `x_created`, ...): the registry must refuse the clashing ones, and
 * let through only what the parsers can tell apart.
 */
const programSpec = fc
  .tuple(
    fc.uniqueArray(familySpec, { minLength: 1, maxLength: 3, selector: (f) => f.name }),
    fc.option(fc.tuple(familySpec, fc.constantFrom(...SUFFIXES.filter((x) => x !== '')), fc.nat()), { freq: 2 }),
  )
  .map(([families, sibling]) => {
    if (sibling === null) return families;
    const [spec, suffix, i] = sibling;
    const name = `${families[i % families.length].name}${suffix}`;
    return families.some((f) => f.name === name) ? families : [...families, { ...spec, name: spec.kind === 'stateset' ? name.replaceAll(':', '_') : name }];
  });

// ---------------------------------------------------------------------------- the program

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The name the family gets: type suffix stripped, `_<unit>` appended (the contract's rules). */
function familyName(spec: FamilySpec): string {
  let name = spec.name;
  const strip = spec.kind === 'counter' ? '_total' : spec.kind === 'info' ? '_info' : undefined;
  if (strip !== undefined && name.endsWith(strip)) name = name.slice(0, -strip.length);
  if (spec.unit !== '' && !name.endsWith(`_${spec.unit}`)) name = `${name}_${spec.unit}`;
  return name;
}

/** Why the definition is illegal (OpenMetrics / Prometheus data model), or undefined. */
function illegality(spec: FamilySpec): string | undefined {
  const name = familyName(spec);
  // `__` names are reserved for Prometheus's own use (the contract refuses them).
  if (!METRIC_NAME.test(name) || name.startsWith('__')) return 'metric name';
  if (spec.unit !== '' && (spec.kind === 'info' || spec.kind === 'stateset')) return 'unit on info/stateset';
  if (spec.kind === 'stateset' && !LABEL_NAME.test(name)) return 'stateset name is not a label name';
  const reserved = spec.kind === 'histogram' || spec.kind === 'gaugehistogram' ? ['le'] : spec.kind === 'summary' ? ['quantile'] : spec.kind === 'stateset' ? [name] : [];
  for (const l of spec.labelNames) {
    if (!LABEL_NAME.test(l) || l.startsWith('__') || reserved.includes(l)) return `label ${l}`;
  }
  return undefined;
}

function infoIllegality(spec: FamilySpec, series: SeriesSpec): string | undefined {
  for (const [k] of series.info) if (!LABEL_NAME.test(k) || k.startsWith('__') || spec.labelNames.includes(k)) return `info key ${k}`;
  return undefined;
}

function exemplarTooLong(exemplar: Readonly<Record<string, string>>): boolean {
  return Object.entries(exemplar).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0) > 128;
}

/**
 * Whether OpenMetrics forbids exposing `value` in this metric, so the core may refuse it
 * with a typed error: a negative value makes a summary's or (without a negative bucket) a
 * histogram's sum negative; an infinite count increment is allowed to be refused too.
 */
function refusable(spec: FamilySpec, value: number): boolean {
  const negativeBucket = spec.buckets[0] < 0;
  switch (spec.kind) {
    case 'counter':
      return value === Infinity;
    case 'summary':
      return value < 0;
    case 'histogram':
    case 'gaugehistogram':
      return value < 0 && !negativeBucket;
    default:
      return false;
  }
}

type AnyInstrument = Counter<string> | Gauge<string> | Histogram<string> | Summary<string> | Info<string> | Enum<string, string> | GaugeHistogram<string>;

function construct(spec: FamilySpec, registry: Registry): AnyInstrument {
  const common = { name: spec.name, help: spec.help, labelNames: spec.labelNames, registry, ...(spec.unit === '' ? {} : { unit: spec.unit }) };
  switch (spec.kind) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new Histogram({ ...common, buckets: spec.buckets });
    case 'summary':
      return new Summary({ ...common, percentiles: spec.quantiles });
    case 'info':
      return new Info(common);
    case 'stateset':
      return new Enum({ ...common, states: spec.states });
    case 'gaugehistogram':
      return new GaugeHistogram({ ...common, buckets: spec.buckets });
  }
}

/** What one series recorded, as the program saw it. */
interface Recorded {
  readonly spec: SeriesSpec;
  /** The exemplar that was accepted, if any. */
  readonly exemplar: Readonly<Record<string, string>> | null;
}

interface Outcome {
  readonly spec: FamilySpec;
  /** undefined = not registered (refused with `error`). */
  readonly series: Recorded[] | undefined;
  readonly error?: unknown;
}

/** Values of the current series the core refused (with a typed error, as it may). */
const refused = new Set<number>();

/** Records one value; a refusal must be a typed error for a value OpenMetrics cannot expose. */
function attempt(spec: FamilySpec, value: number, record: () => void): boolean {
  try {
    record();
    return true;
  } catch (error) {
    if (!(error instanceof InvalidValueError) || !refusable(spec, value)) throw error;
    refused.add(value);
    return false;
  }
}

/** Runs the program; every refusal must be a typed error, and only for an illegal input. */
function run(program: readonly FamilySpec[], registry: Registry): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const spec of program) {
    let metric: AnyInstrument;
    try {
      metric = construct(spec, registry);
    } catch (error) {
      outcomes.push({ spec, series: undefined, error });
      continue;
    }
    const series: Recorded[] = [];
    // An unlabelled metric has its one series from the start, recorded into or not.
    const specified = spec.labelNames.length === 0 && spec.series.length === 0 ? [{ values: [], numbers: [], state: 0, info: [], exemplar: null }] : spec.series;
    for (const s of specified) {
      const labels = Object.fromEntries(spec.labelNames.map((l, i) => [l, s.values[i]]));
      const child = spec.labelNames.length === 0 ? undefined : labels;
      let exemplar: Readonly<Record<string, string>> | null = null;
      switch (spec.kind) {
        case 'counter': {
          const c = metric as Counter<string>;
          c.labels(...(s.values as string[]));
          s.numbers.forEach((v, i) => {
            const ex = i === s.numbers.length - 1 && s.exemplar !== null && !exemplarTooLong(s.exemplar) ? s.exemplar : undefined;
            if (attempt(spec, v, () => (child === undefined ? (metric as Counter).inc(v, ex) : c.inc(child, v, ex))) && ex !== undefined) exemplar = ex;
            else if (i === s.numbers.length - 1) exemplar = null;
          });
          break;
        }
        case 'gauge': {
          const g = metric as Gauge<string>;
          g.labels(...(s.values as string[]));
          for (const v of s.numbers) child === undefined ? (metric as Gauge).set(v) : g.set(child, v);
          break;
        }
        case 'histogram':
        case 'gaugehistogram':
        case 'summary': {
          const h = metric as Histogram<string>;
          h.labels(...(s.values as string[]));
          s.numbers.forEach((v, i) => {
            const ex = spec.kind === 'histogram' && i === s.numbers.length - 1 && s.exemplar !== null && !exemplarTooLong(s.exemplar) ? s.exemplar : undefined;
            if (attempt(spec, v, () => (child === undefined ? (metric as Histogram).observe(v, ex) : h.observe(child, v, ex)))) {
              if (ex !== undefined) exemplar = ex;
            } else if (i === s.numbers.length - 1) exemplar = null;
          });
          break;
        }
        case 'info': {
          const info = metric as Info<string>;
          const values = Object.fromEntries(s.info);
          const why = infoIllegality(spec, s);
          try {
            if (child === undefined) (metric as Info).info(values);
            else info.info(child, values);
            if (why !== undefined) throw new Error(`info() accepted an illegal ${why}`);
          } catch (error) {
            if (why === undefined || !(error instanceof InvalidLabelNameError)) throw error;
            // Refused: the series stays with no information (labels() made it exist).
            series.push({ spec: { ...s, info: [] }, exemplar: null });
            continue;
          }
          break;
        }
        case 'stateset': {
          const e = metric as Enum<string, string>;
          const state = spec.states[s.state % spec.states.length];
          child === undefined ? (metric as Enum<never, string>).state(state) : e.state(child, state);
          break;
        }
      }
      series.push({ spec: { ...s, numbers: s.numbers.filter((v) => !refused.has(v)) }, exemplar });
      refused.clear();
    }
    outcomes.push({ spec, series });
  }
  return outcomes;
}

// ---------------------------------------------------------------------------- expectations

const CREATED = 'created';
const QUANTILE = 'quantile';

/** A placeholder a parsed value is checked against loosely (creation times, quantile estimates). */
type Expected = ParsedValue | typeof CREATED | { readonly [QUANTILE]: readonly number[] };

interface ExpectedSample {
  name: string;
  labels: Record<string, string>;
  value: Expected;
  exemplar: { labels: Record<string, string>; value: ParsedValue } | null;
}

interface ExpectedFamily {
  name: string;
  type: string;
  help: string;
  unit: string;
  samples: ExpectedSample[];
}

function pv(v: number): ParsedValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v;
}

/** `le`/`quantile` compared as numbers here (their spelling is canonical-numbers.test.ts's job). */
function numberLabel(s: string): string {
  return s === '+Inf' ? '+Inf' : String(Number(s));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The OpenMetrics view of what the program recorded: one family per registered instrument. */
function expectedFamilies(outcomes: readonly Outcome[]): ExpectedFamily[] {
  const out: ExpectedFamily[] = [];
  for (const { spec, series } of outcomes) {
    if (series === undefined) continue;
    const name = familyName(spec);
    const samples: ExpectedSample[] = [];
    const push = (sampleName: string, labels: Record<string, string>, value: Expected, exemplar: ExpectedSample['exemplar'] = null): void => {
      samples.push({ name: sampleName, labels, value, exemplar });
    };
    for (const { spec: s, exemplar } of series) {
      const labels = Object.fromEntries(spec.labelNames.map((l, i) => [l, s.values[i]]));
      const last = s.numbers[s.numbers.length - 1];
      switch (spec.kind) {
        case 'counter':
          push(`${name}_total`, labels, pv(sum(s.numbers)), exemplar === null ? null : { labels: { ...exemplar }, value: pv(last) });
          push(`${name}_created`, labels, CREATED);
          break;
        case 'gauge':
          push(name, labels, pv(s.numbers.length === 0 ? 0 : last));
          break;
        case 'histogram':
        case 'gaugehistogram': {
          const bounds = [...spec.buckets, Infinity];
          // The exemplar sits in the bucket of the last observation.
          const exemplarBucket = exemplar === null ? -1 : bounds.findIndex((b) => last <= b);
          bounds.forEach((b, i) => {
            const count = s.numbers.filter((v) => v <= b).length;
            push(`${name}_bucket`, { ...labels, le: numberLabel(String(b === Infinity ? '+Inf' : b)) }, count, i === exemplarBucket && exemplar !== null ? { labels: { ...exemplar }, value: pv(last) } : null);
          });
          if (spec.kind === 'histogram') {
            // OpenMetrics: no _sum with a negative bucket, and _count only alongside _sum.
            if (spec.buckets[0] >= 0) {
              push(`${name}_count`, labels, s.numbers.length);
              push(`${name}_sum`, labels, pv(sum(s.numbers)));
            }
            push(`${name}_created`, labels, CREATED);
          } else {
            push(`${name}_gcount`, labels, s.numbers.length);
            push(`${name}_gsum`, labels, pv(sum(s.numbers)));
          }
          break;
        }
        case 'summary':
          for (const q of spec.quantiles) push(name, { ...labels, quantile: numberLabel(String(q)) }, { [QUANTILE]: s.numbers });
          push(`${name}_count`, labels, s.numbers.length);
          push(`${name}_sum`, labels, pv(sum(s.numbers)));
          push(`${name}_created`, labels, CREATED);
          break;
        case 'info':
          push(`${name}_info`, { ...labels, ...Object.fromEntries(s.info) }, 1);
          break;
        case 'stateset': {
          const current = s.state % spec.states.length;
          spec.states.forEach((state, i) => push(name, { ...labels, [name]: state }, i === current ? 1 : 0));
          break;
        }
      }
    }
    out.push({ name, type: spec.kind, help: spec.help, unit: spec.unit, samples });
  }
  return out;
}

/** Python's `str.strip()`/`split()` whitespace: the 0.0.4 parser loses it around a HELP text. */
const PY_SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');

/** The 0.0.4 view: client_python's mapping (no units, exemplars or OpenMetrics-only types; suffixed gauges). */
function expectedText(families: readonly ExpectedFamily[]): ExpectedFamily[] {
  const TEXT_TYPE: Record<string, string> = { gaugehistogram: 'histogram', info: 'gauge', stateset: 'gauge' };
  const out: ExpectedFamily[] = [];
  for (const f of families) {
    // The parser strips the escaped line, then unescapes `\\` and `\n` (0.0.4 HELP escaping).
    const escaped = f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    const help = escaped.replace(PY_STRIP, '').replace(/\\([\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
    const separate = [`${f.name}_created`, `${f.name}_gcount`, `${f.name}_gsum`];
    const strip = (s: ExpectedSample): ExpectedSample => ({ ...s, exemplar: null });
    out.push({
      name: f.type === 'info' ? `${f.name}_info` : f.name,
      type: TEXT_TYPE[f.type] ?? f.type,
      help,
      unit: '',
      samples: f.samples.filter((s) => !separate.includes(s.name)).map(strip),
    });
    for (const name of separate) {
      const samples = f.samples.filter((s) => s.name === name).map(strip);
      if (samples.length > 0) out.push({ name, type: 'gauge', help, unit: '', samples });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------- comparison

function sampleOrder(a: { name: string; labels: Record<string, string> }, b: { name: string; labels: Record<string, string> }): number {
  const ka = `${a.name}${JSON.stringify(Object.entries(a.labels).sort())}`;
  const kb = `${b.name}${JSON.stringify(Object.entries(b.labels).sort())}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Returns a description of the first difference, or undefined when `parsed` is what was expected. */
function difference(parsed: readonly ParsedFamily[], expected: readonly ExpectedFamily[], window: readonly [number, number]): string | undefined {
  const byName = [...parsed].sort((a, b) => (a.name < b.name ? -1 : 1));
  const want = [...expected].sort((a, b) => (a.name < b.name ? -1 : 1));
  const head = (fs: readonly { name: string; type: string; help: string; unit: string }[]): string[] => fs.map((f) => JSON.stringify([f.name, f.type, f.help, f.unit]));
  if (JSON.stringify(head(byName)) !== JSON.stringify(head(want))) return `families differ:\n  got  ${head(byName).join('\n       ')}\n  want ${head(want).join('\n       ')}`;
  for (let i = 0; i < want.length; i++) {
    const got = byName[i].samples.map((s) => ({ ...s, labels: normalised(s, want[i]) })).sort(sampleOrder);
    const exp = [...want[i].samples].sort(sampleOrder);
    if (got.length !== exp.length) return `${want[i].name}: ${got.length} samples, want ${exp.length}: ${JSON.stringify(got.map((s) => [s.name, s.labels]))} vs ${JSON.stringify(exp.map((s) => [s.name, s.labels]))}`;
    for (let j = 0; j < exp.length; j++) {
      const g: ParsedSample = got[j];
      const e = exp[j];
      const problem = sampleProblem(g, e, window);
      if (problem !== undefined) return `${want[i].name}: ${problem}\n  got  ${JSON.stringify(g)}\n  want ${JSON.stringify(e)}`;
    }
  }
  return undefined;
}

/** The sample's labels with its own `le` (bucket) or `quantile` (summary) read as a number. */
function normalised(sample: ParsedSample, family: ExpectedFamily): Record<string, string> {
  const out = { ...sample.labels };
  if ((family.type === 'histogram' || family.type === 'gaugehistogram') && sample.name === `${family.name}_bucket`) out.le = numberLabel(out.le);
  if (family.type === 'summary' && sample.name === family.name) out.quantile = numberLabel(out.quantile);
  return out;
}

function sampleProblem(g: ParsedSample, e: ExpectedSample, [from, to]: readonly [number, number]): string | undefined {
  if (g.name !== e.name || JSON.stringify(Object.entries(g.labels).sort()) !== JSON.stringify(Object.entries(e.labels).sort())) return 'name or labels';
  if (g.timestamp !== null) return 'unexpected timestamp';
  if (e.value === CREATED) {
    if (typeof g.value !== 'number' || g.value < from - 1 || g.value > to + 1) return '_created is not the creation time';
  } else if (typeof e.value === 'object') {
    const observed = e.value[QUANTILE];
    const ok = observed.length === 0 ? g.value === 'NaN' : observed.some((v) => pv(v) === g.value);
    if (!ok) return 'quantile is not one of the observations';
  } else if (!Object.is(g.value, e.value)) {
    return 'value';
  }
  if ((g.exemplar === null) !== (e.exemplar === null)) return 'exemplar presence';
  if (g.exemplar !== null && e.exemplar !== null) {
    if (JSON.stringify(Object.entries(g.exemplar.labels).sort()) !== JSON.stringify(Object.entries(e.exemplar.labels).sort()) || !Object.is(g.exemplar.value, e.exemplar.value)) return 'exemplar';
    if (typeof g.exemplar.timestamp !== 'number' || g.exemplar.timestamp < from - 1 || g.exemplar.timestamp > to + 1) return 'exemplar timestamp';
  }
  return undefined;
}

// ---------------------------------------------------------------------------- the tests

describeWithBinaries([BIN.python3], `random programs round-trip through both encoders and client_python's parsers (seed ${SEED})`, () => {
  it(`${CASES} programs: legal definitions register, illegal ones are refused with typed errors, and both parsers read back exactly what was recorded`, async () => {
    const programs = fc.sample(programSpec, { seed: SEED, numRuns: CASES });
    const from = Date.now() / 1000;
    const cases = programs.map((program) => {
      const registry = new Registry();
      const outcomes = run(program, registry);
      return { program, registry, outcomes };
    });
    const to = Date.now() / 1000;

    const seen = { registered: 0, refusedIllegal: 0, clashes: 0, exemplars: 0, nonFinite: 0, escapes: 0 };
    const kinds = new Map<Kind, number>();
    for (const [index, { outcomes }] of cases.entries()) {
      for (const o of outcomes) {
        const why = illegality(o.spec);
        if (o.series !== undefined) {
          seen.registered++;
          kinds.set(o.spec.kind, (kinds.get(o.spec.kind) ?? 0) + 1);
          for (const r of o.series) {
            if (r.exemplar !== null) seen.exemplars++;
            if (r.spec.numbers.some((v) => !Number.isFinite(v))) seen.nonFinite++;
            if (r.spec.values.some((v) => /["\\\n]/.test(v))) seen.escapes++;
          }
          if (why !== undefined) throw new Error(`case ${index}: an illegal definition (${why}) was accepted: ${JSON.stringify(o.spec)}`);
        } else if (why === undefined) {
          // A legal definition may only be refused because its names clash with an earlier one's.
          if (!(o.error instanceof DuplicateMetricError)) throw new Error(`case ${index}: a legal definition was refused: ${String(o.error)}\n${JSON.stringify(o.spec)}`);
          seen.clashes++;
        } else if (!(o.error instanceof PromkitError)) {
          throw new Error(`case ${index}: an illegal definition (${why}) failed without a typed error: ${String(o.error)}`);
        } else {
          seen.refusedIllegal++;
        }
      }
    }
    // The generators must exercise the round trip (every type, exemplars, non-finite values,
    // escapes), and the refusals and clashes too, not only some of it.
    expect(seen.registered).toBeGreaterThan(CASES);
    for (const kind of ['counter', 'gauge', 'histogram', 'summary', 'info', 'stateset', 'gaugehistogram'] as const) expect([kind, (kinds.get(kind) ?? 0) > CASES / 20]).toEqual([kind, true]);
    for (const [what, n] of Object.entries(seen)) expect([what, n > CASES / 100]).toEqual([what, true]);

    const encoded = await Promise.all(
      cases.map(async ({ registry, program }, index) => {
        const { families } = await registry.collect();
        const out = { text: encodeText(families), om: encodeOpenMetrics(families) };
        // Instruments hand the encoders a columnar fast path; the same families as plain
        // samples (what a custom collector yields) must encode to the very same bytes.
        const plain = families.map((f) => ({ ...f, samples: [...f.samples] }));
        for (const [format, fast, slow] of [
          ['text', out.text, encodeText(plain)],
          ['openmetrics', out.om, encodeOpenMetrics(plain)],
        ] as const) {
          if (fast !== slow) throw new Error(`seed ${SEED}, case ${index}, ${format}: the fast path and the sample path differ at ${firstDifference(fast, slow)}\n${JSON.stringify(program)}`);
        }
        return out;
      }),
    );
    const parsed = await parseManyWithPython(encoded.flatMap(({ text, om }) => [
      { text, format: 'text' as const },
      { text: om, format: 'openmetrics' as const },
    ]));
    for (const [index, { outcomes, program }] of cases.entries()) {
      const om = expectedFamilies(outcomes);
      for (const [k, format, expected, doc] of [
        [0, 'text', expectedText(om), encoded[index].text],
        [1, 'openmetrics', om, encoded[index].om],
      ] as const) {
        const result = parsed[2 * index + k];
        const problem = result.ok ? difference(result.families, expected, [from, to]) : `the ${format} parser refused it: ${result.error}`;
        if (problem !== undefined) {
          throw new Error(`seed ${SEED}, case ${index}, ${format}: ${problem}\n--- program\n${JSON.stringify(program)}\n--- exposition\n${doc}`);
        }
      }
    }
  }, 120_000);

  it('refuses illegal metric and label names with a typed error, for every instrument and family builder, before anything reaches the output', async () => {
    const illegalName = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.tuple(fc.constantFrom('0', '-', ' ', '.', 'é', '{', '"', '\n', '__'), fc.stringMatching(/^[a-zA-Z0-9_:]{0,6}$/)).map(([a, b]) => a + b),
      fc.tuple(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,4}$/), fc.constantFrom('-', ' ', '.', 'é', '{', '"', '\n', '\\', '}', '=')).map(([a, b]) => a + b),
    );
    const makers: [string, (name: string, label: string, registry: Registry) => unknown][] = [
      ['Counter', (n, l, registry) => new Counter({ name: n, help: 'h', labelNames: [l], registry })],
      ['Gauge', (n, l, registry) => new Gauge({ name: n, help: 'h', labelNames: [l], registry })],
      ['Histogram', (n, l, registry) => new Histogram({ name: n, help: 'h', labelNames: [l], registry })],
      ['Summary', (n, l, registry) => new Summary({ name: n, help: 'h', labelNames: [l], registry })],
      ['Info', (n, l, registry) => new Info({ name: n, help: 'h', labelNames: [l], registry })],
      ['Enum', (n, l, registry) => new Enum({ name: n, help: 'h', labelNames: [l], states: ['x'], registry })],
      ['GaugeHistogram', (n, l, registry) => new GaugeHistogram({ name: n, help: 'h', labelNames: [l], registry })],
      ['counterFamily', (n, l) => counterFamily({ name: n, help: 'h', labelNames: [l] })],
      ['gaugeFamily', (n, l) => gaugeFamily({ name: n, help: 'h', labelNames: [l] })],
      ['histogramFamily', (n, l) => histogramFamily({ name: n, help: 'h', labelNames: [l], buckets: [1] })],
      ['summaryFamily', (n, l) => summaryFamily({ name: n, help: 'h', labelNames: [l] })],
    ];
    await fc.assert(
      fc.asyncProperty(illegalName, labelName, fc.boolean(), async (bad, goodLabel, badIsLabel) => {
        const registry = new Registry();
        for (const [what, make] of makers) {
          const [name, label] = badIsLabel ? ['ok_metric', bad] : [bad, goodLabel];
          const legal = badIsLabel ? LABEL_NAME.test(bad) && !bad.startsWith('__') : METRIC_NAME.test(bad) && !bad.startsWith('__');
          if (legal) continue;
          let thrown: unknown;
          try {
            make(name, label, registry);
          } catch (error) {
            thrown = error;
          }
          const expected = badIsLabel ? InvalidLabelNameError : InvalidMetricNameError;
          if (!(thrown instanceof expected)) throw new Error(`${what}(${JSON.stringify(name)}, [${JSON.stringify(label)}]) did not throw ${expected.name}: ${String(thrown)}`);
        }
        // Nothing was registered: the exposition is empty.
        const { families } = await registry.collect();
        return encodeText(families) === '' && encodeOpenMetrics(families) === '# EOF\n';
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("refuses illegal info keys with a typed error and leaves the series' information as it was", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('__name__', '__x', 'env', '1a', 'a-b', '')), (key) => {
        const registry = new Registry();
        const info = new Info({ name: 'build', help: 'h', labelNames: ['env'], registry });
        info.info({ env: 'prod' }, { version: '1' });
        const legal = LABEL_NAME.test(key) && !key.startsWith('__') && key !== 'env';
        let thrown: unknown;
        try {
          info.info({ env: 'prod' }, { [key]: 'x' });
        } catch (error) {
          thrown = error;
        }
        if (legal) return thrown === undefined;
        return thrown instanceof InvalidLabelNameError && infoLabels(registry).version === '1';
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((line, k) => line !== lb[k]);
  return `line ${i + 1}:\n  ${JSON.stringify(la[i])}\n  ${JSON.stringify(lb[i])}`;
}

function infoLabels(registry: Registry): Record<string, string> {
  const metric = registry.getMetric('build') as Info<'env'>;
  const [family] = metric.collect() as MetricFamily[];
  return { ...family.samples[0].labels };
}
