import autocannon from 'autocannon';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServerChild } from './child-process.js';
import { median, type Budget, type Library } from './harness.js';
import type { Results } from './results.js';
import { expectWork } from './work-check.js';

/** GETs `url` and reads the whole body; resolves with its size in bytes. */
function scrapeOnce(url: string): Promise<number> {
  return scrapeCounting(url, undefined).then((scraped) => scraped.bytes);
}

/** GETs `url`, reading the whole body; resolves with its size and how many lines start with `prefix` (when given). */
function scrapeCounting(url: string, prefix: string | undefined): Promise<{ bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      let bytes = 0;
      let lines = 0;
      let tail = '';
      if (prefix !== undefined) res.setEncoding('latin1');
      res.on('data', (chunk: Buffer | string) => {
        bytes += chunk.length;
        if (prefix === undefined) return;
        // Lines counted whole: the unfinished last line of a chunk waits for the next one.
        const text = tail + (chunk as string);
        const end = text.lastIndexOf('\n') + 1;
        for (let at = 0; at < end; at = text.indexOf('\n', at) + 1) if (text.startsWith(prefix, at)) lines++;
        tail = text.slice(end);
      });
      res.on('end', () => (res.statusCode === 200 ? resolve({ bytes, lines }) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const LIBRARIES: readonly Library[] = ['promkit', 'prom_client'];

/**
 * The longest event-loop stall of a server while a 100k-series registry is scraped over
 * HTTP in a loop: the server runs in a child process that measures its own loop with
 * `monitorEventLoopDelay({ resolution: 1 })`; this process is the scraper. Per round and
 * library: one warm-up scrape, then `scrapes` back-to-back scrapes under measurement; the
 * row is the median over rounds of each round's maximum.
 */
export async function benchEventLoopBlock(budget: Budget, results: Results): Promise<void> {
  console.log('\nevent-loop block during scrapes (100k series, server in a child process)');
  const series = 100_000;
  const rounds = budget.quick ? 1 : 2;
  const scrapes = budget.quick ? 2 : 3;
  const maxima: Record<Library, number[]> = { promkit: [], prom_client: [] };
  for (let round = 0; round < rounds; round++) {
    for (const library of round % 2 === 0 ? LIBRARIES : [...LIBRARIES].reverse()) {
      const server = await startServerChild(library, series);
      try {
        const bytes = await scrapeOnce(server.url);
        await server.startMeasuring();
        const started = performance.now();
        for (let i = 0; i < scrapes; i++) await scrapeOnce(server.url);
        const seconds = (performance.now() - started) / 1000;
        server.command('stop');
        const report = await server.nextReport();
        if (report.type !== 'delay') throw new Error('unexpected report');
        maxima[library].push(report.maxMs);
        console.log(`  ${library}: ${(bytes / 1e6).toFixed(1)} MB per scrape, ${(seconds / scrapes).toFixed(2)} s per scrape, event-loop delay max ${report.maxMs.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms`);
      } finally {
        await server.stop();
      }
    }
  }
  results.lower('longest event-loop block while scraping 100k series over HTTP', 'ms', { promkit: median(maxima.promkit), prom_client: median(maxima.prom_client) }, 4);
  await benchCollectorBlock(budget, results);
}

/**
 * The same for a custom exporter: a target of 100k series read at every scrape (promkit: a
 * collector handing plain families, which the registry checks; prom-client: a gauge's
 * `collect()` callback setting every series). Each scrape must carry every series.
 */
async function benchCollectorBlock(budget: Budget, results: Results): Promise<void> {
  const row = "longest event-loop block while scraping a custom collector's 100k series over HTTP";
  console.log('\nevent-loop block during scrapes of a custom collector (100k series read at scrape time, server in a child process)');
  const series = 100_000;
  const rounds = budget.quick ? 1 : 2;
  const maxima: Record<Library, number[]> = { promkit: [], prom_client: [] };
  for (let round = 0; round < rounds; round++) {
    for (const library of round % 2 === 0 ? LIBRARIES : [...LIBRARIES].reverse()) {
      const server = await startServerChild(`${library}_collector`, series);
      try {
        await scrapeOnce(server.url);
        await server.startMeasuring();
        const started = performance.now();
        const scraped = await scrapeCounting(server.url, 'inventory_items{');
        const seconds = (performance.now() - started) / 1000;
        server.command('stop');
        const report = await server.nextReport();
        if (report.type !== 'delay') throw new Error('unexpected report');
        expectWork(row, `${library} series in the scrape`, scraped.lines, series);
        maxima[library].push(report.maxMs);
        console.log(`  ${library}: ${(scraped.bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s per scrape, event-loop delay max ${report.maxMs.toFixed(1)} ms`);
      } finally {
        await server.stop();
      }
    }
  }
  results.lower(row, 'ms', { promkit: median(maxima.promkit), prom_client: median(maxima.prom_client) }, 4);
}

/**
 * Scrapes per second of a 10k-series endpoint: autocannon (in this process) against
 * promkit's `startHttpServer` and against prom-client behind a `node:http` handler, each
 * server in a child process of its own (so load generator and server get a core each).
 */
export async function benchHttpThroughput(budget: Budget, results: Results): Promise<void> {
  console.log('\nHTTP scrapes per second (10k series, autocannon, 4 connections)');
  const series = 10_000;
  const rounds = budget.quick ? 1 : 2;
  const duration = budget.quick ? 3 : 5;
  const rates: Record<Library, number[]> = { promkit: [], prom_client: [] };
  let bodyBytes = 0;
  for (let round = 0; round < rounds; round++) {
    for (const library of round % 2 === 0 ? LIBRARIES : [...LIBRARIES].reverse()) {
      const server = await startServerChild(library, series);
      try {
        const bytes = await scrapeOnce(server.url); // warm-up
        if (library === 'promkit') bodyBytes = bytes;
        const result = await autocannon({ url: server.url, connections: 4, duration });
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${library}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
        rates[library].push(result.requests.average);
        console.log(`  ${library}: ${result.requests.average.toFixed(1)} scrapes/s, latency p50 ${result.latency.p50} ms`);
      } finally {
        await server.stop();
      }
    }
  }
  results.higher('HTTP scrapes/s of a 10k-series endpoint (autocannon)', { promkit: median(rates.promkit), prom_client: median(rates.prom_client) }, 1);
  console.log(`  load generator's own ceiling for a body this size: ${(await staticCeiling(bodyBytes, duration)).toFixed(1)} responses/s (autocannon parses bodies in JavaScript)`);
}

/** Responses per second autocannon manages against a server answering a constant body of `bytes` bytes. */
async function staticCeiling(bytes: number, duration: number): Promise<number> {
  const body = Buffer.alloc(bytes, 'x');
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 4, duration });
    return result.requests.average;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * 50 scrapers at once against a 10k-series endpoint (autocannon, 50 connections):
 * scrapes/s and p99 latency of promkit with shared scrapes, promkit with every request
 * collecting for itself, and prom-client behind `node:http`, each server in its own child.
 */
export async function benchConcurrentScrapers(budget: Budget, results: Results): Promise<void> {
  console.log('\n50 concurrent scrapers (10k series, autocannon, 50 connections)');
  const series = 10_000;
  const duration = budget.quick ? 3 : 5;
  const measured: Record<string, { rate: number; p99: number }> = {};
  for (const library of ['promkit', 'promkit_unshared', 'prom_client']) {
    const server = await startServerChild(library, series);
    try {
      await scrapeOnce(server.url); // warm-up
      const result = await autocannon({ url: server.url, connections: 50, duration });
      if (result.errors > 0 || result.non2xx > 0) throw new Error(`${library}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
      measured[library] = { rate: result.requests.average, p99: result.latency.p99 };
      console.log(`  ${library}: ${result.requests.average.toFixed(1)} scrapes/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
    } finally {
      await server.stop();
    }
  }
  console.log(`  sharing: ${(measured.promkit.rate / measured.promkit_unshared.rate).toFixed(2)}x the scrapes/s of promkit without it`);
  results.higher('HTTP scrapes/s, 50 concurrent scrapers, 10k series', { promkit: measured.promkit.rate, prom_client: measured.prom_client.rate });
  results.lower('p99 latency, 50 concurrent scrapers, 10k series', 'ms', { promkit: measured.promkit.p99, prom_client: measured.prom_client.p99 });
}
