/**
 * A metrics server in a process of its own, for the HTTP workloads: `node server-child.js
 * <promkit|promkit_unshared|prom_client|promkit_collector|prom_client_collector> <series>` builds the
 * benchmark registry (see registries.ts; `_collector`: see {@link inventory}), serves
 * it on 127.0.0.1 (an ephemeral port, sent to the parent), and measures its own event-loop
 * delay between the parent's `start` and `stop` messages.
 *
 * Why a child: the event-loop delay must be the server's alone. A client in the same
 * process would add its own work (receiving and parsing tens of MB) to the loop under
 * test, and two registries of 100k series in one heap would slow each other's GC.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import { Registry, startHttpServer, type MetricFamily } from '../src/index.js';
import { answerDelayCommands, type DelayCommand, type DelayReport } from './loop-delay-child.js';
import { countsForSeries, promClientRegistry, promkitRegistry } from './registries.js';

/** Messages from the parent. */
export type ServerCommand = DelayCommand;

/** Messages to the parent. */
export type ServerReport =
  | { readonly type: 'ready'; readonly url: string }
  | DelayReport;

const [library, seriesArg] = process.argv.slice(2);
const series = Number(seriesArg);

/**
 * A custom exporter's target: `series` shelves whose item counts change between scrapes.
 * Each library reads it at scrape time its own way: promkit with a collector that hands
 * plain families (checked by the registry like any collector's), prom-client with a
 * gauge's `collect()` callback that sets every series.
 */
function inventory(): { readonly shelves: readonly string[]; readonly zones: readonly string[]; readonly items: number[] } {
  const shelves = Array.from({ length: series }, (_, i) => `shelf-${i}`);
  return { shelves, zones: shelves.map((_, i) => `zone-${i % 10}`), items: shelves.map((_, i) => i % 97) };
}

function collectorRegistry(): Registry {
  const target = inventory();
  const registry = new Registry();
  registry.register({
    collectorName: 'inventory',
    describe: () => [{ name: 'inventory_items', type: 'gauge' }],
    collect(): MetricFamily[] {
      const samples = target.shelves.map((shelf, i) => ({ name: 'inventory_items', labels: { shelf, zone: target.zones[i] }, value: target.items[i]++ }));
      return [{ name: 'inventory_items', type: 'gauge', help: 'Items on a shelf.', unit: '', samples }];
    },
  });
  return registry;
}

function promClientCollectorRegistry(): client.Registry {
  const target = inventory();
  const registry = new client.Registry();
  new client.Gauge({
    name: 'inventory_items',
    help: 'Items on a shelf.',
    labelNames: ['shelf', 'zone'],
    registers: [registry],
    collect() {
      for (let i = 0; i < target.shelves.length; i++) this.set({ shelf: target.shelves[i], zone: target.zones[i] }, target.items[i]++);
    },
  });
  return registry;
}

async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  if (library === 'promkit_collector') {
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', registry: collectorRegistry() });
    return { url: server.url, close: () => server.close() };
  }
  if (library === 'promkit' || library === 'promkit_unshared') {
    // Room for the concurrent-scrapers workload: the default would answer some of its 50 with 503.
    const server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      registry: promkitRegistry(countsForSeries(series)),
      maxScrapesInFlight: 0,
      shareScrapes: library === 'promkit',
    });
    return { url: server.url, close: () => server.close() };
  }
  // prom-client has no server of its own: the usual `node:http` handler of its README.
  const registry = library === 'prom_client_collector' ? promClientCollectorRegistry() : promClientRegistry(countsForSeries(series));
  const server: Server = createServer((req, res) => {
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const server = await serve();
answerDelayCommands(() => server.close());
process.send?.({ type: 'ready', url: server.url } satisfies ServerReport);
