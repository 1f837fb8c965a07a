/**
 * An order service wired with inversify, instrumented by promkit's decorators, serving
 * its metrics. Run with `npm run sample:inversify` (PORT defaults to 8001, HOST to
 * 127.0.0.1), then open the printed URL or point Prometheus at it.
 */
import 'reflect-metadata';
import { startInversifySample } from './inversify-sample.js';

const port = Number(process.env.PORT ?? 8001);
const host = process.env.HOST ?? '127.0.0.1';

const sample = await startInversifySample({ port, host, webConfigFile: process.env.WEB_CONFIG_FILE });
await sample.driveTraffic();
process.stdout.write(`inversify sample: metrics at ${sample.url} (generating order traffic; Ctrl-C to stop)\n`);

const shutdown = (): void => {
  sample.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
