import { startHttpServer, type MetricsHttpServer, type WebConfig } from '../http/index.js';
import type { Registry } from '../registry/index.js';

/** Where a {@link MetricsServer} listens. */
export interface MetricsEndpoint {
  /** Address to bind. Default `127.0.0.1`. */
  readonly host: string;
  /** TCP port; `0` picks a free one. Default `8000`. */
  readonly port: number;
  /** Path the metrics are served on. Default `/metrics`. */
  readonly path: string;
  /**
   * TLS and authentication: the path of an exporter-toolkit `web-config.yml` (what
   * `WEB_CONFIG_FILE` names in the samples), or its parsed form. Default: plain HTTP, no auth.
   */
  readonly webConfig?: string | WebConfig;
}

/**
 * The container's metrics endpoint: an HTTP server serving its registry. Created stopped;
 * `start()` listens, `stop()` closes (the module also stops it when the container unbinds it).
 *
 * @example
 * ```ts
 * const server = container.get(METRICS_SERVER);
 * const url = await server.start();     // http://127.0.0.1:8000/metrics
 * process.on('SIGTERM', () => void server.stop());
 * ```
 */
export class MetricsServer {
  private starting: Promise<MetricsHttpServer> | undefined;
  private server: MetricsHttpServer | undefined;

  constructor(
    readonly registry: Registry,
    readonly endpoint: MetricsEndpoint,
  ) {}

  /** The metrics URL while running (with the real port when `0` was configured). */
  get url(): string | undefined {
    return this.server?.url;
  }

  /** The bound port while running. */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** Starts listening (once; later calls return the same URL) and resolves to the metrics URL. */
  async start(): Promise<string> {
    if (this.starting === undefined) {
      const { host, port, path, webConfig } = this.endpoint;
      const starting = startHttpServer({ host, port, path, registry: this.registry, ...(webConfig === undefined ? {} : { webConfig }) });
      this.starting = starting;
      starting.then(
        (server) => {
          if (this.starting === starting) this.server = server;
        },
        () => {
          if (this.starting === starting) this.starting = undefined;
        },
      );
    }
    return (await this.starting).url;
  }

  /** Stops listening and waits for open requests to be answered. Safe to call when stopped. */
  async stop(): Promise<void> {
    const starting = this.starting;
    if (starting === undefined) return;
    this.starting = undefined;
    this.server = undefined;
    let server: MetricsHttpServer;
    try {
      server = await starting;
    } catch {
      return;
    }
    await server.close();
  }
}
