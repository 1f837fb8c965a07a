import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a parent tells a measuring child: measure from now, report, or close and exit. */
export type DelayCommand = 'start' | 'stop' | 'exit';

/** A measuring child's answers to `start` and `stop`. */
export type DelayReport =
  | { readonly type: 'started' }
  | { readonly type: 'delay'; readonly maxMs: number; readonly p99Ms: number; readonly meanMs: number };

/**
 * Makes this child process answer its parent's {@link DelayCommand}s about its own event
 * loop: `start` resets and enables a delay monitor and then says `started` (the parent
 * scrapes only after that: a request handled before the monitor ran would block
 * unmeasured), `stop` reports the delays since, `exit` (or the parent going away) runs
 * `close` and exits.
 */
export function answerDelayCommands(close: () => Promise<void>): void {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const send = (report: DelayReport): void => void process.send?.(report);
  process.on('message', (command: DelayCommand) => {
    if (command === 'start') {
      delay.reset();
      delay.enable();
      send({ type: 'started' });
    } else if (command === 'stop') {
      delay.disable();
      send({ type: 'delay', maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 });
    } else {
      void close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}
