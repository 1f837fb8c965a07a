import { InvalidOptionsError } from '../model/index.js';

/** An options object of the HTTP server or handler has a key promkit does not know (often a misspelling). */
export class UnknownOptionError extends InvalidOptionsError {
  constructor(
    /** Where the key was found, e.g. `startHttpServer options` or `web-config.yml tls_server_config`. */
    readonly where: string,
    /** The key that is not known. */
    readonly key: string,
    known: readonly string[],
  ) {
    const near = closest(key, known);
    super(undefined, `unknown key ${JSON.stringify(key)} in ${where}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}; known keys: ${known.join(', ')}`);
  }
}

/** A web configuration file (exporter-toolkit's `web-config.yml`) that cannot be used as written. */
export class WebConfigError extends InvalidOptionsError {
  constructor(
    /** The file, or `undefined` for a configuration given as an object. */
    readonly file: string | undefined,
    reason: string,
  ) {
    super(undefined, file === undefined ? `web config: ${reason}` : `web config ${file}: ${reason}`);
  }
}

/** The known key closest to `key` by edit distance, when it is close enough to be a misspelling. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
