import type { MetricFamily, Sample } from '../../src/model/index.js';

/** Something that collects like a Registry. */
export interface Collectable {
  collect(): Promise<{ families: MetricFamily[] }>;
}

/** Every sample named `sampleName` in `source` whose labels include `labels`. */
export async function samplesOf(source: Collectable, sampleName: string, labels: Readonly<Record<string, string>> = {}): Promise<Sample[]> {
  const { families } = await source.collect();
  const found: Sample[] = [];
  for (const family of families) {
    for (const sample of family.samples) {
      if (sample.name !== sampleName) continue;
      if (Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) found.push(sample);
    }
  }
  return found;
}

/** The value of the one sample matching, or `undefined` when there is none (throws when several match). */
export async function valueOf(source: Collectable, sampleName: string, labels: Readonly<Record<string, string>> = {}): Promise<number | undefined> {
  const found = await samplesOf(source, sampleName, labels);
  if (found.length > 1) {
    throw new Error(`${found.length} samples ${sampleName} match ${JSON.stringify(labels)}: ${JSON.stringify(found.map((s) => s.labels))}`);
  }
  return found[0]?.value;
}

/** The family named `name`, if collected. */
export async function familyOf(source: Collectable, name: string): Promise<MetricFamily | undefined> {
  const { families } = await source.collect();
  return families.find((f) => f.name === name);
}
