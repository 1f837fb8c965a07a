import { InvalidFamilyError } from './errors.js';
import type { MetricFamily } from './metric-family.js';
import { METRIC_TYPES, type MetricType } from './metric-type.js';
import { isValidLabelName, isValidMetricName, isValidUnit } from './names.js';
import { formatFloat } from './number-format.js';
import { SAMPLE_SUFFIXES, typeLabelOf } from './sample-names.js';
import { runSteps, SAMPLES_PER_STEP, type Steps } from './steps.js';
import { copyFamilySteps } from './family-copy.js';
import { vouchForFamily } from './vouched-families.js';
import { isWellFormedText } from './unicode-text.js';
import { NATIVE_SCHEMA_MAX, NATIVE_SCHEMA_MIN, type NativeHistogram } from './native-histogram.js';

/**
 * Checks a family against the rules of both exposition formats and their reference
 * parsers, whatever its origin. Returns `undefined` for a family that can be written as it
 * is, else an {@link InvalidFamilyError} saying what is wrong. Never throws, whatever
 * `family` is (a getter that throws is reported like any other fault).
 *
 * The rules: a legal family name, a known type, HELP and label values well-formed
 * Unicode, a unit that ends the name (none on info and stateset); samples named as the
 * type allows (`x_total`/`x_created` for a counter...) with legal label names and the
 * type's own label (`le`, `quantile`, the stateset's name) exactly where it belongs;
 * values as the type allows (counters, counts and sums not negative nor NaN, integer
 * bucket counts, stateset 0/1, info 1); per series: its samples together, one timestamp,
 * histogram buckets in canonical `le` order ending with `+Inf`, cumulative, matching
 * `_count`, `_count` and `_sum` together and no `_sum` with a negative bound; no
 * duplicate series. A histogram's `nativeHistograms` part: each entry well-formed
 * (`nativeHistogramProblem`), for a series of the family (one entry each), with that
 * series' `+Inf` count and `_sum`; other types have none.
 */
export function familyProblem(family: unknown): InvalidFamilyError | undefined {
  return runSteps(familyProblemSteps(family));
}

/**
 * @internal {@link familyProblem} in steps: it yields after every {@link SAMPLES_PER_STEP}
 * samples, so that a scrape can check a family of a million samples over several
 * event-loop turns instead of in one block. The family must not change meanwhile, so this
 * is for families promkit made; one from anywhere else goes through {@link acceptFamilySteps}.
 */
export function* familyProblemSteps(family: unknown): Steps<InvalidFamilyError | undefined> {
  let name: string | undefined;
  try {
    if (typeof family !== 'object' || family === null) return new InvalidFamilyError(undefined, `expected a family object, got ${describe(family)}`);
    const f = family as Partial<Record<keyof MetricFamily, unknown>>;
    if (typeof f.name !== 'string') return new InvalidFamilyError(undefined, `the name must be a string, got ${describe(f.name)}`);
    name = f.name;
    const reason = yield* check(name, f);
    return reason === undefined ? undefined : new InvalidFamilyError(name, reason);
  } catch (error) {
    return readingThrew(name, error);
  }
}

/**
 * @internal How a scrape takes a family it did not make (a collector's, a source's): in
 * steps, as {@link familyProblemSteps}, it copies the family (`copyFamilySteps`: each
 * property read once, into plain data nobody else holds) and checks the copy. Returns the
 * copy, vouched for, to be written in place of `family`; or what is wrong. A getter or a
 * proxy that answers differently on a second read, or a collector that changes what it
 * returned while the scrape goes on, cannot get anything past the check.
 */
export function* acceptFamilySteps(family: unknown): Steps<MetricFamily | InvalidFamilyError> {
  let copy: unknown = family;
  if (typeof family === 'object' && family !== null) {
    let name: unknown;
    try {
      name = (family as Record<string, unknown>).name;
      copy = yield* copyFamilySteps(family as Record<string, unknown>, name);
    } catch (error) {
      return readingThrew(typeof name === 'string' ? name : undefined, error);
    }
  }
  const problem = yield* familyProblemSteps(copy);
  return problem ?? vouchForFamily(copy as MetricFamily);
}

