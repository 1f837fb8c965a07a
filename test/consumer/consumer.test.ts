import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { childEnv, packCleanCheckout, REPO_ROOT, type PackedPackage } from '../support/packed-package.js';

/**
 * The package as its users get it: packed from a clean copy of the repository (so
 * `prepack` builds it from nothing), installed with npm from the tarball into fresh ESM and
 * CommonJS projects, a small service (app/service.ts) compiled there under several
 * TypeScript settings and both decorator modes, run by node and scraped over HTTP.
 *
 * Offline: the projects sit below a directory whose `node_modules` is this repository's,
 * so inversify, reflect-metadata, typescript and @types/node come from there.
 */
const run = promisify(execFile);
const APP = join(REPO_ROOT, 'test/consumer/app');

type ModuleSystem = 'esm' | 'commonjs';

interface Build {
  readonly name: string;
  readonly project: ModuleSystem;
  readonly compilerOptions: Record<string, unknown>;
  /** The file compiled (in app/); default service.ts. */
  readonly entry?: string;
  /** Type-check only: not run. */
  readonly checkOnly?: boolean;
}

// skipLibCheck: checking @types/node in every build would only cost time; the shipped
// declarations are checked all the same (see compile()).
const legacy = { experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true };
const standard = { experimentalDecorators: false, skipLibCheck: true };

const BUILDS: readonly Build[] = [
  { name: 'esm-legacy', project: 'esm', compilerOptions: { module: 'nodenext', ...legacy } },
  { name: 'esm-standard', project: 'esm', compilerOptions: { module: 'nodenext', ...standard } },
  { name: 'esm-bundler', project: 'esm', compilerOptions: { module: 'preserve', moduleResolution: 'bundler', ...legacy }, checkOnly: true },
  // TypeScript >= 5.8 compiles require() of an ES module under module nodenext.
  { name: 'cjs-legacy', project: 'commonjs', compilerOptions: { module: 'nodenext', ...legacy } },
  { name: 'cjs-standard', project: 'commonjs', compilerOptions: { module: 'nodenext', ...standard } },
  // The classic CommonJS setup (NestJS's default): node10 resolution, where
  // `promkit/inversify` is found through typesVersions.
  { name: 'cjs-node10', project: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ...legacy }, entry: 'node10.ts', checkOnly: true },
];

let pack: PackedPackage;
const projectDirs = new Map<ModuleSystem, string>();
const compiled = new Map<string, string>();
const children = new Set<ChildProcess>();

