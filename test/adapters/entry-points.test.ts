import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { REPO_ROOT } from '../support/packed-package.js';

/**
 * Which packages each entry point loads when a program imports it: the modules reachable
 * through the imports that survive compilation (each file transpiled as tsc emits it, so
 * type-only imports are gone), and the bare specifiers among them. A program that does not
 * import an adapter must never load its framework.
 */
const emitted = new Map<string, string>();

function emit(file: string): string {
  let js = emitted.get(file);
  if (js === undefined) {
    js = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, isolatedModules: true },
    }).outputText;
    emitted.set(file, js);
  }
  return js;
}

function loadedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [join(REPO_ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const js = emit(file);
    for (const [, specifier] of js.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return packages;
}

const FRAMEWORKS = ['express', 'fastify', 'koa', '@koa/router', '@inversifyjs/http-core', '@inversifyjs/http-express', '@inversifyjs/http-fastify'];

function nonNode(packages: Set<string>): string[] {
  return [...packages].filter((name) => !name.startsWith('node:')).sort();
}

describe('entry points load only their own peers', () => {
  it('promkit and promkit/inversify load no HTTP framework', () => {
    for (const entry of ['src/index.ts', 'src/di/index.ts']) {
      const loaded = loadedPackages(entry);
      expect(FRAMEWORKS.filter((name) => loaded.has(name))).toEqual([]);
    }
  });

  it('promkit/express, promkit/fastify and promkit/koa load nothing but Node built-ins (the framework is the caller\'s)', () => {
    for (const adapter of ['express', 'fastify', 'koa']) expect(nonNode(loadedPackages(`src/adapters/${adapter}/index.ts`))).toEqual([]);
  });

  it('promkit/inversify-http loads inversify and @inversifyjs/http-core only', () => {
    expect(nonNode(loadedPackages('src/adapters/inversify-http/index.ts'))).toEqual(['@inversifyjs/http-core', 'inversify']);
  });

  it('sees a value import when there is one (the walk is not blind)', () => {
    expect(loadedPackages('test/adapters/express.test.ts').has('express')).toBe(true);
  });
});
