import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { learnClassNames } from '../decorators/index.js';

/**
 * Imports the compiled modules (paths, relative to the working directory) so that their
 * decorated classes are defined, and gives the classes they export their `class` label
 * (standard decorators learn it only at the first construction otherwise). Importing runs
 * the modules' top-level code: point at the modules declaring the services, not at a main.
 */
export async function loadDecoratedModules(paths: readonly string[], cwd = process.cwd()): Promise<void> {
  for (const path of paths) {
    const exports = (await import(pathToFileURL(resolve(cwd, path)).href)) as Record<string, unknown>;
    for (const value of Object.values(exports)) learnClassNames(value);
  }
}
