import type { MetricFamily, Sample } from '../../src/model/index.js';

/** Test helper: the family named `name` in a collect result (throws when absent). */
export function family(families: Iterable<MetricFamily>, name: string): MetricFamily {
  for (const f of families) if (f.name === name) return f;
  throw new Error(`no family ${JSON.stringify(name)} in [${[...families].map((f) => f.name).join(', ')}]`);
}

/** Test helper: the value of the only sample named `sampleName` (with `labels`, when given). */
export function valueOf(families: Iterable<MetricFamily>, sampleName: string, labels?: Record<string, string>): number {
  const matches: Sample[] = [];
  for (const f of families) {
    for (const s of f.samples) {
      if (s.name !== sampleName) continue;
      if (labels !== undefined && !Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
      matches.push(s);
    }
  }
  if (matches.length !== 1) throw new Error(`expected one sample ${sampleName} ${JSON.stringify(labels ?? {})}, found ${matches.length}`);
  return matches[0].value;
}
