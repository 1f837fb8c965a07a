/**
 * A host exporter written with promkit's collector API: node_exporter's load, CPU, memory,
 * network, filesystem and boot-time metrics, read from /proc at scrape time.
 *
 *   npm run sample:host                 # http://127.0.0.1:9101/metrics
 *   PORT=9200 HOST=0.0.0.0 npm run sample:host
 */
import { pathToFileURL } from 'node:url';
import { startHostExporter } from './host-exporter.js';

export { startHostExporter, type HostExporter, type HostExporterOptions } from './host-exporter.js';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 9101);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got ${process.env.PORT}`);
  const exporter = await startHostExporter({ port, host: process.env.HOST ?? '127.0.0.1', webConfigFile: process.env.WEB_CONFIG_FILE });
  console.log(`host exporter serving ${exporter.url}`);
  const shutdown = (): void => {
    exporter.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

// Only when run as a program, not when a test imports this module.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
