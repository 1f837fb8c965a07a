import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { PairResult } from './harness.js';

/**
 * What promkit is measured against in a row: prom-client; OpenTelemetry's SDK with its
 * Prometheus exporter; or a floor, a minimal hand-written loop doing the same work from
 * plain arrays (its ratio is floor / promkit: 1 would be as fast as the floor).
 */
export type Rival = 'prom_client' | 'opentelemetry' | 'floor';

const RIVAL_TITLE: Readonly<Record<Rival, string>> = { prom_client: 'prom-client', opentelemetry: 'OpenTelemetry', floor: 'floor' };

/** One row of `bench/results.json`. */
export interface ResultRow {
  readonly name: string;
  readonly unit: 'ops/s' | 'ms' | 'µs' | 'bytes';
  readonly promkit: number;
  /** The rival's number (the JSON key is the rival's name: `prom_client`, `opentelemetry` or `floor`). */
  readonly prom_client: number;
  readonly against: Rival;
  /** promkit's advantage: > 1 means promkit is better, whichever direction `better` is. */
  readonly ratio: number;
  readonly better: 'higher' | 'lower';
  /** The issue's target for the ratio, when it sets one (printed, not part of the JSON contract). */
  readonly target?: number;
  /** Largest over smallest per-round timing of each side in this run (when measured in rounds). */
  readonly spread?: { readonly promkit: number; readonly rival: number };
  /** Why this row's numbers are not steady: a side moved > 2x within the run or since the previous results. */
  readonly unsteady?: string;
}

/** One line of the scaling table: promkit alone at one registry size, in a fresh process. */
export interface ScaleRow {
  readonly series: number;
  /** Creating every series and recording one value in each. */
  readonly record_ms: number;
  readonly heap_bytes_per_series: number;
  /** One whole scrape over HTTP (text 0.0.4), first byte to last. */
  readonly scrape_ms: number;
  readonly bytes: number;
  /** The server's longest event-loop block during the scrape. */
  readonly max_block_ms: number;
}

/** How far apart two numbers may be (either way) before a row is called unsteady. */
const STEADY_FACTOR = 2;

function moved(a: number, b: number): boolean {
  if (!(a > 0 && b > 0)) return false;
  return Math.max(a / b, b / a) > STEADY_FACTOR;
}

/** The rows of a previous `results.json` (a full run's), by name, to compare this run with. */
export function previousRows(path: URL): Map<string, { promkit: number; rival: number }> {
  const rows = new Map<string, { promkit: number; rival: number }>();
  if (!existsSync(path)) return rows;
  const json = JSON.parse(readFileSync(path, 'utf8')) as { results?: Record<string, unknown>[] };
  for (const row of json.results ?? []) {
    const against = typeof row.against === 'string' ? row.against : 'prom_client';
    const promkit = row.promkit;
    const rival = row[against];
    if (typeof row.name === 'string' && typeof promkit === 'number' && typeof rival === 'number') rows.set(row.name, { promkit, rival });
  }
  return rows;
}

/** promkit versus itself: a decorated method against the same method timed by hand. */
export interface OverheadRow {
  readonly name: string;
  /** ns per call of the decorated method. */
  readonly decorated_ns: number;
  /** ns per call of the hand-instrumented method (a bound histogram child's timer). */
  readonly hand_written_ns: number;
  /** decorated / hand-written; the issue's target is <= 1.2. */
  readonly ratio: number;
  readonly target: number;
}

/** Collects rows and prints each as soon as it is measured. */
export class Results {
  readonly rows: ResultRow[] = [];
  readonly overhead: OverheadRow[] = [];
  readonly scaling: ScaleRow[] = [];

  /** @param previous the previous full run's rows, to flag rows whose sides moved more than 2x since. */
  constructor(private readonly previous: ReadonlyMap<string, { promkit: number; rival: number }> = new Map()) {}

  /** A throughput row from nanoseconds per call (`ops` operations per call). */
  throughput(name: string, nsPerCall: PairResult, ops: number, target?: number, against: Rival = 'prom_client'): void {
    const promkit = (ops * 1e9) / nsPerCall.promkit;
    const rival = (ops * 1e9) / nsPerCall.prom_client;
    this.add({ name, unit: 'ops/s', promkit, prom_client: rival, against, ratio: promkit / rival, better: 'higher', target, spread: spreadOfPair(nsPerCall) });
  }

  /** A row where less is better (time, bytes). */
  lower(name: string, unit: 'ms' | 'µs' | 'bytes', values: PairResult, target?: number, against: Rival = 'prom_client'): void {
    this.add({ name, unit, promkit: values.promkit, prom_client: values.prom_client, against, ratio: values.prom_client / values.promkit, better: 'lower', target, spread: spreadOfPair(values) });
  }

  /** A row where more is better, measured directly (e.g. requests per second). */
  higher(name: string, values: PairResult, target?: number, against: Rival = 'prom_client'): void {
    this.add({ name, unit: 'ops/s', promkit: values.promkit, prom_client: values.prom_client, against, ratio: values.promkit / values.prom_client, better: 'higher', target, spread: spreadOfPair(values) });
  }

  addScale(row: ScaleRow): void {
    this.scaling.push(row);
    console.log(`  ${formatScale(row).join(' | ')}`);
  }

  addOverhead(row: OverheadRow): void {
    this.overhead.push(row);
    console.log(`  ${row.name}: decorated ${row.decorated_ns.toFixed(1)} ns, hand-written ${row.hand_written_ns.toFixed(1)} ns, ratio ${row.ratio.toFixed(2)} (target <= ${row.target})`);
  }

  private add(measured: ResultRow): void {
    const row = { ...measured, unsteady: this.unsteadiness(measured) };
    this.rows.push(row);
    console.log(`  ${formatRow(row)}`);
  }

