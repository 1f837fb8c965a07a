/**
 * `npm start`: the seed exporter on port 8000 (PORT and HOST override; WEB_CONFIG_FILE names
 * an exporter-toolkit web-config.yml for TLS and basic auth).
 */
import { startSeedExporter } from './seed-exporter.js';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
const exporter = await startSeedExporter({ port, host, webConfigFile: process.env.WEB_CONFIG_FILE });
console.log(`seed exporter serving ${exporter.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void exporter.stop().then(() => process.exit(0));
  });
}
