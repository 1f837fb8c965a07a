import { beforeAll, describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDS, compileDecoratorProject, ROOT, run } from './standard-builds.js';
import { observedValue, type Observed } from './standard/observed.js';

/**
 * The same user program (standard/scenarios.ts) compiled twice — with TC39 standard
 * decorators (standard/tsconfig.json, no experimentalDecorators) and with TypeScript's
 * legacy ones (--experimentalDecorators, what inversify uses) — and run by node in a
 * child process (so that an unhandled rejection reaches node, not jest). Both builds
 * must observe the same behaviour.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = ROOT;
const project = join(here, 'standard');

interface Scenario {
  syncResult: unknown;
  syncIsPromise: boolean;
  asyncIsPromise: boolean;
  asyncResult: unknown;
  rejection: string;
  described: string;
  fee: number;
  opened: string;
  inProgressDuring: number;
  entries: number[];
  unhandled: string[];
  names: string[];
  lengths: number[];
  metadata: unknown[];
  getterError: string | undefined;
  generatorError: string | undefined;
  defaultBeforeCalls: Observed[];
  boundBeforeCalls: Observed[];
  bound: Observed[];
  containerSamples: Observed[];
  defaultAfter: Observed[];
}

interface MatrixCell {
  shape: string;
  scope: string;
  site: string;
  calls: number;
  counted: number | undefined;
}

interface Matrix {
  cells: MatrixCell[];
  inDefault: number;
  isolated: [number | undefined, number | undefined];
}

const builds = BUILDS;
const results = new Map<string, Scenario>();
let matrix: Matrix;

/** Compiles the project (both programs at once) and runs the scenarios; the standard build also runs the binding matrix. */
async function compileAndRun(build: (typeof builds)[number]): Promise<Scenario> {
  const outDir = join(project, 'dist', build);
  await compileDecoratorProject(join(project, 'tsconfig.json'), build, outDir);
  const runs = [run(process.execPath, [join(outDir, 'test/decorators/standard/scenarios.js')], { cwd: root })];
  if (build === 'standard') runs.push(run(process.execPath, [join(outDir, 'test/decorators/standard/matrix-main.js')], { cwd: root }));
  const [scenarios, matrixRun] = await Promise.all(runs);
  if (matrixRun !== undefined) matrix = JSON.parse(matrixRun.stdout) as Matrix;
  return JSON.parse(scenarios.stdout) as Scenario;
}

const value = observedValue;

beforeAll(async () => {
  const [standard, legacy] = await Promise.all(builds.map((b) => compileAndRun(b)));
  results.set('standard', standard);
  results.set('legacy', legacy);
}, 60_000);

describe('the binding matrix compiled with standard decorators', () => {
  it('counts every call in the container’s registry, for every binding shape, scope and call site', () => {
    expect(matrix.cells.length).toBe(6 * 3 * 7);
    expect(matrix.cells.filter((cell) => cell.counted !== cell.calls)).toEqual([]);
  });

  it('leaves no series of those classes in the default registry, and keeps two containers apart', () => {
    expect(matrix.inDefault).toBe(0);
    expect(matrix.isolated).toEqual([1, 2]);
  });
});

