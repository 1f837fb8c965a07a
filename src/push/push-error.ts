import { types } from 'node:util';
import { PromkitError } from '../model/index.js';

/** How a push failed: the gateway answered with a non-2xx status, or no answer came at all. */
export type PushFailure =
  | { readonly status: number; readonly body: string }
  | { readonly cause: unknown };

/**
 * A push or delete did not succeed: the Pushgateway answered with a non-2xx status
 * (`status` and `body` set), or it could not be reached at all — connection refused, name
 * not resolved, reset, timed out, or a gateway URL that does not parse (`status` undefined,
 * the underlying error in `cause`). `url` is always the group's full URL.
 */
export class PushError extends PromkitError {
  /** The gateway's HTTP status; undefined when no answer came. */
  readonly status: number | undefined;
  /** The gateway's answer; empty when no answer came. */
  readonly body: string;
  /** What went wrong below HTTP (e.g. the `ECONNREFUSED` error); undefined when the gateway answered. */
  override readonly cause: unknown;

  constructor(
    /** The URL of the request that failed. */
    readonly url: string,
    failure: PushFailure,
  ) {
    super('status' in failure ? `Pushgateway at ${url} answered ${failure.status}: ${failure.body.trim()}` : `Pushgateway at ${url} could not be reached: ${describeCause(failure.cause)}`);
    this.status = 'status' in failure ? failure.status : undefined;
    this.body = 'status' in failure ? failure.body : '';
    this.cause = 'cause' in failure ? failure.cause : undefined;
  }
}

/**
 * The messages along an error's `cause` chain: `fetch()` reports every network failure as
 * `TypeError: fetch failed`, with the system error (`connect ECONNREFUSED 127.0.0.1:9091`)
 * as its cause, and an address tried over IPv4 and IPv6 fails with an `AggregateError`
 * whose own message is empty.
 */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  for (let current = cause, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    // isNativeError, not instanceof: fetch's errors may come from another realm (a vm context).
    if (!types.isNativeError(current)) {
      parts.push(String(current));
      break;
    }
    const inner = 'errors' in current && Array.isArray(current.errors) ? current.errors.map(messageOf).join('; ') : '';
    const message = current.message !== '' ? current.message : inner;
    if (message !== '') parts.push(message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : 'unknown error';
}

function messageOf(error: unknown): string {
  return types.isNativeError(error) ? error.message : String(error);
}
