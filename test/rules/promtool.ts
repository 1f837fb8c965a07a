import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../support/binaries.js';
import { dashboardExpressions, RATE_INTERVAL, type GrafanaDashboard } from '../../src/rules/index.js';

/** What promtool said. */
export interface PromtoolRun {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs `promtool <args>` in a temporary directory holding `files` (name → content); `{dir}`
 * in an argument is that directory. The directory is removed afterwards.
 */
export async function promtool(args: readonly string[], files: Readonly<Record<string, string>>): Promise<PromtoolRun> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-rules-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return await new Promise<PromtoolRun>((resolve) => {
      execFile(BIN.promtool, args.map((a) => a.replaceAll('{dir}', dir)), { cwd: dir, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The dashboard's expressions as the expressions of a throw-away rules file (Grafana's rate window set to 5m). */
export function expressionsAsRules(dashboard: GrafanaDashboard): string {
  const rules = dashboardExpressions(dashboard).map((expr, i) => ({ record: `dashboard:expr_${i}`, expr: expr.replaceAll(RATE_INTERVAL, '5m') }));
  // YAML is a superset of JSON.
  return JSON.stringify({ groups: [{ name: 'dashboard', rules }] });
}
