import { spawn } from 'node:child_process';
import { BIN } from '../support/binaries.js';

/** What `promtool check metrics` said: exit 0 clean, 1 a parse error, 3 lint findings only. */
export interface PromtoolCheck {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `promtool check metrics` (client_golang's 0.0.4 parser and promlint) on `text`. */
export function promtoolCheckMetrics(text: string): Promise<PromtoolCheck> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN.promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}
