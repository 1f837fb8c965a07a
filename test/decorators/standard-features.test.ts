import { beforeAll, describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDS, compileDecoratorProject, ROOT, run } from './standard-builds.js';
import { observedValue, type Observed } from './standard/observed.js';

/**
 * standard/features.ts compiled with TC39 standard decorators and with legacy ones, run by
 * node: class-level decorators, `@Unmeasured()`, scrape-time gauges and long-task timers
 * must behave the same in both modes. Its own output folders, so it can run beside
 * standard-decorators.test.ts.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = ROOT;
const project = join(here, 'standard', 'tsconfig.features.json');

interface Features {
  classLevel: Observed[];
  beforeGc: Observed[];
  afterGc: Observed[];
  drained: Observed[];
  unboundInDefault: Observed[];
  gcExposed: boolean;
  objectiveClassBefore: string | null;
  objectiveClassAfter: string | null;
}

const builds = BUILDS;
const results = new Map<string, Features>();

async function compileAndRun(build: (typeof builds)[number]): Promise<Features> {
  const outDir = join(here, 'standard', 'dist', `features-${build}`);
  await compileDecoratorProject(project, build, outDir);
  const { stdout } = await run(process.execPath, ['--expose-gc', join(outDir, 'test/decorators/standard/features.js')], { cwd: root });
  return JSON.parse(stdout) as Features;
}

const value = observedValue;

beforeAll(async () => {
  const [standard, legacy] = await Promise.all(builds.map((b) => compileAndRun(b)));
  results.set('standard', standard);
  results.set('legacy', legacy);
}, 60_000);

describe.each(builds)('compiled as %s decorators', (build) => {
  const features = (): Features => results.get(build)!;

  it('a class-level @Timed() times every own method but those with their own @Timed or opted out', () => {
    const s = features().classLevel;
    const count = 'method_timed_seconds_count';
    expect(value(s, count, { class: 'Inventory', method: 'add', exception: 'none' })).toBe(2);
    expect(value(s, count, { class: 'Inventory', method: 'load', exception: 'none' })).toBe(1);
    expect(value(s, count, { method: 'audit' })).toBeUndefined();
    expect(value(s, count, { method: 'report' })).toBeUndefined();
    expect(value(s, 'inventory_report_seconds_count', { class: 'Inventory', method: 'report' })).toBe(1);
    expect(value(s, 'inventory_audits_total', { class: 'Inventory', method: 'audit', result: 'success' })).toBe(1);
  });

  it('a scrape-time gauge adds up the live instances, and one the program dropped leaves once the GC took it', () => {
    const { beforeGc, afterGc, gcExposed } = features();
    expect(gcExposed).toBe(true);
    expect(value(beforeGc, 'pool_connections', { class: 'Pool', method: 'connections' })).toBe(103);
    expect(value(afterGc, 'pool_connections', { class: 'Pool', method: 'connections' })).toBe(3);
  });

  it(`an objective's class is known ${build === 'standard' ? 'once learnt from the class (no instance needed)' : 'at class definition'}`, () => {
    const { objectiveClassBefore, objectiveClassAfter } = features();
    expect(objectiveClassBefore).toBe(build === 'standard' ? null : 'Payments');
    expect(objectiveClassAfter).toBe('Payments');
  });

  it('a long-task timer shows the running call, then none', () => {
    const { beforeGc, drained } = features();
    expect(value(beforeGc, 'pool_drain_tasks_active', { class: 'Pool', method: 'drain' })).toBe(1);
    expect(value(drained, 'pool_drain_tasks_active', { class: 'Pool', method: 'drain' })).toBe(0);
  });

  it(`an instance made outside any container is read from the default registry ${build === 'standard' ? 'from its construction' : 'only once called or bound'}`, () => {
    const found = features().unboundInDefault;
    if (build === 'standard') expect(found.map((s) => s.value)).toEqual([11]);
    else expect(found).toEqual([]);
  });
});
