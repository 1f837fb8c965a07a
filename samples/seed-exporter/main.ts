/**
 * `npm start`: the seed exporter on port 8000 (PORT and HOST override).
 */
import { startSeedExporter } from './seed-exporter.js';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
const exporter = await startSeedExporter({ port, host });
console.log(`seed exporter serving ${exporter.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void exporter.stop().then(() => process.exit(0));
  });
}
