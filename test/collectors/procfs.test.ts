import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseMaxOpenFiles, parseProcStat, parseProcStatusMemory, readProcessStartTime, USER_HZ } from '../../src/collectors/procfs.js';

const linux = process.platform === 'linux' ? describe : describe.skip;

describe('procfs parsers', () => {
  it('count stat fields from the last ")" so a command name with spaces and parens is harmless', () => {
    // Fields 3.. of a real line; the comm "(a) b) c" would break a naive split.
    const rest = 'S 1 2 3 4 5 6 7 8 9 10 111 222 13 14 15 16 17 18 987654 4096000 300 rest';
    expect(parseProcStat(`42 ((a) b) c) ${rest}`)).toEqual({ utimeTicks: 111, stimeTicks: 222, startTicks: 987654, vsizeBytes: 4096000 });
  });

  it('read Vm* lines in KiB and the soft "Max open files" limit', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999 kB\nVmSize:\t  2048 kB\nVmData:\t 10 kB\nVmRSS:\t   512 kB\n';
    expect(parseProcStatusMemory(status)).toEqual({ residentBytes: 512 * 1024, virtualBytes: 2048 * 1024, dataBytes: 10 * 1024 });
    expect(parseProcStatusMemory('Name:\tx\n')).toEqual({ residentBytes: undefined, virtualBytes: undefined, dataBytes: undefined });
    const limits = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \n';
    expect(parseMaxOpenFiles(limits)).toBe(1024);
    expect(parseMaxOpenFiles(limits.replace('1024 ', 'unlimited'))).toBe(Infinity);
  });
});

linux('readProcessStartTime', () => {
  it('places a child process start between the moments just before and just after it was spawned', async () => {
    const before = Date.now() / 1000;
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const after = Date.now() / 1000;
    try {
      const start = await readProcessStartTime(child.pid as number);
      // Both kernel inputs have 10 ms (USER_HZ) resolution and the result is rounded to 10 ms:
      // 25 ms of slack on each side.
      expect(start).toBeGreaterThanOrEqual(before - 0.025);
      expect(start).toBeLessThanOrEqual(after + 0.025);
    } finally {
      child.kill();
    }
  });

  it('agrees with the classic btime + starttime, which can only be up to one second early', async () => {
    const start = await readProcessStartTime('self');
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const classic = btime + parseProcStat(stat).startTicks / USER_HZ;
    expect(start - classic).toBeGreaterThanOrEqual(-0.025);
    expect(start - classic).toBeLessThanOrEqual(1.025);
  });
});
