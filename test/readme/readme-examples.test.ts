import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { childEnv, packCleanCheckout, REPO_ROOT, type PackedPackage } from '../support/packed-package.js';

/**
 * Every TypeScript block of README.md and docs/*.md is type-checked against the packed
 * package, as a user who copies it would compile it: each block is its own ES module in a
 * project where `promkit` is installed from the tarball (strict, module nodenext,
 * experimentalDecorators as inversify needs).
 *
 * A block that cannot compile on purpose is preceded by `<!-- not compiled: <reason> -->`
 * (used sparingly; a block that shows a compile error uses `// @ts-expect-error` instead,
 * which this test then proves).
 */
const run = promisify(execFile);

export interface CodeBlock {
  /** The markdown file, relative to the repository. */
  readonly source: string;
  /** The 1-based line of the block's first code line in `source`. */
  readonly line: number;
  readonly code: string;
}

export interface ExtractedBlocks {
  readonly compiled: CodeBlock[];
  readonly skipped: { readonly line: number; readonly reason: string }[];
}

const SKIP_MARKER = /^<!--\s*not compiled:\s*(.*?)\s*-->$/;

/** The ```ts / ```typescript blocks of a markdown text, with the indentation of their fence removed. */
export function extractTypeScriptBlocks(markdown: string, source: string): ExtractedBlocks {
  const lines = markdown.split('\n');
  const compiled: CodeBlock[] = [];
  const skipped: { line: number; reason: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const indent = open[1]!.length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    const code = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const marker = previous >= 0 ? SKIP_MARKER.exec(lines[previous]!.trim()) : null;
    if (marker !== null) skipped.push({ line: i + 2, reason: marker[1]! });
    else compiled.push({ source, line: i + 2, code });
    i = end;
  }
  return { compiled, skipped };
}

/**
 * Type-checks every block as its own module in `projectDir` (where `promkit` is installed)
 * and returns one message per diagnostic, located in the markdown (`README.md:52: ...`).
 */
export function typeCheckBlocks(blocks: readonly CodeBlock[], projectDir: string): string[] {
  const dir = join(projectDir, 'blocks');
  mkdirSync(dir, { recursive: true });
  const fileToBlock = new Map<string, CodeBlock>();
  for (const block of blocks) {
    const file = join(dir, `${block.source.replace(/[^a-zA-Z0-9]/g, '_')}_${block.line}.ts`);
    // `export {}` keeps a block without imports a module (its names stay its own).
    writeFileSync(file, `${block.code}\nexport {};\n`);
    fileToBlock.set(file, block);
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const program = ts.createProgram({ rootNames: [...fileToBlock.keys()], options });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const block = d.file === undefined ? undefined : fileToBlock.get(d.file.fileName);
    if (d.file === undefined || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    if (block === undefined) return `${relative(projectDir, d.file.fileName)}:${line + 1}: ${message}`;
    return `${block.source}:${block.line + line}: ${message}`;
  });
}

function markdownFiles(): string[] {
  const docs = join(REPO_ROOT, 'docs');
  const inDocs = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
  return ['README.md', ...inDocs];
}

let pack: PackedPackage;
let projectDir: string;

beforeAll(async () => {
  pack = await packCleanCheckout();
  projectDir = join(pack.workDir, 'readme');
  mkdirSync(projectDir);
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'readme-examples', version: '1.0.0', private: true, type: 'module' }));
  await run('npm', ['install', '--ignore-scripts', '--no-package-lock', pack.tarball], { cwd: projectDir, env: childEnv() });
}, 180_000);

afterAll(() => pack?.remove());

describe('the documentation examples', () => {
  it('every TypeScript block of README.md and docs/*.md compiles against the packed package', () => {
    const all: CodeBlock[] = [];
    const skipped: string[] = [];
    for (const file of markdownFiles()) {
      const extracted = extractTypeScriptBlocks(readFileSync(join(REPO_ROOT, file), 'utf8'), file);
      all.push(...extracted.compiled);
      for (const s of extracted.skipped) {
        expect(s.reason).not.toBe(''); // a skipped block says why
        skipped.push(`${file}:${s.line}`);
      }
    }
    expect(all.filter((b) => b.source === 'README.md').length).toBeGreaterThanOrEqual(10);
    // Planted: a block with a wrong label must be reported at its markdown line.
    const planted: CodeBlock = {
      source: 'planted.md',
      line: 40,
      code: "import { Counter } from 'promkit';\nconst c = new Counter({ name: 'c', help: 'c', labelNames: ['a'] });\nc.labels({ b: '1' }).inc();",
    };
    const errors = typeCheckBlocks([...all, planted], projectDir);
    expect(errors.filter((e) => !e.startsWith('planted.md:'))).toEqual([]);
    expect(errors.filter((e) => e.startsWith('planted.md:42:'))).toHaveLength(1);
    expect(skipped.length).toBeLessThanOrEqual(3); // the marker is for rare cases
  });

  it('extracts indented blocks inside list items and honours the skip marker', () => {
    const markdown = ['1. Step:', '   ```ts', '   const a = 1;', '   ```', '', '<!-- not compiled: a fragment -->', '```typescript', 'broken(', '```', '```sh', 'npm test', '```'].join('\n');
    const { compiled, skipped } = extractTypeScriptBlocks(markdown, 'x.md');
    expect(compiled).toEqual([{ source: 'x.md', line: 3, code: 'const a = 1;' }]);
    expect(skipped).toEqual([{ line: 8, reason: 'a fragment' }]);
  });
});
