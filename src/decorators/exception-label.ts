/** The `exception` label of a call that did not fail. */
export const NO_EXCEPTION = 'none';

/**
 * The `exception` label value for a thrown value: the constructor name of an `Error`
 * (`TypeError`, `OrderRejectedError`, ...), else `typeof` the value (`string`, `object`,
 * `undefined`...), so that throwing strings or plain objects cannot explode cardinality.
 */
export function exceptionLabelOf(thrown: unknown): string {
  if (thrown instanceof Error || isForeignError(thrown)) {
    const ctor = (thrown as { constructor?: { name?: unknown } }).constructor;
    const name = typeof ctor === 'function' ? ctor.name : undefined;
    return typeof name === 'string' && name.length > 0 ? name : 'Error';
  }
  return typeof thrown;
}

/** Errors from another realm (vm contexts, workers' structured clones) fail `instanceof Error`. */
function isForeignError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Error]';
}
