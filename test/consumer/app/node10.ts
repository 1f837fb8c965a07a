/**
 * Type-checked only, under `moduleResolution: node10` (old CommonJS projects): both entry
 * points resolve, `promkit/inversify` through the package's typesVersions. It does not
 * import inversify itself: inversify 8 publishes its types for node16+ resolution only.
 */
import { Counter, Registry } from 'promkit';
import { MetricsModule, METRICS_REGISTRY } from 'promkit/inversify';

const registry = new Registry();
const jobs = new Counter({ name: 'jobs', help: 'Jobs done.', labelNames: ['queue'], registry });
jobs.labels({ queue: 'mail' }).inc();
// @ts-expect-error -- a wrong label name is a compile error here too
jobs.labels({ queu: 'mail' });

export const metricsModule: MetricsModule = new MetricsModule({ registry });
export const registryToken: typeof METRICS_REGISTRY = METRICS_REGISTRY;
