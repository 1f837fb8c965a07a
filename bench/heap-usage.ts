/**
 * Retained memory after full collections, for the child processes that measure heap per
 * series (run with `--expose-gc`): JS heap plus ArrayBuffer memory, since typed arrays
 * larger than 64 bytes keep their contents outside the V8 heap and a histogram's bucket
 * counts must count wherever they live.
 */
export function heapUsed(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
