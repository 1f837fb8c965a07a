/**
 * The reason two lists of a definition differ (`"buckets differ: [0.1, 1] vs [0.5, 1]"`),
 * or `undefined` when they hold the same items in the same order.
 *
 * @internal Shared by the instruments' `definitionConflict`.
 */
export function listConflict(what: string, mine: readonly (string | number)[], theirs: readonly (string | number)[]): string | undefined {
  let same = mine.length === theirs.length;
  for (let i = 0; same && i < mine.length; i++) same = Object.is(mine[i], theirs[i]);
  return same ? undefined : `${what} differ: [${mine.join(', ')}] vs [${theirs.join(', ')}]`;
}

/** The reason two scalar settings differ (`"maxAgeSeconds differs: 600 vs 60"`; `undefined` reads "unset"), or `undefined`. */
export function valueConflict(what: string, mine: string | number | undefined, theirs: string | number | undefined): string | undefined {
  if (Object.is(mine, theirs)) return undefined;
  return typeof mine === 'string' ? `${what} differs: '${mine}' vs '${theirs}'` : `${what} differs: ${mine ?? 'unset'} vs ${theirs ?? 'unset'}`;
}
