import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AdapterVariant } from './adapter-server-child.js';
import { median, type Budget } from './harness.js';
import type { Results } from './results.js';

interface AdapterServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function startAdapterServer(variant: AdapterVariant): Promise<AdapterServer> {
  const child = fork(new URL('./adapter-server-child.js', import.meta.url), [variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [{ url: string } | undefined];
  if (message === undefined) throw new Error(`${variant}: the server exited before listening`);
  return {
    url: message.url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('exit');
      await exited;
    },
  };
}

/** Requests per second of one variant (autocannon in this process, the server in a child). */
async function rate(variant: AdapterVariant, duration: number): Promise<number> {
  const server = await startAdapterServer(variant);
  try {
    const target = `${server.url}/orders/4711`;
    await autocannon({ url: target, connections: 10, duration: 1 }); // warm-up: JIT, series bound
    const result = await autocannon({ url: target, connections: 10, duration });
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    return result.requests.average;
  } finally {
    await server.stop();
  }
}

/**
 * Per-request cost of request metrics on the same Express and Fastify application:
 * requests per second without metrics, with promkit's adapter and with the incumbent
 * (express-prom-bundle, fastify-metrics), in alternating order over the rounds. The
 * overhead of a variant is `1/rate - 1/bare-rate`, in microseconds per request.
 */
export async function benchHttpAdapters(budget: Budget, results: Results): Promise<void> {
  console.log('\nrequest metrics overhead per request (autocannon, 10 connections, GET /orders/:id)');
  const rounds = budget.quick ? 1 : 3;
  const duration = budget.quick ? 3 : 6;
  const frameworks: [string, AdapterVariant, AdapterVariant, AdapterVariant][] = [
    ['Express 5', 'express-bare', 'express-promkit', 'express-prom-bundle'],
    ['Fastify 5', 'fastify-bare', 'fastify-promkit', 'fastify-metrics'],
  ];
  for (const [framework, bare, ours, theirs] of frameworks) {
    const rates: Record<string, number[]> = { [bare]: [], [ours]: [], [theirs]: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [bare, ours, theirs] : [theirs, ours, bare];
      for (const variant of order) rates[variant].push(await rate(variant, duration));
    }
    const bareRate = median(rates[bare]);
    const overhead = (variant: AdapterVariant): number => 1e6 / median(rates[variant]) - 1e6 / bareRate;
    for (const variant of [bare, ours, theirs]) console.log(`  ${variant}: ${median(rates[variant]).toFixed(0)} requests/s`);
    // The incumbents are prom-client based: they go in the prom-client column.
    results.lower(`${framework} request metrics overhead per request vs ${theirs.replace(/^express-/, '')} (autocannon)`, 'µs', { promkit: overhead(ours), prom_client: overhead(theirs) });
  }
}