  private unsteadiness(row: ResultRow): string | undefined {
    const reasons: string[] = [];
    // A cost measured as a difference (an overhead) can come out at or below zero in noise.
    if (!(row.promkit > 0) || !(row.prom_client > 0)) reasons.push(`a side at or below zero: within this machine's noise, the ratio means nothing`);
    if (row.spread !== undefined && (row.spread.promkit > STEADY_FACTOR || row.spread.rival > STEADY_FACTOR)) {
      reasons.push(`spread in run ${row.spread.promkit.toFixed(1)}x/${row.spread.rival.toFixed(1)}x`);
    }
    const last = this.previous.get(row.name);
    if (last !== undefined && (moved(last.promkit, row.promkit) || moved(last.rival, row.prom_client))) {
      reasons.push(`moved since last: promkit ${(row.promkit / last.promkit).toFixed(2)}x, ${RIVAL_TITLE[row.against]} ${(row.prom_client / last.rival).toFixed(2)}x`);
    }
    return reasons.length === 0 ? undefined : reasons.join('; ');
  }

  /** The scaling table: promkit alone from 1k to 1M series; per-series columns show whether growth is linear. */
  scalingTable(): string {
    const header = ['series', 'record', 'per series', 'heap / series', 'scrape (HTTP)', 'per series', 'bytes', 'longest block'];
    const lines = this.scaling.map(formatScale);
    return renderTable(header, lines, 1);
  }

  /** The full table, one line per row, with a verdict against the target. */
  table(): string {
    const header = ['workload', 'unit', 'promkit', 'against', 'ratio', 'target', 'steady?'];
    const lines = this.rows.map((r) => [
      r.name,
      r.unit,
      formatValue(r.promkit, r.unit),
      `${RIVAL_TITLE[r.against]} ${formatValue(r.prom_client, r.unit)}`,
      `${r.ratio.toFixed(2)}x`,
      r.target === undefined ? '' : `>= ${r.target}x ${r.ratio >= r.target ? 'ok' : 'MISSED'}`,
      r.unsteady === undefined ? '' : `UNSTEADY (${r.unsteady})`,
    ]);
    for (const o of this.overhead) {
      lines.push([o.name, 'ns/call', o.decorated_ns.toFixed(1), `(hand) ${o.hand_written_ns.toFixed(1)}`, `${o.ratio.toFixed(2)}x`, `<= ${o.target}x ${o.ratio <= o.target ? 'ok' : 'MISSED'}`, '']);
    }
    return renderTable(header, lines, 2);
  }

  write(path: URL, meta: { node: string; prom_client: string; quick: boolean; machine: string }): void {
    const json = {
      node: meta.node,
      prom_client: meta.prom_client,
      quick: meta.quick,
      machine: meta.machine,
      results: this.rows.map(({ target: _target, prom_client: rival, spread, ...row }) => ({
        ...row,
        promkit: round(row.promkit),
        [row.against]: round(rival),
        ratio: Math.round(row.ratio * 100) / 100,
        ...(spread === undefined ? {} : { spread: { promkit: Math.round(spread.promkit * 100) / 100, rival: Math.round(spread.rival * 100) / 100 } }),
      })),
      scaling: this.scaling.map((r) => ({ ...r, record_ms: round(r.record_ms), heap_bytes_per_series: round(r.heap_bytes_per_series), scrape_ms: round(r.scrape_ms), max_block_ms: round(r.max_block_ms) })),
      decorator_overhead: this.overhead.map((o) => ({ ...o, decorated_ns: round(o.decorated_ns), hand_written_ns: round(o.hand_written_ns), ratio: Math.round(o.ratio * 100) / 100 })),
    };
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  }
}

function spreadOfPair(values: PairResult): ResultRow['spread'] {
  return values.spread === undefined ? undefined : { promkit: values.spread.promkit, rival: values.spread.prom_client };
}

/** A markdown table; the first `leftColumns` columns left-aligned, the rest right-aligned. */
function renderTable(header: string[], lines: string[][], leftColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]): string => `| ${cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [render(header), `|${widths.map((w, i) => (i < leftColumns ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(render)].join('\n');
}

function formatScale(r: ScaleRow): string[] {
  return [
    r.series >= 1e6 ? `${r.series / 1e6}M` : `${r.series / 1e3}k`,
    `${r.record_ms.toFixed(r.record_ms >= 100 ? 0 : 1)} ms`,
    `${((r.record_ms * 1e6) / r.series).toFixed(0)} ns`,
    `${r.heap_bytes_per_series.toFixed(0)} B`,
    `${r.scrape_ms.toFixed(r.scrape_ms >= 100 ? 0 : 1)} ms`,
    `${((r.scrape_ms * 1e6) / r.series).toFixed(0)} ns`,
    `${(r.bytes / 1e6).toFixed(1)} MB`,
    `${r.max_block_ms.toFixed(1)} ms`,
  ];
}

function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

function formatValue(value: number, unit: string): string {
  if (unit === 'ops/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)} k` : value.toFixed(1);
  if (unit === 'bytes') return value.toFixed(0);
  return value.toFixed(value >= 100 ? 0 : 2);
}

function formatRow(row: ResultRow): string {
  const verdict = row.target === undefined ? '' : row.ratio >= row.target ? ' (target met)' : ` (target ${row.target}x MISSED)`;
  const steady = row.unsteady === undefined ? '' : ` UNSTEADY: ${row.unsteady}`;
  return `${row.name}: promkit ${formatValue(row.promkit, row.unit)} ${row.unit}, ${RIVAL_TITLE[row.against]} ${formatValue(row.prom_client, row.unit)} ${row.unit}, ratio ${row.ratio.toFixed(2)}x${verdict}${steady}`;
}
