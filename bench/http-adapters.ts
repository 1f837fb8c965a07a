import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AdapterVariant } from './adapter-server-child.js';
import { median, type Budget } from './harness.js';
import type { Results } from './results.js';

interface AdapterServer {
  readonly url: string;
  /** The server process's CPU time so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function startAdapterServer(variant: AdapterVariant): Promise<AdapterServer> {
  const child = fork(new URL('./adapter-server-child.js', import.meta.url), [variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [{ url: string } | undefined];
  if (message === undefined) throw new Error(`${variant}: the server exited before listening`);
  return {
    url: message.url,
    async cpuMicros() {
      const answer = once(child, 'message') as Promise<[{ micros: number }]>;
      child.send('cpu');
      return (await answer)[0].micros;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('exit');
      await exited;
    },
  };
}

interface Run {
  /** Requests per second. */
  readonly rate: number;
  /** Server CPU time per request, microseconds. */
  readonly cpuMicros: number;
}

/** One variant under autocannon (in this process; the server in a child). */
async function measure(variant: AdapterVariant, duration: number): Promise<Run> {
  const server = await startAdapterServer(variant);
  try {
    const target = `${server.url}/orders/4711`;
    await autocannon({ url: target, connections: 10, duration: 1 }); // warm-up: JIT, series bound
    const before = await server.cpuMicros();
    const result = await autocannon({ url: target, connections: 10, duration });
    const after = await server.cpuMicros();
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    return { rate: result.requests.average, cpuMicros: (after - before) / result.requests.total };
  } finally {
    await server.stop();
  }
}

/**
 * Per-request cost of request metrics on the same Express and Fastify application:
 * without metrics, with promkit's adapter and with the incumbent (express-prom-bundle,
 * fastify-metrics), in alternating order over the rounds. The overhead of a variant is its
 * server CPU time per request minus the bare application's in the same round (the median of
 * those differences: a machine that drifts between rounds moves both alike).
 */
export async function benchHttpAdapters(budget: Budget, results: Results): Promise<void> {
  console.log('\nrequest metrics overhead per request (autocannon, 10 connections, GET /orders/:id)');
  const rounds = budget.quick ? 1 : 3;
  const duration = budget.quick ? 3 : 4;
  const frameworks: [string, AdapterVariant, AdapterVariant, AdapterVariant][] = [
    ['Express 5', 'express-bare', 'express-promkit', 'express-prom-bundle'],
    ['Fastify 5', 'fastify-bare', 'fastify-promkit', 'fastify-metrics'],
  ];
  for (const [framework, bare, ours, theirs] of frameworks) {
    const runs: Record<string, Run[]> = { [bare]: [], [ours]: [], [theirs]: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [bare, ours, theirs] : [theirs, ours, bare];
      for (const variant of order) runs[variant].push(await measure(variant, duration));
    }
    const cpu = (variant: AdapterVariant): number => median(runs[variant].map((r) => r.cpuMicros));
    const overhead = (variant: AdapterVariant): number => median(runs[variant].map((r, round) => r.cpuMicros - runs[bare][round].cpuMicros));
    for (const variant of [bare, ours, theirs]) {
      console.log(`  ${variant}: ${median(runs[variant].map((r) => r.rate)).toFixed(0)} requests/s, ${cpu(variant).toFixed(1)} µs server CPU per request`);
    }
    // The incumbents are prom-client based: they go in the prom-client column.
    results.lower(`${framework} request metrics overhead per request vs ${theirs.replace(/^express-/, '')} (server CPU, autocannon)`, 'µs', { promkit: overhead(ours), prom_client: overhead(theirs) });
  }
}
