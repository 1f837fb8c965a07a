import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from '@jest/globals';
import { REPO_ROOT } from '../support/packed-package.js';

// OpenTelemetry is an optional peer: only src/opentelemetry/ may name it, and never in an
// import that survives compilation (a program without it must still load every entry point).

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(join(REPO_ROOT, 'src')).map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));

it('names @opentelemetry only under src/opentelemetry/', () => {
  const naming = files.filter((f) => f.text.includes('@opentelemetry/')).map((f) => f.path);
  expect(naming.length).toBeGreaterThan(0);
  expect(naming.filter((path) => !path.startsWith('src/opentelemetry/'))).toEqual([]);
});

it('imports OpenTelemetry there for its types only, and loads it at run time through one guarded require', () => {
  const imports = files.flatMap((f) => [...f.text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+['"](@opentelemetry\/[^'"]+)['"]/gm)].map((m) => [f.path, m[1] === undefined ? 'value' : 'type', m[2]]));
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter(([, kind]) => kind !== 'type')).toEqual([]);
  const requires = files.flatMap((f) => [...f.text.matchAll(/\)\(['"](@opentelemetry\/[^'"]+)['"]\)/g)].map((m) => [f.path, m[1]]));
  expect(requires).toEqual([['src/opentelemetry/trace-exemplars.ts', '@opentelemetry/api']]);
});
