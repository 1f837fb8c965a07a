import { SAMPLES_PER_STEP, type Steps } from './steps.js';

/** Any object, its properties not yet read. */
type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

/**
 * @internal A copy of a family someone else made, in which every property the exposition
 * rules and the encoders look at was read exactly once: plain data objects and arrays,
 * each value as it was at that one read. `name` is the family's name, read by the caller.
 *
 * Why: what a collector returns is checked, then written, possibly over several turns of
 * the event loop. A getter or a proxy that answers differently on a second read, or a
 * collector that changes its objects after it returned them, could otherwise slip a value
 * past the check into the scrape. The check and the encoders read this copy instead, which
 * nobody else holds.
 *
 * Shapes are kept as they are, the wrong ones too (a string for an array stays a string),
 * so that the check of the copy says what it says of the original. Only the fields of the
 * model are copied (`MetricFamily`, `Sample`, `Exemplar`, `NativeHistogramSeries`); others
 * are left behind, as the encoders ignore them. A getter that throws throws here.
 */
export function* copyFamilySteps(family: Fields, name: unknown): Steps<Fields> {
  const copy: Fields = { name, type: family.type, help: family.help, unit: family.unit };
  const columns = family.columns;
  if (columns !== undefined) copy.columns = columns;
  const samples = family.samples;
  if (Array.isArray(samples)) {
    const length = samples.length;
    const copied: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      if (i % SAMPLES_PER_STEP === SAMPLES_PER_STEP - 1) yield;
      copied[i] = copySample(samples[i]);
    }
    copy.samples = copied;
  } else {
    copy.samples = samples;
  }
  const natives = family.nativeHistograms;
  if (natives !== undefined) copy.nativeHistograms = copyArray(natives, copyNativeSeries);
  return copy;
}

/** `value` copied by `each` item by item when it is an array (its length read once); as it is otherwise. */
function copyArray(value: unknown, each: (item: unknown) => unknown): unknown {
  if (!Array.isArray(value)) return value;
  const length = value.length;
  const copy: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) copy[i] = each(value[i]);
  return copy;
}

function asItIs(value: unknown): unknown {
  return value;
}

/** A label set: each own enumerable key (as `Object.keys` lists them) and its value, read once. An array stays an array. */
function copyLabels(labels: unknown): unknown {
  if (!isObject(labels)) return labels;
  if (Array.isArray(labels)) return copyArray(labels, asItIs);
  const copy: Fields = {};
  for (const key of Object.keys(labels)) {
    // `copy[key] = …` would set the prototype for "__proto__" (an illegal label name, so
    // the check must still see it).
    if (key === '__proto__') Object.defineProperty(copy, key, { value: labels[key], enumerable: true, writable: true, configurable: true });
    else copy[key] = labels[key];
  }
  return copy;
}

/** Sets `key` on `copy` unless `value` is undefined, so that an absent optional field stays absent. */
function setPresent(copy: Fields, key: string, value: unknown): void {
  if (value !== undefined) copy[key] = value;
}

function copySample(sample: unknown): unknown {
  if (!isObject(sample)) return sample;
  const copy: Fields = { name: sample.name, labels: copyLabels(sample.labels), value: sample.value };
  setPresent(copy, 'timestamp', sample.timestamp);
  setPresent(copy, 'exemplar', copyExemplar(sample.exemplar));
  return copy;
}

/** @internal An exemplar's labels, value and timestamp, each read once, as a plain object (anything else as it is). */
export function copyExemplar(exemplar: unknown): unknown {
  if (!isObject(exemplar)) return exemplar;
  const copy: Fields = { labels: copyLabels(exemplar.labels), value: exemplar.value };
  setPresent(copy, 'timestamp', exemplar.timestamp);
  return copy;
}

function copyNativeSeries(entry: unknown): unknown {
  if (!isObject(entry)) return entry;
  return { labels: copyLabels(entry.labels), histogram: copyNativeHistogram(entry.histogram) };
}

function copySpan(span: unknown): unknown {
  return isObject(span) ? { offset: span.offset, length: span.length } : span;
}

function copyNativeHistogram(histogram: unknown): unknown {
  if (!isObject(histogram)) return histogram;
  const copy: Fields = {
    schema: histogram.schema,
    zeroThreshold: histogram.zeroThreshold,
    zeroCount: histogram.zeroCount,
    count: histogram.count,
    sum: histogram.sum,
    positiveSpans: copyArray(histogram.positiveSpans, copySpan),
    positiveCounts: copyArray(histogram.positiveCounts, asItIs),
    negativeSpans: copyArray(histogram.negativeSpans, copySpan),
    negativeCounts: copyArray(histogram.negativeCounts, asItIs),
  };
  setPresent(copy, 'exemplars', copyArray(histogram.exemplars, copyExemplar));
  return copy;
}
