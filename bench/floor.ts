import { columnValue, encode, offsetInPage, pageOf, type ExpositionFormat, type PagedColumn, type Registry } from '../src/index.js';
import { formatFloat } from '../src/model/number-format.js';
import { timeSlowPair, type Budget } from './harness.js';
import { countsForSeries, promkitRegistry } from './registries.js';
import type { Results } from './results.js';

/** The registry of registries.ts as plain arrays: what a floor loop writes from. */
interface PlainRegistry {
  readonly labelNames: readonly string[];
  /** Per series, its label values (strings, in label-name order); the same series in both families. */
  readonly labelValues: readonly (readonly string[])[];
  readonly le: readonly string[];
  /** Per histogram series: its cumulative bucket counts, then count, then sum. */
  readonly histogramValues: readonly (readonly number[])[];
  readonly histogramCreated: readonly number[];
  readonly counterValues: readonly number[];
  readonly counterCreated: readonly number[];
}

/** A column of one number per series as a plain array. */
function plainColumn(column: PagedColumn, size: number): number[] {
  return Array.from({ length: size }, (_, i) => columnValue(column, i));
}

/** Copies a promkit registry's one histogram and one counter into plain arrays (once, untimed). */
async function plainCopy(registry: Registry): Promise<PlainRegistry> {
  const [histogram, counter] = (await registry.collect()).families;
  const h = histogram.columns!;
  const c = counter.columns!;
  const labelNames = Object.keys(h.labels[0]);
  return {
    labelNames,
    labelValues: h.labels.map((labels) => labelNames.map((name) => String(labels[name]))),
    le: [...h.le],
    histogramValues: Array.from({ length: h.size }, (_, i) => pageOf(h.values, i).slice(offsetInPage(i, h.stride), offsetInPage(i, h.stride) + h.stride)),
    histogramCreated: plainColumn(h.created!, h.size),
    counterValues: plainColumn(c.values, c.size),
    counterCreated: plainColumn(c.created!, c.size),
  };
}

/** Spellings of the small counts this registry holds, made in advance. */
const SMALL = Array.from({ length: 1024 }, (_, i) => `${i}.0`);

/** Go's float spelling: small counts from a table, the rest (creation times) by the one shared rule. */
function number(value: number): string {
  return (value | 0) === value && value > 0 && value < 1024 ? SMALL[value] : value === 0 && 1 / value > 0 ? '0.0' : formatFloat(value);
}

/** Written by the floor loop so the engine cannot drop the read that flattens a chunk. */
let flattened = 0;

/**
 * The floor: the plainest loop that writes the same bytes as promkit's encoders for this
 * registry, with everything known in advance (two families, their names and types, label
 * values already strings that need no escaping), lines appended to one string and cut
 * every 64 KiB. What promkit adds above it is the cost of being general: collecting,
 * columns, any family shape, escaping checks.
 */
function floorEncode(r: PlainRegistry, format: ExpositionFormat): string {
  // Chunks are appended to the body as encode() appends its chunks.
  let body = '';
  let out = '';
  const cut = (): void => {
    if (out.length >= 65536) {
      // Reading a character makes V8 flatten the chunk now, while its pieces are young.
      flattened ^= out.charCodeAt(0);
      body += out;
      out = '';
    }
  };
  const tails = r.le.map((le) => `${le}"} `);
  const pairsOf = (i: number): string => {
    const values = r.labelValues[i];
    let pairs = `${r.labelNames[0]}="${values[0]}"`;
    for (let l = 1; l < values.length; l++) pairs += `,${r.labelNames[l]}="${values[l]}"`;
    flattened ^= pairs.charCodeAt(0);
    return pairs;
  };
  const om = format === 'openmetrics';
  const series = r.labelValues.length;
  const pairs = new Array<string>(series);
  out += om ? '# TYPE histogram histogram\n# HELP histogram histogram\n' : '# HELP histogram histogram\n# TYPE histogram histogram\n';
  for (let i = 0; i < series; i++) {
    const p = (pairs[i] = pairsOf(i));
    const prefix = `histogram_bucket{${p},le="`;
    flattened ^= prefix.charCodeAt(0);
    const v = r.histogramValues[i];
    for (let b = 0; b < r.le.length; b++) out += `${prefix}${tails[b]}${number(v[b])}\n`;
    out += `histogram_count{${p}} ${number(v[r.le.length])}\nhistogram_sum{${p}} ${number(v[r.le.length + 1])}\n`;
    if (om) out += `histogram_created{${p}} ${number(r.histogramCreated[i])}\n`;
    cut();
  }
  if (!om) {
    out += '# HELP histogram_created histogram\n# TYPE histogram_created gauge\n';
    for (let i = 0; i < series; i++) {
      out += `histogram_created{${pairs[i]}} ${number(r.histogramCreated[i])}\n`;
      cut();
    }
  }
  out += om ? '# TYPE counter counter\n# HELP counter counter\n' : '# HELP counter_total counter\n# TYPE counter_total counter\n';
  for (let i = 0; i < series; i++) {
    out += `counter_total{${pairs[i]}} ${number(r.counterValues[i])}\n`;
    if (om) out += `counter_created{${pairs[i]}} ${number(r.counterCreated[i])}\n`;
    cut();
  }
  if (!om) {
    out += '# HELP counter_created counter\n# TYPE counter_created gauge\n';
    for (let i = 0; i < series; i++) {
      out += `counter_created{${pairs[i]}} ${number(r.counterCreated[i])}\n`;
      cut();
    }
  } else {
    out += '# EOF\n';
  }
  return body + out;
}

/**
 * promkit's whole scrape (`encode(collect())`) of 100k series against the floor loop
 * writing the same bytes from plain arrays, in both formats; checked byte for byte first.
 * The ratio is floor time / promkit time (1 would be as fast as the floor; target 0.5).
 */
export async function benchFloor(budget: Budget, results: Results): Promise<void> {
  console.log('\nfloor (100k series)');
  const series = 100_000;
  const registry = promkitRegistry(countsForSeries(series));
  const plain = await plainCopy(registry);
  for (const format of ['text', 'openmetrics'] as const) {
    const promkitScrape = async (): Promise<string> => encode((await registry.collect()).families, format);
    const expected = await promkitScrape();
    const floor = floorEncode(plain, format);
    if (floor !== expected) throw new Error(`floor (${format}) does not write promkit's bytes: ${floor.length} against ${expected.length} characters`);
    const ms = await timeSlowPair(budget.quick ? 2 : 5, 1, promkitScrape, async () => floorEncode(plain, format));
    results.lower(`floor: serialize ${series / 1000}k series, ${format}, hand-written loop from plain arrays (${(Buffer.byteLength(expected) / 1e6).toFixed(1)} MB)`, 'ms', ms, 0.5, 'floor');
  }
}
