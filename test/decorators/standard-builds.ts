import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The two ways a user's program compiles decorators. */
export const BUILDS = ['standard', 'legacy'] as const;

/** One of {@link BUILDS}. */
export type DecoratorBuild = (typeof BUILDS)[number];

/** Runs a command; rejects when it fails. */
export const run = promisify(execFile);

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Compiles the project of `tsconfig` (under test/decorators/standard) into a fresh `outDir`,
 * with TC39 standard decorators or with `--experimentalDecorators`. The standard build is
 * type-checked (that the decorators' types accept standard-mode methods is part of what is
 * tested); the legacy one only re-emits the same sources (the root tsconfig type-checks
 * legacy usage across test/decorators already).
 */
export async function compileDecoratorProject(tsconfig: string, build: DecoratorBuild, outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const flags = build === 'legacy' ? ['--experimentalDecorators', '--noCheck', '--outDir', outDir] : ['--outDir', outDir];
  await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', tsconfig, ...flags], { cwd: ROOT });
}
