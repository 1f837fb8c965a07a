/**
 * An inversify HTTP service measured by promkit: request metrics and `/metrics` on the
 * application's own port. Run with `npm run sample:http` (PORT defaults to 8002, HOST to
 * 127.0.0.1), then try `curl $URL/orders/1` and `curl $URL/metrics`.
 */
import { startHttpService } from './http-service.js';

const port = Number(process.env.PORT ?? 8002);
const host = process.env.HOST ?? '127.0.0.1';

const service = await startHttpService({ port, host });
process.stdout.write(`http sample: ${service.url}/orders/1, metrics at ${service.metricsUrl} (Ctrl-C to stop)\n`);

const shutdown = (): void => {
  service.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
