import { writeFileSync } from 'node:fs';
import type { Library } from './harness.js';

/** One row of `bench/results.json`. */
export interface ResultRow {
  readonly name: string;
  readonly unit: 'ops/s' | 'ms' | 'µs' | 'bytes';
  readonly promkit: number;
  readonly prom_client: number;
  /** promkit's advantage: > 1 means promkit is better, whichever direction `better` is. */
  readonly ratio: number;
  readonly better: 'higher' | 'lower';
  /** The issue's target for the ratio, when it sets one (printed, not part of the JSON contract). */
  readonly target?: number;
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

  /** A throughput row from nanoseconds per call (`ops` operations per call). */
  throughput(name: string, nsPerCall: Record<Library, number>, ops: number, target?: number): void {
    const promkit = (ops * 1e9) / nsPerCall.promkit;
    const promClient = (ops * 1e9) / nsPerCall.prom_client;
    this.add({ name, unit: 'ops/s', promkit, prom_client: promClient, ratio: promkit / promClient, better: 'higher', target });
  }

  /** A row where less is better (time, bytes). */
  lower(name: string, unit: 'ms' | 'µs' | 'bytes', values: Record<Library, number>, target?: number): void {
    this.add({ name, unit, promkit: values.promkit, prom_client: values.prom_client, ratio: values.prom_client / values.promkit, better: 'lower', target });
  }

  /** A row where more is better, measured directly (e.g. requests per second). */
  higher(name: string, values: Record<Library, number>, target?: number): void {
    this.add({ name, unit: 'ops/s', promkit: values.promkit, prom_client: values.prom_client, ratio: values.promkit / values.prom_client, better: 'higher', target });
  }

  addOverhead(row: OverheadRow): void {
    this.overhead.push(row);
    console.log(`  ${row.name}: decorated ${row.decorated_ns.toFixed(1)} ns, hand-written ${row.hand_written_ns.toFixed(1)} ns, ratio ${row.ratio.toFixed(2)} (target <= ${row.target})`);
  }

  private add(row: ResultRow): void {
    this.rows.push(row);
    console.log(`  ${formatRow(row)}`);
  }

  /** The full table, one line per row, with a verdict against the target. */
  table(): string {
    const header = ['workload', 'unit', 'promkit', 'prom-client', 'ratio', 'target'];
    const lines = this.rows.map((r) => [
      r.name,
      r.unit,
      formatValue(r.promkit, r.unit),
      formatValue(r.prom_client, r.unit),
      `${r.ratio.toFixed(2)}x`,
      r.target === undefined ? '' : `>= ${r.target}x ${r.ratio >= r.target ? 'ok' : 'MISSED'}`,
    ]);
    for (const o of this.overhead) {
      lines.push([o.name, 'ns/call', o.decorated_ns.toFixed(1), `(hand) ${o.hand_written_ns.toFixed(1)}`, `${o.ratio.toFixed(2)}x`, `<= ${o.target}x ${o.ratio <= o.target ? 'ok' : 'MISSED'}`]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const render = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    return [render(header), `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(render)].join('\n');
  }

  write(path: URL, meta: { node: string; prom_client: string; quick: boolean; machine: string }): void {
    const json = {
      node: meta.node,
      prom_client: meta.prom_client,
      quick: meta.quick,
      machine: meta.machine,
      results: this.rows.map(({ target: _target, ...row }) => ({ ...row, promkit: round(row.promkit), prom_client: round(row.prom_client), ratio: Math.round(row.ratio * 100) / 100 })),
      decorator_overhead: this.overhead.map((o) => ({ ...o, decorated_ns: round(o.decorated_ns), hand_written_ns: round(o.hand_written_ns), ratio: Math.round(o.ratio * 100) / 100 })),
    };
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  }
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
  return `${row.name}: promkit ${formatValue(row.promkit, row.unit)} ${row.unit}, prom-client ${formatValue(row.prom_client, row.unit)} ${row.unit}, ratio ${row.ratio.toFixed(2)}x${verdict}`;
}