function readingThrew(name: string | undefined, error: unknown): InvalidFamilyError {
  return new InvalidFamilyError(name, `reading it threw ${error instanceof Error ? error.message : describe(error)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** The special label of a sample of `type` with `suffix`, when it must carry one. */
function ownLabelOf(type: MetricType, name: string, suffix: string): string | undefined {
  if (type === 'stateset') return name;
  if (suffix === '_bucket') return 'le';
  if (type === 'summary' && suffix === '') return 'quantile';
  return undefined;
}

/** A label that only some samples of `type` may carry (a stateset's is its own name, which no series label can take). */
function reservedLabelOf(type: MetricType): string | undefined {
  return type === 'stateset' ? undefined : typeLabelOf(type, '');
}

/** A float spelled as `formatFloat` spells it (`1.0`, `+Inf`), as `le` and `quantile` must be; else `undefined`. */
function canonicalFloat(text: string): number | undefined {
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  return value === value && formatFloat(value) === text ? value : undefined;
}

/**
 * One string per label set, different for different sets: each legal label name (no
 * separator can occur in one), in `names` order, then its value's length and the value.
 */
function labelSetKey(names: readonly string[], labels: Readonly<Record<string, string>>): string {
  let key = '';
  for (let k = 0; k < names.length; k++) {
    const value = labels[names[k]];
    key += `${names[k]}\u0001${value.length}\u0001${value}`;
  }
  return key;
}

/** True when `a` and `b` list the same names in the same order. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** What one series' histogram samples showed so far. */
interface HistogramGroup {
  lastBound: number;
  lastCount: number;
  count: number | undefined;
  hasSum: boolean;
  negativeBound: boolean;
  negativeSum: boolean;
}

function* check(name: string, f: Partial<Record<keyof MetricFamily, unknown>>): Steps<string | undefined> {
  if (!isValidMetricName(name) || name.startsWith('__')) return 'the name must match [a-zA-Z_:][a-zA-Z0-9_:]* and not start with "__"';
  const type = f.type as MetricType;
  if (!METRIC_TYPES.includes(type)) return `unknown type ${JSON.stringify(String(f.type))}`;
  if (typeof f.help !== 'string') return `help must be a string, got ${describe(f.help)}`;
  if (!isWellFormedText(f.help)) return 'help is not well-formed Unicode (a lone surrogate)';
  const unit = f.unit;
  if (unit !== undefined && unit !== '') {
    if (typeof unit !== 'string' || !isValidUnit(unit)) return 'the unit must be a string matching [a-zA-Z0-9_:]+';
    if (type === 'info' || type === 'stateset') return `a ${type} cannot have a unit`;
    if (!name.endsWith(`_${unit}`)) return `the name must end with _${unit}, its unit`;
  }
  if (type === 'stateset' && !isValidLabelName(name)) return 'a stateset is also its own label, so its name must be a legal label name';
  // Columns are made by promkit's instruments, which vouch for them; a collector hands samples.
  if (f.columns !== undefined) return 'columns are only made by promkit\'s instruments; hand the series as samples';
  const samples = f.samples;
  if (!Array.isArray(samples)) return `samples must be an array, got ${describe(samples)}`;

  const suffixes = SAMPLE_SUFFIXES[type];
  const reserved = reservedLabelOf(type);
  // A series is its group (labels) plus its sample's suffix and own label: a repeat can
  // only be within the current group, since a group seen before is an error of its own.
  // So each series key maps to the number of the last group that had it, and nothing has
  // to be cleared when a group ends (a sample of a gauge or counter is a group of its own).
  const lastGroupOf = new Map<string, number>();
  let groupNumber = 0;
  const seenGroups = new Set<string>();
  const legalNames = new Set<string>();
  const seriesNames: string[] = [];
  // The last unsorted order seen and its sort: a collector lists the labels of sample
  // after sample in one order, so one sort serves them all.
  let listed: string[] = [];
  let listedSorted: string[] = [];
  let group: string | undefined;
  let groupTimestamp: number | undefined;
  let histogram: HistogramGroup | undefined;
  let infoTimestamped: boolean | undefined;
  const isHistogram = type === 'histogram' || type === 'gaugehistogram';
  const natives = f.nativeHistograms;
  if (natives !== undefined && type !== 'histogram') return `only a histogram can have native buckets, not a ${type}`;
  if (natives !== undefined && !Array.isArray(natives)) return `nativeHistograms must be an array, got ${describe(natives)}`;
  const totals = natives === undefined ? undefined : new Map<string, SeriesTotals>();

  for (let i = 0; i < samples.length; i++) {
    if (i % SAMPLES_PER_STEP === SAMPLES_PER_STEP - 1) yield;
    const sample: unknown = samples[i];
    if (typeof sample !== 'object' || sample === null) return `sample #${i} must be an object, got ${describe(sample)}`;
    const s = sample as Record<string, unknown>;
    const sampleName = s.name;
    if (typeof sampleName !== 'string' || !sampleName.startsWith(name)) return `sample #${i} is not named after the family`;
    const suffix = sampleName.slice(name.length);
    if (!suffixes.includes(suffix)) return `sample ${JSON.stringify(sampleName)} does not belong to a ${type} (allowed: ${suffixes.map((x) => name + x).join(', ')})`;
    const labels = s.labels;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return `sample ${sampleName} #${i}: labels must be an object`;
    const own = ownLabelOf(type, name, suffix);
    let ownValue: string | undefined;
    seriesNames.length = 0;
    let sorted = true;
    for (const key of Object.keys(labels)) {
      const value = (labels as Record<string, unknown>)[key];
      if (!legalNames.has(key)) {
        if (!isValidLabelName(key)) return `sample ${sampleName} #${i}: illegal label name ${JSON.stringify(key)}`;
        legalNames.add(key);
      }
      if (typeof value !== 'string') return `sample ${sampleName} #${i}: label ${key} must have a string value, got ${describe(value)}`;
      if (!isWellFormedText(value)) return `sample ${sampleName} #${i}: the value of label ${key} is not well-formed Unicode (a lone surrogate)`;
      if (key === own) ownValue = value;
      else if (key === reserved) return `sample ${sampleName} #${i}: label ${key} is reserved on a ${type}`;
      else {
        if (seriesNames.length > 0 && key < seriesNames[seriesNames.length - 1]) sorted = false;
        seriesNames.push(key);
      }
    }
    if (own !== undefined && ownValue === undefined) return `sample ${sampleName} #${i} lacks its ${JSON.stringify(own)} label`;

    const value = s.value;
    if (typeof value !== 'number') return `sample ${sampleName} #${i}: the value must be a number, got ${describe(value)}`;
    const valueProblem = sampleValueProblem(type, suffix, value);
    if (valueProblem !== undefined) return `sample ${sampleName} #${i}: ${valueProblem}`;
    const timestamp = s.timestamp;
    const timestampFault = timestampProblem(timestamp);
    if (timestampFault !== undefined) return `sample ${sampleName} #${i}: ${timestampFault}`;
    const exemplarFault = s.exemplar === undefined || s.exemplar === null ? undefined : exemplarProblem(s.exemplar);
    if (exemplarFault !== undefined) return `sample ${sampleName} #${i}: ${exemplarFault}`;

    let keyNames = seriesNames;
    if (!sorted) {
      if (!sameNames(seriesNames, listed)) {
        listed = seriesNames.slice();
        listedSorted = seriesNames.sort().slice();
      }
      keyNames = listedSorted;
    }
    const labelsKey = labelSetKey(keyNames, labels as Record<string, string>);
    const groupKey = type === 'info' ? '' : labelsKey;
    const newGroup = groupKey !== group;
    if (newGroup) groupNumber++;
    // Info samples are all one group (see below), so the whole label set tells them apart.
    const seriesKey = type === 'info' ? labelsKey : `${suffix}\u0000${ownValue ?? ''}`;
    if (lastGroupOf.get(seriesKey) === groupNumber) return `sample ${sampleName} #${i} repeats a series (same name and labels)`;
    lastGroupOf.set(seriesKey, groupNumber);

    if (type === 'info') {
      group = groupKey;
      // Reference parsers see all info samples as one group: timestamps on all or none.
      if (infoTimestamped !== undefined && infoTimestamped !== (timestamp !== undefined)) return 'timestamps must be on every info sample or on none';
      infoTimestamped = timestamp !== undefined;
      continue;
    }
    if (newGroup) {
      if (seenGroups.has(groupKey)) return `sample ${sampleName} #${i}: the samples of one series must be together`;
      if (histogram !== undefined) {
        const problem = histogramEnd(type, histogram);
        if (problem !== undefined) return problem;
      }
      seenGroups.add(groupKey);
      group = groupKey;
      groupTimestamp = timestamp as number | undefined;
      histogram = isHistogram ? { lastBound: -Infinity, lastCount: 0, count: undefined, hasSum: false, negativeBound: false, negativeSum: false } : undefined;
    } else if (timestamp !== groupTimestamp) {
      return `sample ${sampleName} #${i}: the samples of one series must share one timestamp`;
    }
    if (histogram !== undefined) {
      const problem = histogramStep(histogram, suffix, ownValue, value);
      if (problem !== undefined) return `sample ${sampleName} #${i}: ${problem}`;
      if (totals !== undefined) recordTotal(totals, labelsKey, suffix, ownValue, value);
    }
    if (type === 'summary' && suffix === '') {
      const quantile = canonicalFloat(ownValue as string);
      if (quantile === undefined || !(quantile >= 0 && quantile <= 1)) {
        return `sample ${sampleName} #${i}: quantile ${JSON.stringify(ownValue)} must be a number in [0, 1], spelled as formatFloat spells it`;
      }
    }
  }
  const last = histogram === undefined ? undefined : histogramEnd(type, histogram);
  if (last !== undefined || totals === undefined) return last;
  return nativeSeriesProblem(natives as readonly unknown[], totals);
}

