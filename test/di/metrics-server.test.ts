import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Container, injectable } from 'inversify';
import { Timed } from '../../src/decorators/index.js';
import { METRICS_SERVER, MetricsModule, MetricsPlugin } from '../../src/di/index.js';
import { Registry } from '../../src/registry/index.js';

@injectable()
class Greeter {
  @Timed({ name: 'greet_seconds' })
  greet(name: string): string {
    return `hello ${name}`;
  }
}

function setUp(path = '/metrics'): Container {
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ registry: new Registry(), endpoint: { host: '127.0.0.1', port: 0, path } }));
  container.bind(Greeter).toSelf();
  return container;
}

describe('MetricsServer', () => {
  it('serves the container registry over HTTP on the configured host and path', async () => {
    const container = setUp('/internal/metrics');
    const server = container.get(METRICS_SERVER);
    container.get(Greeter).greet('ada');
    const url = await server.start();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/internal\/metrics$/);
      expect(server.url).toBe(url);
      expect(server.port).toBeGreaterThan(0);
      const response = await fetch(url, { headers: { Accept: 'text/plain' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const body = await response.text();
      expect(body).toContain('greet_seconds_count{class="Greeter",method="greet",exception="none"} 1.0');
    } finally {
      await server.stop();
    }
  });

  it('starts once, stops cleanly, and can be stopped when not running', async () => {
    const server = setUp().get(METRICS_SERVER);
    await server.stop();
    const [a, b] = await Promise.all([server.start(), server.start()]);
    expect(a).toBe(b);
    await server.stop();
    expect(server.url).toBeUndefined();
    await expect(fetch(a)).rejects.toThrow();
  });

  it('is stopped when the container unbinds it, with the sync and the async API', async () => {
    for (const unbind of [(c: Container) => c.unbindAll(), (c: Container) => c.unbindAllAsync()]) {
      const container = setUp();
      const url = await container.get(METRICS_SERVER).start();
      expect((await fetch(url)).status).toBe(200);
      await unbind(container);
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});
