import type { Server } from 'node:http';
import { InvalidOptionsError } from '../model/index.js';
import { limitOption } from './option-keys.js';

/** Limits of the standalone server's connections; each has a default safe to expose. */
export interface ServerLimitOptions {
  /** Milliseconds a client has to send the request headers (a silent socket is closed after it). Default `10000`. */
  readonly headersTimeout?: number;
  /** Milliseconds a client has to send the whole request. Default `30000`; at least `headersTimeout`. */
  readonly requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection is kept between scrapes. Default `65000`: longer than a 1-minute scrape interval. */
  readonly keepAliveTimeout?: number;
  /** Connections open at once; one more is closed as soon as it is accepted. Default `128`. */
  readonly maxConnections?: number;
  /** Milliseconds `close()` lets in-flight responses finish before destroying their connections. Default `5000`. */
  readonly closeGracePeriod?: number;
}

/** The keys of {@link ServerLimitOptions}. */
export const SERVER_LIMIT_KEYS: readonly string[] = ['headersTimeout', 'requestTimeout', 'keepAliveTimeout', 'maxConnections', 'closeGracePeriod'];

/** {@link ServerLimitOptions} with every default filled in. */
export type ServerLimits = Required<ServerLimitOptions>;

/** The limits `options` asks for, checked, defaults filled in. */
export function serverLimits(options: ServerLimitOptions): ServerLimits {
  const limits: ServerLimits = {
    headersTimeout: limitOption(options.headersTimeout, 'headersTimeout', 10_000),
    requestTimeout: limitOption(options.requestTimeout, 'requestTimeout', 30_000),
    keepAliveTimeout: limitOption(options.keepAliveTimeout, 'keepAliveTimeout', 65_000),
    maxConnections: limitOption(options.maxConnections, 'maxConnections', 128),
    closeGracePeriod: limitOption(options.closeGracePeriod, 'closeGracePeriod', 5_000),
  };
  if (limits.requestTimeout > 0 && limits.headersTimeout > limits.requestTimeout) {
    throw new InvalidOptionsError(undefined, `headersTimeout (${limits.headersTimeout}) must not exceed requestTimeout (${limits.requestTimeout})`);
  }
  return limits;
}

/**
 * The options `createServer` takes for these limits. Node checks header and request
 * timeouts on a timer; it runs often enough here for a timeout to be enforced within
 * half its length.
 */
export function serverCreationOptions(limits: ServerLimits): { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number; connectionsCheckingInterval: number } {
  const shortest = Math.min(...[limits.headersTimeout, limits.requestTimeout].filter((t) => t > 0), 60_000);
  return {
    headersTimeout: limits.headersTimeout,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(shortest / 2))),
  };
}

/** Applies the limits Node reads from the server object rather than from `createServer`. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.keepAliveTimeout;
}