/** What one histogram series' samples say about its totals, for matching its native part. */
interface SeriesTotals {
  count: number;
  sum: number | undefined;
}

function recordTotal(totals: Map<string, SeriesTotals>, labelsKey: string, suffix: string, le: string | undefined, value: number): void {
  let entry = totals.get(labelsKey);
  if (entry === undefined) totals.set(labelsKey, (entry = { count: 0, sum: undefined }));
  if (suffix === '_bucket' && le === '+Inf') entry.count = value;
  else if (suffix === '_sum') entry.sum = value;
}

/** Each native part: well-formed, for a series of the family (one part each), with that series' count and sum. */
function nativeSeriesProblem(natives: readonly unknown[], totals: ReadonlyMap<string, SeriesTotals>): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < natives.length; i++) {
    const entry: unknown = natives[i];
    if (typeof entry !== 'object' || entry === null) return `nativeHistograms[${i}] must be an object`;
    const { labels, histogram } = entry as Record<string, unknown>;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return `nativeHistograms[${i}]: labels must be an object`;
    const names = Object.keys(labels).sort();
    for (const name of names) {
      if (!isValidLabelName(name)) return `nativeHistograms[${i}]: illegal label name ${JSON.stringify(name)}`;
      const value = (labels as Record<string, unknown>)[name];
      if (typeof value !== 'string') return `nativeHistograms[${i}]: label ${name} must have a string value`;
    }
    const key = labelSetKey(names, labels as Record<string, string>);
    const series = totals.get(key);
    if (series === undefined) return `nativeHistograms[${i}]: no series of the family has the labels ${JSON.stringify(labels)} (give its classic samples too, at least _bucket{le="+Inf"})`;
    if (seen.has(key)) return `nativeHistograms[${i}]: a second native part for the series ${JSON.stringify(labels)}`;
    seen.add(key);
    const problem = nativeHistogramProblem(histogram);
    if (problem !== undefined) return `nativeHistograms[${i}]: ${problem}`;
    const native = histogram as NativeHistogram;
    if (native.count !== series.count) return `nativeHistograms[${i}]: the native count (${native.count}) differs from the series' +Inf bucket (${series.count})`;
    if (series.sum !== undefined && !Object.is(native.sum, series.sum)) return `nativeHistograms[${i}]: the native sum (${native.sum}) differs from the series' _sum (${series.sum})`;
  }
  return undefined;
}

