import { InvalidOptionsError, isValidLabelName, type LabelSet } from '../model/index.js';
import { scrape, TEXT_CONTENT_TYPE } from '../exposition/index.js';
import type { Registry } from '../registry/index.js';
import { PushError } from './push-error.js';

/** Options of a push to (or delete from) a Pushgateway. */
export interface PushOptions {
  /** Labels beyond `job` that identify the group (e.g. `{ instance: 'batch-7' }`). */
  readonly groupingKey?: LabelSet;
  /** Give up after this many seconds. Default 30. */
  readonly timeoutSeconds?: number;
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Replaces every metric of the group `job` (+ grouping key) with the registry's metrics
 * (HTTP PUT, client_python's `push_to_gateway`). For batch jobs that end before a scrape.
 * Rejects with a {@link PushError} naming the group's URL when the gateway answers with a
 * non-2xx status or cannot be reached (refused, timed out, reset; the cause attached).
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * const last = new Gauge({ name: 'backup_last_success_seconds', help: 'When the backup last succeeded.', registry });
 * last.setToCurrentTime();
 * await pushToGateway('http://127.0.0.1:9091', 'nightly_backup', registry);
 * ```
 */
export function pushToGateway(gateway: string, job: string, registry: Registry, options: PushOptions = {}): Promise<void> {
  return send('PUT', gateway, job, registry, options);
}

/**
 * Replaces only the metrics with the same names as the registry's in the group (HTTP POST,
 * client_python's `pushadd_to_gateway`); the group's other metrics stay. Fails as
 * {@link pushToGateway} does.
 */
export function pushAddToGateway(gateway: string, job: string, registry: Registry, options: PushOptions = {}): Promise<void> {
  return send('POST', gateway, job, registry, options);
}

/**
 * Deletes every metric of the group (HTTP DELETE, client_python's `delete_from_gateway`).
 * Fails as {@link pushToGateway} does.
 */
export function deleteFromGateway(gateway: string, job: string, options: PushOptions = {}): Promise<void> {
  return send('DELETE', gateway, job, undefined, options);
}

/**
 * The group's URL: `/metrics/job/<job>/<label>/<value>...`. Values containing `/` are sent
 * base64url-encoded as `<label>@base64/<value>`, and empty values as `<label>@base64/=`, as
 * the Pushgateway (>= 0.9) requires. Throws `InvalidOptionsError` for a label name the
 * gateway would refuse, or a value that is not well-formed Unicode (a lone surrogate has no
 * UTF-8 spelling).
 */
export function groupingPath(job: string, groupingKey: LabelSet = {}): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const [name, value] of Object.entries(groupingKey)) path += `/${segment(name, value)}`;
  return path;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function segment(name: string, value: string): string {
  if (!isValidLabelName(name)) throw new InvalidOptionsError(undefined, `grouping key label ${JSON.stringify(name)} is not a valid label name`);
  if (LONE_SURROGATE.test(value)) throw new InvalidOptionsError(undefined, `grouping key value of ${JSON.stringify(name)} contains a lone surrogate (not well-formed Unicode)`);
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

async function send(
  method: 'PUT' | 'POST' | 'DELETE',
  gateway: string,
  job: string,
  registry: Registry | undefined,
  options: PushOptions,
): Promise<void> {
  const base = /^https?:\/\//.test(gateway) ? gateway : `http://${gateway}`;
  const url = base.replace(/\/+$/, '') + groupingPath(job, options.groupingKey);
  let body: string | undefined;
  if (registry !== undefined) {
    // The one scrape pipeline, as a scrape over HTTP would be served (text 0.0.4).
    body = (await scrape(registry, { formats: ['text'] })).body;
  }
  try {
    const response = await fetch(url, {
      method,
      body,
      headers: { ...(body !== undefined ? { 'Content-Type': TEXT_CONTENT_TYPE } : {}), ...options.headers },
      signal: AbortSignal.timeout((options.timeoutSeconds ?? 30) * 1000),
    });
    if (!response.ok) throw new PushError(url, { status: response.status, body: await response.text() });
    await response.arrayBuffer();
  } catch (error) {
    // Everything between here and the gateway (refused, reset, unresolved, timed out,
    // an unparseable URL, a body cut short) surfaces as one typed error naming the URL.
    if (error instanceof PushError) throw error;
    throw new PushError(url, { cause: error });
  }
}
