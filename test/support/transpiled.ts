import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A directory of plain JavaScript for child processes and threads, removed by {@link remove}. */
export interface TranspiledTree {
  /** The `.js` path of a `.ts` file of the repository (given relative to its root). */
  path(tsFile: string): string;
  remove(): void;
}

/**
 * Transpiles `src/` and the given folders (relative to the repository root) into plain ES
 * modules under `node_modules/.cache` (so that packages resolve as from the sources), for
 * code that runs outside jest: cluster workers, worker threads. Type checking is `tsc`'s
 * job; this only strips types, file by file. Another `parent` directory (one without
 * `node_modules` above it) shows how the code runs where no package can be found.
 */
export function transpileTree(folders: readonly string[], parent: string = join(ROOT, 'node_modules', '.cache')): TranspiledTree {
  const out = join(parent, `promkit-transpiled-${process.pid}-${Date.now()}`);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    isolatedModules: true,
  };
  for (const folder of ['src', ...folders]) {
    for (const file of tsFiles(join(ROOT, folder))) {
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText);
    }
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return {
    path: (tsFile) => join(out, tsFile.replace(/\.ts$/, '.js')),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