/** What is wrong with `value` for a sample of a `type` family with `suffix` (`_total`, `''`...), or `undefined`. */
export function sampleValueProblem(type: MetricType, suffix: string, value: number): string | undefined {
  switch (suffix) {
    case '_total':
      return value >= 0 ? undefined : `a counter cannot be negative nor NaN, got ${value}`;
    case '_bucket':
    case '_count':
    case '_gcount':
      return Number.isInteger(value) && value >= 0 ? undefined : `a count must be a non-negative integer, got ${value}`;
    case '_sum':
      return value >= 0 ? undefined : `the sum must not be negative nor NaN, got ${value}`;
    case '_gsum':
      return value === value ? undefined : 'the sum must not be NaN';
    default:
      break;
  }
  if (type === 'stateset' && value !== 0 && value !== 1) return `a state is 0 or 1, got ${value}`;
  if (type === 'info' && value !== 1) return `an info sample is 1, got ${value}`;
  if (type === 'summary' && suffix === '' && value < 0) return `a quantile value cannot be negative, got ${value}`;
  return undefined;
}

/**
 * The largest sample timestamp, in seconds, either format can carry: 0.0.4 writes
 * milliseconds as a 64-bit integer.
 */
export const MAX_TIMESTAMP_SECONDS = 9e15;