beforeAll(async () => {
  pack = await packCleanCheckout();
  for (const project of ['esm', 'commonjs'] as const) {
    const dir = join(pack.workDir, project);
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${project}`, version: '1.0.0', private: true, type: project === 'esm' ? 'module' : 'commonjs' }));
    for (const file of ['service.ts', 'node10.ts']) copyFileSync(join(APP, file), join(dir, 'src', file));
    // --ignore-scripts: a tarball is installed as built; npm would only warn about `prepare`,
    // which is for git installs.
    await run('npm', ['install', '--ignore-scripts', '--no-package-lock', pack.tarball], { cwd: dir, env: childEnv() });
    projectDirs.set(project, dir);
  }
  for (const build of BUILDS) {
    const dir = projectDirs.get(build.project)!;
    const outDir = join('out', build.name);
    writeFileSync(
      join(dir, `tsconfig.${build.name}.json`),
      JSON.stringify({
        compilerOptions: { target: 'es2022', strict: true, types: ['node'], rootDir: 'src', outDir, noEmit: build.checkOnly === true, ...build.compilerOptions },
        files: [`src/${build.entry ?? 'service.ts'}`],
      }),
    );
  }
  for (const build of BUILDS) {
    const dir = projectDirs.get(build.project)!;
    const diagnostics = compile(join(dir, `tsconfig.${build.name}.json`), build.name === 'esm-legacy' ? join(dir, 'node_modules/promkit/') : undefined);
    if (diagnostics !== '') throw new Error(`${build.name} does not compile:\n${diagnostics}`);
    if (build.checkOnly !== true) compiled.set(build.name, join(dir, 'out', build.name, 'service.js'));
  }
}, 240_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  pack?.remove();
});

describe('the tarball', () => {
  it('holds the built library, its types, README and LICENSE, and nothing else', () => {
    const paths = pack.report.files.map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/di/index.js', 'dist/di/index.d.ts']));
    const unexpected = paths.filter((p) => !['LICENSE', 'README.md', 'package.json'].includes(p) && !/^dist\/.+\.(js|d\.ts)$/.test(p));
    expect(unexpected).toEqual([]);
    // A shipped .js for every module of src/, and no test, sample or bench code.
    const sources = listFiles(join(REPO_ROOT, 'src')).filter((f) => f.endsWith('.ts')).map((f) => `dist/${f.replace(/\.ts$/, '.js')}`);
    expect(paths.filter((p) => p.endsWith('.js')).sort()).toEqual(sources.sort());
    process.stdout.write(`promkit tarball: ${pack.report.filename}, ${pack.report.size} bytes packed, ${pack.report.unpackedSize} unpacked, ${pack.report.entryCount} files\n`);
  });

  it('lists in sideEffects exactly the modules that run code when loaded', () => {
    const installed = join(projectDirs.get('esm')!, 'node_modules/promkit');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { sideEffects: string[] };
    const withEffects = listFiles(join(installed, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .filter((f) => runsCodeWhenLoaded(readFileSync(join(installed, 'dist', f), 'utf8')))
      .map((f) => `./dist/${f}`);
    expect(withEffects.sort()).toEqual([...manifest.sideEffects].sort());
  });
});

describe.each(BUILDS.filter((b) => b.checkOnly !== true))('a $project project compiled as $name', (build) => {
  it('loads promkit the way its module system does, serves its metrics, and stops cleanly', async () => {
    const main = compiled.get(build.name)!;
    const source = readFileSync(main, 'utf8');
    if (build.project === 'commonjs') expect(source).toMatch(/require\("promkit\/inversify"\)/);
    else expect(source).toMatch(/from ['"]promkit\/inversify['"]/);

    const child = spawn(process.execPath, [main, build.name], { cwd: projectDirs.get(build.project)!, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = await firstLine(child, exited, () => stderr);
    const ready = JSON.parse(started) as { url: string; moduleSystem: ModuleSystem; sameInstance: boolean };
    expect(ready.moduleSystem).toBe(build.project);
    expect(ready.sameInstance).toBe(true);

    const response = await fetch(ready.url, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    const samples = parseSamples(await response.text());
    const value = (name: string, labels: Record<string, string>): number | undefined =>
      samples.find((s) => s.name === name && Object.entries({ build: build.name, ...labels }).every(([k, v]) => s.labels[k] === v))?.value;

    expect(value('consumer_orders_total', { channel: 'web' })).toBe(2);
    expect(value('consumer_orders_total', { channel: 'shop' })).toBe(1);
    expect(value('consumer_order_items_bucket', { le: '5.0' })).toBe(1);
    expect(value('method_timed_seconds_count', { class: 'OrderService', method: 'place', exception: 'none' })).toBe(1);
    expect(value('method_timed_seconds_count', { class: 'OrderService', method: 'place', exception: 'OrderRejectedError' })).toBe(1);
    expect(value('method_counted_total', { class: 'OrderService', method: 'place', result: 'failure' })).toBe(1);
    expect(value('order_lookup_seconds_count', { class: 'OrderService', method: 'find', exception: 'none' })).toBe(1);
    expect(value('method_exceptions_total', { class: 'OrderService', method: 'find', exception: 'TypeError' })).toBe(1);
    expect(value('method_in_progress', { class: 'OrderService', method: 'find' })).toBe(0);
    expect(value('consumer_queue_depth', {})).toBe(3);
    expect(value('process_cpu_seconds_total', {})).toBeGreaterThan(0);
    // The module's default labels reach every sample.
    expect(samples.filter((s) => s.labels.build !== build.name)).toEqual([]);

    child.stdin!.end();
    expect(await exited).toBe(0);
    children.delete(child);
    expect(stderr).toBe(''); // no warning on load: require(esm) is silent on Node >= 20.19
  });
});

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parsed declaration files, kept across the builds: the compiler's libraries, @types/node
 * and inversify are the same files in every build, and parsing them is most of a small
 * build's time. Keyed by what changes a parse (language version, module format).
 */
const parsed = new Map<string, ts.SourceFile>();

/**
 * Compiles one tsconfig in-process, as `tsc -p` would, and returns its diagnostics as text
 * (empty when it compiles). The projects set skipLibCheck, so @types/node is not checked
 * once per build; `checkDeclarationsUnder` names a folder whose declaration files are
 * checked all the same (the shipped package's, under strict).
 */
function compile(configPath: string, checkDeclarationsUnder?: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/') || fileName.includes('/node_modules/promkit/')) return read(fileName, languageVersionOrOptions, onError, shouldCreate);
    const options = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}\0${options.languageVersion}\0${options.impliedNodeFormat}`;
    let file = parsed.get(key);
    if (file === undefined) {
      file = read(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (file !== undefined) parsed.set(key, file);
    }
    return file;
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  if (checkDeclarationsUnder !== undefined) {
    const checker = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, skipLibCheck: false, noEmit: true }, host });
    for (const file of checker.getSourceFiles()) {
      if (file.fileName.startsWith(checkDeclarationsUnder)) diagnostics.push(...checker.getSemanticDiagnostics(file), ...checker.getSyntacticDiagnostics(file));
    }
  }
  if (diagnostics.length === 0 && config.options.noEmit !== true) diagnostics.push(...program.emit().diagnostics);
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dirname(configPath), getNewLine: () => '\n' });
}

/** A small exposition reader for assertions (the encoders' conformance is tested elsewhere). */
function parseSamples(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The child's first stdout line; rejects with its stderr if it exits first. */
function firstLine(child: ChildProcess, exited: Promise<number | null>, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before serving:\n${stderr()}`)));
  });
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

/**
 * True when an emitted module does more at load than import, declare and export: a
 * top-level statement that calls something (`setDefaultRegistrar(defaultRegistry)`).
 * Declarations whose initialisers construct objects (`new Registry()`, `new WeakMap()`)
 * are not effects a bundler must keep when the binding is unused.
 */
function runsCodeWhenLoaded(source: string): boolean {
  const file = ts.createSourceFile('module.js', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  return file.statements.some(
    (statement) =>
      !ts.isImportDeclaration(statement) &&
      !ts.isExportDeclaration(statement) &&
      !ts.isFunctionDeclaration(statement) &&
      !ts.isClassDeclaration(statement) &&
      !ts.isVariableStatement(statement) &&
      !ts.isEmptyStatement(statement),
  );
}
