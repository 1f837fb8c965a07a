import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real server process started by a test; `stop()` ends it by PID and removes its dir. */
export interface Daemon {
  readonly pid: number;
  /** A private temporary directory, removed by `stop()`. */
  readonly dir: string;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Daemon>();
process.on('exit', () => {
  for (const d of running) {
    try {
      process.kill(d.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(d.dir, { recursive: true, force: true });
  }
});

export interface DaemonOptions {
  /** The executable. */
  readonly command: string;
  /** Its arguments; `{dir}` is replaced by the daemon's temporary directory. */
  readonly args: readonly string[];
  /** A URL that answers 2xx once the daemon is ready. */
  readonly readyUrl: string;
  /** How long to wait for readiness, in milliseconds (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/** Starts a daemon and resolves once `readyUrl` answers 2xx; rejects (and kills it) otherwise. */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-test-'));
  const args = options.args.map((a) => a.replaceAll('{dir}', dir));
  const child: ChildProcess = spawn(options.command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const daemon: Daemon = {
    pid: child.pid ?? -1,
    dir,
    output: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(daemon);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(daemon);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await daemon.stop();
      throw new Error(`${options.command} exited before it was ready:\n${log}`);
    }
    try {
      const res = await fetch(options.readyUrl);
      if (res.ok) return daemon;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${options.command} was not ready at ${options.readyUrl} in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
