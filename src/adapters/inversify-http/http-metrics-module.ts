import { ContainerModule } from 'inversify';
import { METRICS_REGISTRY } from '../../di/metrics-tokens.js';
import { HttpRequestMetrics, type HttpRequestMetricsOptions } from '../request-metrics/index.js';
import { HTTP_REQUEST_METRICS, HttpRequestMetricsMiddleware } from './http-metrics-middleware.js';
import { MetricsController } from './metrics-controller.js';

/** Options of {@link HttpMetricsModule}: the request metrics' options, less the registry (the container's). */
export type HttpMetricsModuleOptions = Omit<HttpRequestMetricsOptions, 'registry'> & {
  /** Whether to bind {@link MetricsController} (`GET /metrics` on the application). Default `true`. */
  readonly controller?: boolean;
};

/**
 * Binds HTTP request metrics and `/metrics` for an inversify HTTP application, next to
 * `MetricsModule` (whose registry they use): {@link HTTP_REQUEST_METRICS},
 * {@link HttpRequestMetricsMiddleware} and {@link MetricsController}, all singletons.
 *
 * @example
 * ```ts
 * import { Container } from 'inversify';
 * import { InversifyExpressHttpAdapter } from '@inversifyjs/http-express';
 * import { MetricsModule } from 'promkit/inversify';
 * import { HttpMetricsModule, HttpRequestMetricsMiddleware } from 'promkit/inversify-http';
 *
 * const container = new Container();
 * container.load(new MetricsModule(), new HttpMetricsModule());
 * const adapter = new InversifyExpressHttpAdapter(container);
 * adapter.applyGlobalMiddleware(HttpRequestMetricsMiddleware);
 * const app = await adapter.build();
 * ```
 */
export class HttpMetricsModule extends ContainerModule {
  /** @param options - names, labels, buckets and skipping of the request metrics. */
  constructor(options: HttpMetricsModuleOptions = {}) {
    const { controller = true, ...metricsOptions } = options;
    super((bind) => {
      bind.bind(HTTP_REQUEST_METRICS)
        .toDynamicValue((context) => new HttpRequestMetrics({ ...metricsOptions, registry: context.get(METRICS_REGISTRY) }))
        .inSingletonScope();
      bind.bind(HttpRequestMetricsMiddleware).toSelf().inSingletonScope();
      if (controller) bind.bind(MetricsController).toSelf().inSingletonScope();
    });
  }
}
