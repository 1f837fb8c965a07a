import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Writable } from 'node:stream';

/**
 * Writes `chunks` to `sink` one at a time, waiting for `drain` when the sink is full and
 * giving the event loop a turn between chunks, so that encoding a 100k-series registry
 * neither buffers the whole body in memory nor blocks other requests and timers. Stops
 * (rejecting with the abort reason) as soon as `signal` aborts, e.g. when the scraper
 * hung up.
 *
 * With `writeTimeout` (milliseconds, `0` for none), a sink that takes no more bytes for
 * that long is a reader that stopped: the promise rejects with a {@link WriteStalledError}
 * instead of holding the rest of the body forever.
 */
export async function writeChunks(chunks: Iterator<string | Uint8Array>, sink: Writable, signal: AbortSignal, writeTimeout = 0): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const next = chunks.next();
    if (next.done === true) return;
    if (!sink.write(next.value)) await drained(sink, signal, writeTimeout);
    // Also after a drain: when the socket takes a write at once, `drain` comes on the
    // next tick, and a loop of write/drain would never let timers or other I/O run.
    await nextTurn(undefined, { signal });
  }
}

/** The reader stopped taking bytes for longer than the write timeout. */
export class WriteStalledError extends Error {
  constructor(readonly writeTimeout: number) {
    super(`the scraper took no bytes for ${writeTimeout} ms`);
    this.name = 'WriteStalledError';
  }
}

/** Resolves on the sink's next `drain`; rejects when `signal` aborts or `writeTimeout` passes first. */
export async function drained(sink: Writable, signal: AbortSignal, writeTimeout: number): Promise<void> {
  if (writeTimeout <= 0) {
    await once(sink, 'drain', { signal });
    return;
  }
  const deadline = AbortSignal.timeout(writeTimeout);
  try {
    await once(sink, 'drain', { signal: AbortSignal.any([signal, deadline]) });
  } catch (error) {
    if (deadline.aborted && !signal.aborted) throw new WriteStalledError(writeTimeout);
    throw error;
  }
}