/** What is wrong with a sample timestamp (absent is fine), or `undefined`. */
export function timestampProblem(timestamp: unknown): string | undefined {
  if (timestamp === undefined) return undefined;
  if (typeof timestamp !== 'number' || !(Math.abs(timestamp) <= MAX_TIMESTAMP_SECONDS)) {
    return `the timestamp must be a number of seconds within ±${MAX_TIMESTAMP_SECONDS}, got ${String(timestamp)}`;
  }
  return undefined;
}

/** What is wrong with an exemplar (its labels, value or timestamp), or `undefined`. */
export function exemplarProblem(exemplar: unknown): string | undefined {
  if (typeof exemplar !== 'object' || exemplar === null) return 'the exemplar must be an object';
  const e = exemplar as Record<string, unknown>;
  if (typeof e.value !== 'number') return 'the exemplar value must be a number';
  if (e.timestamp !== undefined && e.timestamp !== null && typeof e.timestamp !== 'number') return 'the exemplar timestamp must be a number';
  const labels = e.labels;
  if (typeof labels !== 'object' || labels === null) return 'the exemplar labels must be an object';
  for (const key of Object.keys(labels)) {
    const value = (labels as Record<string, unknown>)[key];
    if (!isValidLabelName(key)) return `illegal exemplar label name ${JSON.stringify(key)}`;
    if (typeof value !== 'string' || !isWellFormedText(value)) return `exemplar label ${key} must have a well-formed string value`;
  }
  return undefined;
}

function histogramStep(h: HistogramGroup, suffix: string, le: string | undefined, value: number): string | undefined {
  if (suffix === '_bucket') {
    const bound = canonicalFloat(le as string);
    if (bound === undefined) return `le ${JSON.stringify(le)} must be a number spelled as formatFloat spells it`;
    if (h.lastBound === Infinity) return 'a bucket follows the +Inf bucket';
    if (!(bound > h.lastBound)) return 'buckets must come in increasing le order';
    if (value < h.lastCount) return 'bucket counts must be cumulative (not decreasing)';
    if (bound < 0) h.negativeBound = true;
    h.lastBound = bound;
    h.lastCount = value;
  } else if (suffix === '_count' || suffix === '_gcount') {
    h.count = value;
  } else if (suffix === '_sum' || suffix === '_gsum') {
    h.hasSum = true;
    if (value < 0) h.negativeSum = true;
  }
  return undefined;
}

