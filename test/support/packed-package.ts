import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (this file is test/support/packed-package.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm pack --json`'s account of one tarball. */
export interface PackReport {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string }[];
}

/** A tarball packed from a clean copy of the repository. */
export interface PackedPackage {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  readonly report: PackReport;
  /** A temporary directory for the caller's projects; its `node_modules` is the repo's. */
  readonly workDir: string;
  /** Removes every temporary directory. */
  remove(): void;
}

/**
 * Packs the package the way a clean clone would: the files git knows (tracked, plus new
 * ones not ignored; never `dist/` or `build/`) are copied to a temporary checkout, whose
 * `node_modules` links to the repo's, and `npm pack` runs there — so `prepack` has to
 * build the library from nothing, and the repo's own `dist/` is never touched (two test
 * files may pack at once).
 *
 * `workDir` is where consumer projects go: its `node_modules` is a link to the repo's, so a
 * project below it finds `inversify`, `reflect-metadata`, `typescript` and `@types/node`
 * by Node's and TypeScript's upward lookup, without a registry.
 */
export async function packCleanCheckout(): Promise<PackedPackage> {
  const root = mkdtempSync(join(tmpdir(), 'promkit-pack-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    const checkout = join(root, 'checkout');
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    for (const file of stdout.split('\0')) {
      if (file === '' || !existsSync(join(REPO_ROOT, file))) continue; // deleted but not yet committed
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(checkout, file));
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const out = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: checkout, env: childEnv(), maxBuffer: 16 * 1024 * 1024 });
    const [report] = JSON.parse(out.stdout.slice(out.stdout.indexOf('['))) as PackReport[];
    if (report === undefined) throw new Error(`npm pack printed no report: ${out.stdout}`);
    const workDir = join(root, 'work');
    mkdirSync(workDir);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
    return { tarball: join(root, report.filename), report, workDir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The environment for a child npm, tsc or node: without the `npm_*` variables of the
 * `npm test` that started jest (they would make an inner npm act on this repository's
 * configuration) nor jest's `NODE_OPTIONS` (`--experimental-vm-modules`), and offline, so
 * nothing is fetched from a registry.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
  }
  env.npm_config_offline = 'true';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}