describe.each(builds)('decorators compiled as %s decorators', (build) => {
  const scenario = (): Scenario => results.get(build)!;
  const count = 'method_timed_seconds_count';

  it('keep sync methods sync and async ones async, with the same results and rejections', () => {
    const s = scenario();
    expect(s.syncResult).toBe(1);
    expect(s.syncIsPromise).toBe(false);
    expect(s.asyncIsPromise).toBe(true);
    expect(s.asyncResult).toBe('settled 2');
    expect(s.rejection).toBe('LedgerError: settlement refused');
  });

  it('record sync and async calls, at settlement, by class and method', () => {
    const s = scenario();
    expect(value(s.bound, count, { class: 'Ledger', method: 'add', exception: 'none' })).toBe(2);
    expect(value(s.bound, count, { class: 'Ledger', method: 'settle', exception: 'none' })).toBe(1);
    expect(value(s.bound, count, { class: 'Ledger', method: 'settle', exception: 'LedgerError' })).toBe(2);
    expect(value(s.bound, 'method_timed_seconds_sum', { method: 'settle', exception: 'none' })).toBeGreaterThanOrEqual(0.025);
  });

  it('preserve `this` and label static methods with their class', () => {
    const s = scenario();
    expect(s.entries).toEqual([5, 7]);
    expect(s.opened).toBe('Ledger/ada');
    // Static methods are not bound to a runtime: the default registry.
    expect(value(s.defaultBeforeCalls, 'method_counted_total', { class: 'Ledger', method: 'open', result: 'success' })).toBe(0);
  });

  it('label inherited methods with the declaring class; overrides record only when decorated, each under its own class', () => {
    const s = scenario();
    expect(s.described).toBe('sub ledger');
    expect(value(s.bound, count, { class: 'SubLedger', method: 'describe' })).toBe(1);
    expect(value(s.bound, count, { class: 'Ledger', method: 'describe' })).toBe(1);
    expect(s.fee).toBe(0);
    expect(value(s.bound, count, { class: 'Ledger', method: 'fee' })).toBe(0);
    expect(value(s.bound, count, { class: 'SubLedger', method: 'fee' })).toBeUndefined();
    expect(value(s.bound, count, { class: 'SubLedger', method: 'add' })).toBeUndefined();
  });

  it('keep name, length and reflect-metadata stored on the method in either order', () => {
    const s = scenario();
    expect(s.names).toEqual(['add', 'settle', 'open']);
    expect(s.lengths).toEqual([2, 2, 1]);
    expect(s.metadata).toEqual(['admin', 'auditor']);
  });

  it('throw at class definition for a getter or a generator', () => {
    const s = scenario();
    expect(s.getterError).toMatch(/^InvalidDecoratorTargetError: @Timed\(\) cannot decorate .*size: it is a getter/);
    expect(s.generatorError).toMatch(/^InvalidDecoratorTargetError: @Timed\(\) cannot decorate .*items: it is a generator method/);
  });

  it('still report an unhandled rejection as unhandled', () => {
    expect(scenario().unhandled).toEqual(['LedgerError: settlement refused']);
  });

  it('create the series at zero once an instance is tied to a registry: at construction for new (standard), at binding (both)', () => {
    const s = scenario();
    const constructed = build === 'standard' ? [s.defaultBeforeCalls, s.boundBeforeCalls] : [s.boundBeforeCalls];
    for (const samples of constructed) {
      expect(value(samples, count, { class: 'Ledger', method: 'add', exception: 'none' })).toBe(0);
      expect(value(samples, count, { class: 'SubLedger', method: 'describe', exception: 'none' })).toBe(0);
      expect(value(samples, 'method_in_progress', { class: 'Ledger', method: 'busy' })).toBe(0);
    }
    if (build === 'legacy') {
      // Legacy decorators have no construction hook: nothing before the first call, and
      // nothing at class definition (no phantom series).
      expect(s.defaultBeforeCalls.filter((o) => o.name === count)).toEqual([]);
    }
  });

  it('record into the container’s registry when resolved from a container, into the default one after new', () => {
    const s = scenario();
    expect(value(s.containerSamples, 'clerk_calls_total', { class: 'Clerk', method: 'stamp', result: 'success' })).toBe(1);
    expect(value(s.defaultAfter, 'clerk_calls_total', { class: 'Clerk', method: 'stamp', result: 'success' })).toBe(1);
  });

  it('count in-progress calls and filtered exceptions', () => {
    const s = scenario();
    expect(s.inProgressDuring).toBe(1);
    expect(value(s.bound, 'method_in_progress', { method: 'busy' })).toBe(0);
    expect(value(s.bound, 'method_exceptions_total', { class: 'Ledger', method: 'check', exception: 'TypeError' })).toBe(2);
    expect(value(s.bound, 'method_exceptions_total', { method: 'check', exception: 'RangeError' })).toBeUndefined();
  });
});
