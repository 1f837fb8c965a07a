import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import type { Budget } from './harness.js';
import type { Results } from './results.js';
import type { ScaleReport } from './scale-child.js';
import { expectWork } from './work-check.js';

/** GETs `url`, reading the body; resolves with its size and the number of `_count` lines in it (one per histogram series). */
function scrape(url: string): Promise<{ bytes: number; histogramSeries: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      let bytes = 0;
      let histogramSeries = 0;
      let tail = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        const text = tail + chunk;
        for (let at = text.indexOf('\nhistogram_count{'); at !== -1; at = text.indexOf('\nhistogram_count{', at + 1)) histogramSeries++;
        tail = text.slice(-20);
        // A match across the seam is counted once: the tail is too short to hold a whole one again.
        if (tail.includes('\nhistogram_count{')) tail = tail.slice(tail.indexOf('\nhistogram_count{') + 1);
      });
      res.on('end', () => (res.statusCode === 200 ? resolve({ bytes, histogramSeries }) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * promkit alone from 1k to 1M series, each size in a fresh child process: recording every
 * series once, the heap kept per series, one whole scrape over HTTP (after a warm-up
 * scrape, except at 1M) with the server's longest event-loop block. The per-series
 * columns of the table show whether the growth is linear. The 1M line is the "1M series"
 * row: its longest block has a target of 50 ms.
 */
export async function benchScaling(budget: Budget, results: Results): Promise<void> {
  console.log('\nscaling (promkit alone, registry of half histogram / half counter series, fresh process per size)');
  for (const series of budget.quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000]) {
    const child = fork(new URL('./scale-child.js', import.meta.url), [String(series)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const reports: ScaleReport[] = [];
    const waiting: ((r: ScaleReport) => void)[] = [];
    child.on('message', (r: ScaleReport) => (waiting.length > 0 ? waiting.shift()!(r) : reports.push(r)));
    const exited = once(child, 'exit');
    const next = (): Promise<ScaleReport> =>
      reports.length > 0 ? Promise.resolve(reports.shift()!) : Promise.race([new Promise<ScaleReport>((resolve) => waiting.push(resolve)), exited.then(() => Promise.reject(new Error(`scale child (${series}) exited`)))]);
    try {
      const ready = await next();
      if (ready.type !== 'ready') throw new Error('scale child did not start');
      if (series < 1_000_000) await scrape(ready.url);
      child.send('start');
      if ((await next()).type !== 'started') throw new Error('scale child did not start measuring');
      const started = performance.now();
      const body = await scrape(ready.url);
      const scrapeMs = performance.now() - started;
      child.send('stop');
      const delay = await next();
      if (delay.type !== 'delay') throw new Error('unexpected report');
      expectWork(`scaling ${series}`, 'histogram series in the scrape', body.histogramSeries, ready.series / 2);
      results.addScale({ series: ready.series, record_ms: ready.recordMs, heap_bytes_per_series: ready.heapBytesPerSeries, scrape_ms: scrapeMs, bytes: body.bytes, max_block_ms: delay.maxMs });
    } finally {
      if (child.exitCode === null) {
        child.send('exit');
        await exited;
      }
    }
  }
}
