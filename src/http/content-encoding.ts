/**
 * True when an `Accept-Encoding` header lets us answer with gzip: `gzip` (or its alias
 * `x-gzip`) listed with a weight above 0, or not listed but covered by `*` with a weight
 * above 0. `gzip;q=0` refuses it even when `*` would allow it.
 *
 * @example
 * ```ts
 * acceptsGzip('gzip, deflate, br'); // true
 * acceptsGzip('br, *;q=0');         // false
 * ```
 */
export function acceptsGzip(header: string | string[] | undefined | null): boolean {
  if (header === undefined || header === null) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  let gzipQ: number | undefined;
  let wildcardQ: number | undefined;
  for (const element of value.split(',')) {
    const [rawCoding, ...params] = element.split(';');
    const coding = rawCoding.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const parsed = Number(param.slice(eq + 1).trim());
      q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
    }
    if (coding === 'gzip' || coding === 'x-gzip') gzipQ = Math.max(gzipQ ?? 0, q);
    else if (coding === '*') wildcardQ = q;
  }
  if (gzipQ !== undefined) return gzipQ > 0;
  return wildcardQ !== undefined && wildcardQ > 0;
}
