import { describe, expect, it } from '@jest/globals';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, Counted, Gauged, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { samplesOf, valueOf } from './series.js';

interface Request {
  readonly tenant: string;
  readonly priority: number;
}

class Gateway {
  readonly region = 'eu-west';

  @Counted({
    name: 'gateway_requests_total',
    labels: { layer: 'edge' },
    labelNames: ['tenant', 'priority', 'region'],
    labelsFrom: (args, instance) => {
      const [request] = args as [Request];
      return { tenant: request.tenant, priority: request.priority, region: (instance as Gateway).region };
    },
  })
  async handle(request: Request): Promise<string> {
    await Promise.resolve();
    if (request.priority < 0) throw new RangeError('bad priority');
    return `handled ${request.tenant}`;
  }

  @Timed({ name: 'gateway_route_seconds', labelNames: ['route'], labelsFrom: ([route]) => ({ route: route as string }) })
  route(route: string): string {
    return route.toUpperCase();
  }

  @Gauged({ name: 'gateway_in_flight', labelNames: ['tenant'], labelsFrom: ([tenant]) => ({ tenant: tenant as string }) })
  async hold(tenant: string, ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function bound(): { registry: Registry; gateway: Gateway } {
  const registry = new Registry();
  return { registry, gateway: bindMetricsRuntime(new Gateway(), new MetricsRuntime({ registry })) };
}

describe('labels taken from the call', () => {
  it('labelsFrom gets the arguments and the instance; numbers become strings; constant labels join', async () => {
    const { registry, gateway } = bound();
    await gateway.handle({ tenant: 'acme', priority: 2 });
    await gateway.handle({ tenant: 'acme', priority: 2 });
    await gateway.handle({ tenant: 'globex', priority: 1 });
    await expect(gateway.handle({ tenant: 'acme', priority: -1 })).rejects.toThrow(RangeError);
    const base = { class: 'Gateway', method: 'handle', layer: 'edge', region: 'eu-west' };
    expect(await valueOf(registry, 'gateway_requests_total', { ...base, tenant: 'acme', priority: '2', result: 'success', exception: 'none' })).toBe(2);
    expect(await valueOf(registry, 'gateway_requests_total', { ...base, tenant: 'globex', priority: '1', result: 'success' })).toBe(1);
    expect(await valueOf(registry, 'gateway_requests_total', { ...base, tenant: 'acme', priority: '-1', result: 'failure', exception: 'RangeError' })).toBe(1);
  });

  it('creates no series before a call (the values are not known) but registers the family', async () => {
    const { registry } = bound();
    expect(await samplesOf(registry, 'gateway_route_seconds_count')).toEqual([]);
    expect(registry.getMetric('gateway_route_seconds')).toBeDefined();
  });

  it('works for timers and in-progress gauges, one series per label value', async () => {
    const { registry, gateway } = bound();
    expect(gateway.route('/a')).toBe('/A');
    gateway.route('/b');
    gateway.route('/a');
    expect(await valueOf(registry, 'gateway_route_seconds_count', { route: '/a', exception: 'none' })).toBe(2);
    expect(await valueOf(registry, 'gateway_route_seconds_count', { route: '/b', exception: 'none' })).toBe(1);
    const a = gateway.hold('acme', 20);
    const b = gateway.hold('acme', 20);
    const c = gateway.hold('globex', 20);
    expect(await valueOf(registry, 'gateway_in_flight', { tenant: 'acme' })).toBe(2);
    expect(await valueOf(registry, 'gateway_in_flight', { tenant: 'globex' })).toBe(1);
    await Promise.all([a, b, c]);
    expect(await valueOf(registry, 'gateway_in_flight', { tenant: 'acme' })).toBe(0);
  });
});
