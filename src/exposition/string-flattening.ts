/** Written so that the engine cannot drop the read that flattens (see {@link flattenString}). */
let flattenSink = 0;

/**
 * Makes V8 turn a string built by many `+=` (a tree of cons strings) into one flat
 * string now, while its parts are young. An encoder appends ~10 pieces per sample; left
 * as a tree until the end, 100k samples leave millions of small strings for the garbage
 * collector to promote and one huge tree to walk, which measured 2-6x slower.
 */
export function flattenString(s: string): string {
  // charCodeAt flattens a cons string; storing the result keeps the call alive.
  if (s.length > 0) flattenSink = s.charCodeAt(0) ^ flattenSink;
  return s;
}
