import { WebConfigError } from './http-errors.js';
import { sha256 } from './constant-time.js';

/** Verified results kept; beyond it the oldest go (a scraper sends the same pair every scrape). */
const CACHE_SIZE = 256;
/** Compared against when the user is unknown, so that an unknown user costs what a known one does. */
const DUMMY_HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';

/** Checks `Authorization: Basic` credentials against bcrypt hashes. */
export interface BasicAuthVerifier {
  /** Whether `user`/`password` match; a pair verified before is answered from the cache. */
  verify(user: string, password: string): Promise<boolean>;
  /** Loads bcrypt now, so that a missing package is found when the server starts, not at the first scrape. */
  ready(): Promise<void>;
}

type Compare = (password: string, hash: string) => Promise<boolean>;

/**
 * A verifier for exporter-toolkit's `basic_auth_users` (user → bcrypt hash). bcrypt is
 * slow on purpose, so, as exporter-toolkit does, a verified result is cached under a
 * hash of the user, the stored hash and the password (the password itself is not kept);
 * concurrent checks of the same pair share one bcrypt run. Needs the optional `bcryptjs`
 * package, loaded on the first check.
 */
export function basicAuthVerifier(users: Readonly<Record<string, string>>): BasicAuthVerifier {
  const hashes = new Map(Object.entries(users));
  const results = new Map<string, Promise<boolean>>();
  let compare: Promise<Compare> | undefined;
  const loadCompare = (): Promise<Compare> =>
    (compare ??= import('bcryptjs').then(
      (bcrypt) => bcrypt.compare,
      () => {
        throw new WebConfigError(undefined, 'basic_auth_users needs the optional "bcryptjs" package: npm install bcryptjs');
      },
    ));
  return {
    ready: async () => void (await loadCompare()),
    verify(user, password) {
      const hash = hashes.get(user);
      const key = sha256(`${user}\u0000${hash ?? DUMMY_HASH}\u0000${password}`).toString('base64');
      let result = results.get(key);
      if (result === undefined) {
        result = loadCompare()
          .then((check) => check(password, hash ?? DUMMY_HASH))
          .then((ok) => ok && hash !== undefined);
        // A failure to load bcrypt is not a verdict: do not keep it.
        result.catch(() => results.delete(key));
        if (results.size >= CACHE_SIZE) results.delete(results.keys().next().value as string);
        results.set(key, result);
      }
      return result;
    },
  };
}
