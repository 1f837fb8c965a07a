import { collectDefaultMetrics, Registry, startHttpServer } from '../../src/index.js';
import { HostCollector, type HostCollectorOptions } from './host-collector.js';

/** Options of {@link startHostExporter}. */
export interface HostExporterOptions extends HostCollectorOptions {
  /** TCP port (default 9101; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** An exporter-toolkit web-config.yml (TLS, basic auth): what `WEB_CONFIG_FILE` names. Default: plain HTTP. */
  readonly webConfigFile?: string;
}

/** A running host exporter. */
export interface HostExporter {
  /** Where the metrics are served, e.g. `http://127.0.0.1:9101/metrics`. */
  readonly url: string;
  /** The registry behind it (the host collector and the default process/Node.js metrics). */
  readonly registry: Registry;
  /** Stops the server and the runtime collectors. */
  close(): Promise<void>;
}

/**
 * Serves the {@link HostCollector} (and, like node_exporter's own `process_*`/`go_*`, the
 * exporter's own process and Node.js metrics) on `/metrics`.
 */
export async function startHostExporter(options: HostExporterOptions = {}): Promise<HostExporter> {
  const registry = new Registry();
  registry.register(new HostCollector(options));
  const defaults = collectDefaultMetrics({ registry });
  try {
    const server = await startHttpServer({ port: options.port ?? 9101, host: options.host ?? '127.0.0.1', registry, webConfig: options.webConfigFile });
    return {
      url: server.url,
      registry,
      async close() {
        await server.close();
        defaults.stop();
      },
    };
  } catch (error) {
    defaults.stop();
    throw error;
  }
}
