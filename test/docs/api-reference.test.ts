import { expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, REPO_ROOT } from '../support/packed-package.js';

const run = promisify(execFile);

/**
 * `npm run docs` must keep working: TypeDoc converts both entry points with the project's
 * typedoc.json (an export without a TSDoc comment, a broken `{@link}`, or an internal type
 * in a public signature is a warning there, and warnings fail the run). Validation only:
 * nothing is written.
 */
it('TypeDoc documents every export of both entry points without a warning', async () => {
  const typedoc = join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc');
  const result = await run(process.execPath, [typedoc, '--emit', 'none', '--logLevel', 'Warn'], { cwd: REPO_ROOT, env: childEnv() }).then(
    ({ stdout }) => ({ ok: true, output: stdout }),
    (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
  // On a failure: document the export, or (for a known gap that moved) update the lists in typedoc.json.
  expect(result.output.replace(/\x1b\[[0-9;]*m/g, '')).toBe('');
  expect(result.ok).toBe(true);
}, 120_000);
