import type { WireFamily } from './worker-snapshot.js';

/**
 * The messages between a worker and its aggregator. Every one carries `promkit` (its kind),
 * so that they share the IPC channel or port with the program's own messages, which both
 * sides ignore.
 */
export type WorkerMessage =
  /** The worker reports into the aggregator from now on (sent on joining and on `welcome`). */
  | { readonly promkit: 'hello' }
  /** The answer to `collect` number `id`. */
  | { readonly promkit: 'snapshot'; readonly id: number; readonly families: WireFamily[] }
  /** The worker's last values: it records nothing more and is about to leave. */
  | { readonly promkit: 'final'; readonly families: WireFamily[] };

/** What the aggregator sends a worker. */
export type AggregatorMessage =
  /** An aggregator started listening: workers that joined before say `hello` again. */
  | { readonly promkit: 'welcome' }
  /** Asks for a snapshot, to be answered with the same `id`. */
  | { readonly promkit: 'collect'; readonly id: number }
  /** The final snapshot is folded in: the worker may exit. */
  | { readonly promkit: 'final-ack' };

/** Whether `message` is one of promkit's (the kind only: the rest is read defensively). */
export function isPromkitMessage(message: unknown): message is { readonly promkit: string } {
  return typeof message === 'object' && message !== null && typeof (message as { promkit?: unknown }).promkit === 'string';
}
