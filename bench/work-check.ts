/**
 * Honest rows: after a workload has run, the work it claims must be visible in the
 * metrics it recorded into, so that no row times code the JIT found it could drop. Each
 * side's own exposition text is read back (promkit's, prom-client's and OpenTelemetry's
 * all write text 0.0.4) and summed by sample name.
 */

/** The sum of the values of every line of `text` whose sample name is `sampleName`. */
export function sampleSum(text: string, sampleName: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${sampleName}{`) || line.startsWith(`${sampleName} `)) {
      // A value is the first field after the label set (a timestamp may follow it).
      const afterLabels = line.startsWith(`${sampleName}{`) ? line.indexOf('} ') + 2 : sampleName.length + 1;
      sum += Number(line.slice(afterLabels).split(' ')[0]);
    }
  }
  return sum;
}

/** The number of lines of `text` whose sample name is `sampleName`. */
export function sampleCount(text: string, sampleName: string): number {
  return text.split('\n').filter((line) => line.startsWith(`${sampleName}{`) || line.startsWith(`${sampleName} `)).length;
}

/** Fails the whole bench, loudly, when a workload did not do the work its row claims. */
export function expectWork(row: string, what: string, actual: number, expected: number): void {
  // Sums of many float observations may differ in the last bits; counts must be exact.
  const equal = Number.isInteger(expected) ? actual === expected : Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (!equal) throw new Error(`dishonest row "${row}": ${what} is ${actual}, expected ${expected}`);
}
