/**
 * The seed article's exporter (client_python's example), ported to promkit: two gauges (one
 * labelled), a counter, a summary, a histogram and an info metric, updated once a second and
 * served over HTTP with the process and Node.js runtime metrics first.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Info,
  Summary,
  collectDefaultMetrics,
  defaultRegistry,
  startHttpServer,
  type Registry,
} from '../../src/index.js';

/** An inclusive random integer, like Python's `random.randint(a, b)`. */
export type RandomInt = (min: number, max: number) => number;

const randint: RandomInt = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

/** Options of {@link startSeedExporter}. */
export interface SeedExporterOptions {
  /** Default 8000, as `start_http_server(8000)`. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** An exporter-toolkit web-config.yml (TLS, basic auth): what `WEB_CONFIG_FILE` names. Default: plain HTTP. */
  readonly webConfigFile?: string;
  /** Default: the default registry. */
  readonly registry?: Registry;
  /** Register the process / Node.js runtime metrics too. Default true. */
  readonly defaultMetrics?: boolean;
  /** Where the random values come from (tests pass a fixed one). */
  readonly randomInt?: RandomInt;
  /** How often `processRequest` runs, in milliseconds; 0 = never by itself. Default 1000. */
  readonly intervalMs?: number;
}

/** A running seed exporter. */
export interface SeedExporter {
  /** The metrics URL. */
  readonly url: string;
  /** One round of the article's `process_request()`. */
  processRequest(): void;
  /** Stops the loop, the server and the runtime collectors. */
  stop(): Promise<void>;
}

/** Starts the seed exporter: its metrics, one `processRequest` now and then every `intervalMs`, the server. */
export async function startSeedExporter(options: SeedExporterOptions = {}): Promise<SeedExporter> {
  const registry = options.registry ?? defaultRegistry;
  const random = options.randomInt ?? randint;
  const runtime = options.defaultMetrics === false ? undefined : collectDefaultMetrics({ registry });

  const a = new Gauge({ name: 'a', help: 'Description of gauge', registry });
  const b = new Gauge({ name: 'b', help: 'Description of gauge', labelNames: ['label1', 'label2'], registry });
  const c = new Counter({ name: 'c', help: 'Description of counter', registry });
  const s = new Summary({ name: 'request_latency_seconds', help: 'Description of summary', registry });
  const h = new Histogram({ name: 'request_latency_seconds2', help: 'Description of histogram', registry });
  const i = new Info({ name: 'my_build_version', help: 'Description of info', registry });

  /** A dummy request handler, as in the article. */
  function processRequest(): void {
    a.set(random(1, 100));
    b.labels({ label1: 'k1', label2: 'f1' }).set(random(100, 200));
    b.labels({ label1: 'k1', label2: 'f2' }).set(random(200, 300));
    b.labels({ label1: 'k2', label2: 'f2' }).set(random(400, 500));
    c.inc();
    s.observe(4.7);
    h.observe(8.8);
    i.info({ version: '1.2.3', buildhost: 'foo@bar' });
  }

  const server = await startHttpServer({ port: options.port ?? 8000, host: options.host ?? '127.0.0.1', registry, webConfig: options.webConfigFile });
  processRequest();
  const intervalMs = options.intervalMs ?? 1000;
  const timer = intervalMs > 0 ? setInterval(processRequest, intervalMs) : undefined;

  return {
    url: server.url,
    processRequest,
    async stop() {
      clearInterval(timer);
      await server.close();
      runtime?.stop();
      for (const metric of [a, b, c, s, h, i]) registry.unregister(metric);
    },
  };
}
