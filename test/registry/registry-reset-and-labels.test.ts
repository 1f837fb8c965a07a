import { describe, expect, it } from '@jest/globals';
import { gaugeFamily, InvalidOptionsError, ReservedLabelNameError, InvalidLabelNameError } from '../../src/model/index.js';
import { Registry, type Collector } from '../../src/registry/index.js';
import { Counter, Gauge, Histogram } from '../../src/metrics/index.js';
import { encodeText } from '../../src/exposition/index.js';

async function text(registry: Registry): Promise<string> {
  return encodeText((await registry.collect()).families);
}

describe('Registry.setDefaultLabels', () => {
  it('adds, replaces and removes the labels of every series from the next collection on', async () => {
    const registry = new Registry({ created: false });
    const jobs = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['queue'], registry });
    jobs.inc({ queue: 'mail' });
    new Gauge({ name: 'depth', help: 'Depth.', registry }).set(3);
    const source: Collector = { collect: () => [gaugeFamily({ name: 'external', help: 'From a target.' }).add(7)] };
    registry.register(source);

    registry.setDefaultLabels({ service: 'orders' });
    const withService = await text(registry);
    expect(withService).toContain('jobs_total{service="orders",queue="mail"} 1.0');
    expect(withService).toContain('depth{service="orders"} 3.0');
    expect(withService).toContain('external{service="orders"} 7.0');

    registry.setDefaultLabels({ region: 'eu' });
    const withRegion = await text(registry);
    expect(withRegion).toContain('depth{region="eu"} 3.0');
    expect(withRegion).not.toContain('service=');

    registry.setDefaultLabels({});
    expect(await text(registry)).toContain('\ndepth 3.0\n');
  });

  it('lets a series keep its own label of the same name', async () => {
    const registry = new Registry({ created: false });
    new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['service'], registry }).inc({ service: 'mailer' });
    registry.setDefaultLabels({ service: 'orders' });
    expect(await text(registry)).toContain('jobs_total{service="mailer"} 1.0');
  });

  it('refuses what the constructor refuses, and keeps the labels it had', async () => {
    const registry = new Registry({ created: false, defaultLabels: { service: 'orders' } });
    new Gauge({ name: 'depth', help: 'Depth.', registry }).set(1);
    expect(() => registry.setDefaultLabels({ le: '1' })).toThrow(ReservedLabelNameError);
    expect(() => registry.setDefaultLabels({ 'bad-name': 'x' })).toThrow(InvalidLabelNameError);
    expect(() => registry.setDefaultLabels({ service: 1 as unknown as string })).toThrow(InvalidOptionsError);
    expect(await text(registry)).toContain('depth{service="orders"} 1.0');
  });
});

describe('Registry.resetMetrics', () => {
  it('drops labelled series, zeroes unlabelled ones and leaves custom collectors alone', async () => {
    const registry = new Registry({ created: false });
    const jobs = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['queue'], registry });
    jobs.inc({ queue: 'mail' }, 4);
    const total = new Counter({ name: 'runs', help: 'Runs.', registry });
    total.inc(9);
    const latency = new Histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [1], registry });
    latency.observe(0.5);
    let reads = 0;
    registry.register({ collect: () => [gaugeFamily({ name: 'external', help: 'From a target.' }).add(++reads)] });

    registry.resetMetrics();
    const after = await text(registry);
    expect(after).not.toContain('jobs_total{');
    expect(after).toContain('runs_total 0.0');
    expect(after).toContain('latency_seconds_count 0.0');
    expect(after).toContain('external 1.0');
    // Recording goes on into the same instruments.
    jobs.inc({ queue: 'mail' });
    total.inc();
    const again = await text(registry);
    expect(again).toContain('jobs_total{queue="mail"} 1.0');
    expect(again).toContain('runs_total 1.0');
  });
});
