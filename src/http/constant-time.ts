import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals one of `secrets`, taking the same time whatever `given` is:
 * both sides are hashed to a fixed length first (so the length leaks nothing), and every
 * secret is compared (so which one matched leaks nothing).
 */
export function matchesSecret(given: string, secrets: readonly Buffer[]): boolean {
  const digest = sha256(given);
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(digest, secret) || matched;
  return matched;
}

/** The SHA-256 of `value`, the form a secret is kept in for {@link matchesSecret}. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
