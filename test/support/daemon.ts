import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** A real server process started by a test; `stop()` ends it by PID and removes its dir. */
export interface Daemon {
  readonly pid: number;
  /** The loopback port it listens on (what `{port}` was replaced by). */
  readonly port: number;
  /** A private temporary directory, removed by `stop()`. */
  readonly dir: string;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Daemon>();

/**
 * Stops every daemon this test file started and has not stopped, including one whose
 * start a hook timeout gave up on (its readiness poll would otherwise keep the jest worker
 * alive, and the process outlive the run). Run after each test file by the jest setup.
 */
export async function stopAllDaemons(): Promise<void> {
  await Promise.all([...running].map((d) => d.stop()));
}

// Only reached when the worker exits on its own; a worker killed by a signal never gets here.
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
  /** Its arguments; `{dir}` is replaced by the daemon's temporary directory, `{port}` by its port. */
  readonly args: readonly string[];
  /** A URL that answers 2xx once the daemon is ready; `{port}` is replaced by its port. */
  readonly readyUrl: string;
  /** How long to wait for readiness, in milliseconds (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/** The daemon could not bind its port: another process took it after `freePort()` let it go. */
class PortTakenError extends Error {}

const BIND_ATTEMPTS = 5;

/**
 * Starts a daemon on a free loopback port and resolves once `readyUrl` answers 2xx from it;
 * rejects (and kills it) otherwise.
 *
 * `freePort()` has to release the port before the daemon can bind it, and on a shared
 * machine another process may take it in between. So readiness counts only when the
 * listening socket belongs to this daemon's PID, and a daemon that exits because the
 * address is in use is started again on a new port.
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOnce(options, port);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(options: DaemonOptions, port: number): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-test-'));
  const fill = (a: string): string => a.replaceAll('{dir}', dir).replaceAll('{port}', String(port));
  const args = options.args.map(fill);
  const readyUrl = fill(options.readyUrl);
  const child: ChildProcess = spawn(options.command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const daemon: Daemon = {
    pid: child.pid ?? -1,
    port,
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
    if (stopped) throw new Error(`${options.command} was stopped before it was ready`);
    if (child.exitCode !== null || child.signalCode !== null) {
      await daemon.stop();
      const message = `${options.command} exited before it was ready:\n${log}`;
      throw /address already in use/i.test(log) ? new PortTakenError(message) : new Error(message);
    }
    try {
      const res = await fetch(readyUrl);
      // Another process that took the port could answer too; only our daemon's socket counts.
      if (res.ok && listensOn(daemon.pid, port) !== false) return daemon;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${options.command} was not ready at ${readyUrl} in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Whether process `pid` holds the socket listening on 127.0.0.1:`port` (Linux: the LISTEN
 * entry's inode in /proc/net/tcp among the process's fds); undefined without /proc.
 */
function listensOn(pid: number, port: number): boolean | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'latin1');
  } catch {
    return undefined;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // fields: sl, local_address, rem_address, st (0A = LISTEN), ..., inode (10th)
    if (fields[1] === local && fields[3] === '0A') inodes.add(fields[9]);
  }
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
    } catch {
      return false;
    }
  });
}
