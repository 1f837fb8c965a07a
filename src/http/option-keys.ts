import { InvalidOptionsError } from '../model/index.js';
import { UnknownOptionError } from './http-errors.js';

/**
 * Throws {@link UnknownOptionError} for the first key of `options` not in `known`, and
 * {@link InvalidOptionsError} when `options` is not a plain object: a misspelled
 * `maxConections` or an unsupported `tls` must not be ignored silently.
 */
export function rejectUnknownKeys(options: unknown, known: readonly string[], where: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionsError(undefined, `${where} must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnknownOptionError(where, key, known);
  }
}

/**
 * A count or a duration in milliseconds from the options: `fallback` when not given, a
 * non-negative integer otherwise (`0` turns the limit off, as Node's own timeouts do).
 */
export function limitOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidOptionsError(undefined, `${name} must be a non-negative integer (0 turns it off), got ${String(value)}`);
  }
  return value;
}
