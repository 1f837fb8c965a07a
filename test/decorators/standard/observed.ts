/**
 * What the compiled programs of this folder report (samples as plain JSON) and how the
 * tests read it back. No decorators here: the programs and the tests share it.
 */

/** One sample as a program reports it. */
export interface Observed {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of `registry`, as plain data. */
export async function observe(registry: { collect(): Promise<{ families: readonly { samples: readonly Observed[] }[] }> }): Promise<Observed[]> {
  const { families } = await registry.collect();
  return families.flatMap((f) => f.samples.map((s) => ({ name: s.name, labels: { ...s.labels }, value: s.value })));
}

/** The value of the one sample named `name` whose labels include `labels` (throws when several match). */
export function observedValue(samples: readonly Observed[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
