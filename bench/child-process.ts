import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { ServerCommand, ServerReport } from './server-child.js';

/** A running server-child.js. */
export interface ServerChild {
  readonly url: string;
  /** Sends a command (`stop` is answered by a delay report, see {@link nextReport}). */
  command(command: ServerCommand): void;
  /** Starts measuring the child's event loop; resolves once it measures. */
  startMeasuring(): Promise<void>;
  nextReport(): Promise<ServerReport>;
  stop(): Promise<void>;
}

/** Forks `server-child.js` for `library` with a registry of `series` series and waits until it listens. */
export async function startServerChild(library: string, series: number): Promise<ServerChild> {
  const child: ChildProcess = fork(new URL('./server-child.js', import.meta.url), [library, String(series)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: ServerReport[] = [];
  const waiting: ((r: ServerReport) => void)[] = [];
  child.on('message', (report: ServerReport) => {
    const waiter = waiting.shift();
    if (waiter !== undefined) waiter(report);
    else reports.push(report);
  });
  const nextReport = (): Promise<ServerReport> =>
    new Promise((resolve, reject) => {
      const queued = reports.shift();
      if (queued !== undefined) resolve(queued);
      else {
        waiting.push(resolve);
        child.once('exit', (code) => reject(new Error(`server child exited (${code})`)));
      }
    });
  const ready = await nextReport();
  if (ready.type !== 'ready') throw new Error('server child did not start');
  return {
    url: ready.url,
    command: (command) => void child.send(command),
    async startMeasuring() {
      child.send('start');
      const started = await nextReport();
      if (started.type !== 'started') throw new Error(`server child answered start with ${started.type}`);
    },
    nextReport,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