function histogramEnd(type: MetricType, h: HistogramGroup): string | undefined {
  if (h.lastBound !== Infinity) return 'every series needs a +Inf bucket';
  if (h.count !== undefined && h.count !== h.lastCount) return 'the count must equal the +Inf bucket';
  if (h.hasSum !== (h.count !== undefined)) return type === 'histogram' ? '_count and _sum come together or not at all' : '_gcount and _gsum come together or not at all';
  if (type === 'histogram' && h.negativeBound && h.hasSum) return 'a histogram with a negative bucket bound has no _sum (nor _count)';
  if (type === 'gaugehistogram' && h.negativeSum && !h.negativeBound) return 'a negative _gsum needs a negative bucket bound';
  return undefined;
}

function spansProblem(which: string, spans: unknown, counts: unknown): [string | undefined, number] {
  if (!Array.isArray(spans)) return [`${which}Spans must be an array`, 0];
  if (!Array.isArray(counts)) return [`${which}Counts must be an array`, 0];
  let covered = 0;
  for (let i = 0; i < spans.length; i++) {
    const span: unknown = spans[i];
    if (typeof span !== 'object' || span === null) return [`${which}Spans[${i}] must be an object`, 0];
    const { offset, length } = span as Record<string, unknown>;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || Math.abs(offset) > 0x7fffffff || (i > 0 && offset < 0)) {
      return [`${which}Spans[${i}].offset must be an int32${i > 0 ? ', not negative after the first span' : ''}`, 0];
    }
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > 0x7fffffff) return [`${which}Spans[${i}].length must be a non-negative integer`, 0];
    covered += length;
  }
  if (counts.length !== covered) return [`${which}Counts has ${counts.length} counts but its spans cover ${covered} buckets`, 0];
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const count: unknown = counts[i];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return [`${which}Counts[${i}] must be a non-negative integer, got ${String(count)}`, 0];
    total += count;
  }
  return [undefined, total];
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * What is wrong with one series' native buckets, or `undefined`: a schema outside -4..8,
 * a negative or non-finite zero threshold, counts that are not non-negative integers,
 * spans that do not cover exactly the counts given, a `count` other than the zero count
 * plus the bucket counts, a NaN sum, a bad exemplar.
 */
export function nativeHistogramProblem(histogram: unknown): string | undefined {
  if (typeof histogram !== 'object' || histogram === null) return 'the native histogram must be an object';
  const h = histogram as Partial<Record<keyof NativeHistogram, unknown>>;
  const schema = h.schema;
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < NATIVE_SCHEMA_MIN || schema > NATIVE_SCHEMA_MAX) {
    return `the schema must be an integer from ${NATIVE_SCHEMA_MIN} to ${NATIVE_SCHEMA_MAX}, got ${String(schema)}`;
  }
  const threshold = h.zeroThreshold;
  if (typeof threshold !== 'number' || !(threshold >= 0) || threshold === Infinity) return `the zero threshold must be a finite number >= 0, got ${String(threshold)}`;
  if (!isCount(h.zeroCount)) return `the zero count must be a non-negative integer, got ${String(h.zeroCount)}`;
  if (!isCount(h.count)) return `the count must be a non-negative integer, got ${String(h.count)}`;
  if (typeof h.sum !== 'number' || h.sum !== h.sum) return `the sum must be a number, not NaN, got ${String(h.sum)}`;
  const [positiveProblem, positive] = spansProblem('positive', h.positiveSpans, h.positiveCounts);
  if (positiveProblem !== undefined) return positiveProblem;
  const [negativeProblem, negative] = spansProblem('negative', h.negativeSpans, h.negativeCounts);
  if (negativeProblem !== undefined) return negativeProblem;
  if (h.zeroCount + positive + negative !== h.count) {
    return `the count (${h.count}) must equal the zero count plus the bucket counts (${h.zeroCount + positive + negative})`;
  }
  const exemplars = h.exemplars;
  if (exemplars !== undefined) {
    if (!Array.isArray(exemplars)) return 'exemplars must be an array';
    for (const exemplar of exemplars) {
      const problem = exemplarProblem(exemplar);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
