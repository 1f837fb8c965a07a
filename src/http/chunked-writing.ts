import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Writable } from 'node:stream';

/**
 * Writes `chunks` to `sink` one at a time, waiting for `drain` when the sink is full and
 * giving the event loop a turn between chunks, so that encoding a 100k-series registry
 * neither buffers the whole body in memory nor blocks other requests and timers. Stops
 * (rejecting with the abort reason) as soon as `signal` aborts, e.g. when the scraper
 * hung up.
 */
export async function writeChunks(chunks: Iterator<string>, sink: Writable, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const next = chunks.next();
    if (next.done === true) return;
    if (!sink.write(next.value)) await once(sink, 'drain', { signal });
    // Also after a drain: when the socket takes a write at once, `drain` comes on the
    // next tick, and a loop of write/drain would never let timers or other I/O run.
    await nextTurn(undefined, { signal });
  }
}
