/**
 * A `node:cluster` service whose metrics add up: the primary serves the aggregate of 4
 * workers, each counting jobs in `cluster_sample_jobs_total`, and recycles one worker every
 * few seconds; the total never goes down. Run with `npm run sample:cluster` (PORT defaults
 * to 8002, HOST to 127.0.0.1, RECYCLE_SECONDS to 5; WEB_CONFIG_FILE for TLS and basic auth), then watch
 * `rate(cluster_sample_jobs_total[1m])` or the printed URL.
 */
import cluster from 'node:cluster';
import { runClusterWorker, startClusterPrimary } from './cluster-service.js';

if (cluster.isPrimary) {
  const primary = await startClusterPrimary({
    port: Number(process.env.PORT ?? 8002),
    host: process.env.HOST ?? '127.0.0.1',
    workers: 4,
    recycleSeconds: Number(process.env.RECYCLE_SECONDS ?? 5),
    webConfigFile: process.env.WEB_CONFIG_FILE,
  });
  process.stdout.write(`cluster sample: aggregated metrics at ${primary.url} (4 workers, one recycled every few seconds; Ctrl-C to stop)\n`);
  const shutdown = (): void => {
    primary.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} else {
  runClusterWorker();
}
