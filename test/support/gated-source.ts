import type { MetricFamily } from '../../src/model/index.js';

/** A scrape source whose collections wait until `release()`; `started` counts those begun. */
export interface GatedSource {
  collect(): Promise<{ families: readonly MetricFamily[] }>;
  release(): void;
  readonly started: number;
}

/** A {@link GatedSource} answering `families()` once released. */
export function gatedSource(families: () => readonly MetricFamily[]): GatedSource {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started = 0;
  return {
    get started() {
      return started;
    },
    release: () => open(),
    async collect() {
      started++;
      await gate;
      return { families: families() };
    },
  };
}
