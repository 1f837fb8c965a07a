/**
 * The label rules every adapter shares: which label values a request can produce. Only
 * bounded values ever reach a label — a method from a fixed list, a route template the
 * application declared (or {@link UNMATCHED_ROUTE}), a status code or its class — so
 * nothing a client sends (a path, an id, a query string, an invented method) can grow
 * the number of series.
 */

/** The route label of a request no route matched (404s, the framework's own answers). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The method label of a request whose method is not a standard HTTP method (OpenTelemetry's value). */
export const OTHER_METHOD = '_OTHER';

/** How the status code is labelled: `'code'` (`404`) or `'class'` (`4xx`). */
export type StatusLabelling = 'code' | 'class';

/** The methods labelled as themselves (RFC 9110, PATCH and QUERY); any other one is {@link OTHER_METHOD}. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** The method label of `method` (Node hands methods over upper-cased as sent). */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}

const STATUS_CLASSES: readonly string[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** The label of `status` (an integer from the server's response), raw or by class. */
export function statusLabel(status: number, labelling: StatusLabelling): string {
  if (labelling === 'class') {
    const hundreds = Math.floor(status / 100);
    return hundreds >= 1 && hundreds <= 5 ? STATUS_CLASSES[hundreds - 1] : String(status);
  }
  return String(status);
}

/**
 * Joins a router's mount path with a route path into one template: `('/api', '/orders/:id')`
 * is `/api/orders/:id`, `('/orders', '/')` is `/orders`. The parts are declared templates,
 * never the request's path.
 */
export function joinRoute(mountPath: string, routePath: string): string {
  if (mountPath === '' || mountPath === '/') return routePath === '' ? '/' : routePath;
  if (routePath === '/' || routePath === '') return mountPath;
  return mountPath.endsWith('/') && routePath.startsWith('/') ? mountPath + routePath.slice(1) : mountPath + routePath;
}
