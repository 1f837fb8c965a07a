import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import type { GrafanaDashboard } from '../../src/rules/index.js';
import { dashboardExpressions } from '../../src/rules/index.js';
import { parseArguments, UsageError } from '../../src/rules/command.js';
import { expressionsAsRules, promtool } from './promtool.js';

/**
 * The `promkit` executable as a user runs it: `src/rules/bin.ts` and the inversify sample's
 * service compiled by tsc (legacy decorators, as the sample is built), run by node in a
 * child process on the compiled sample module.
 */
const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = join(root, 'node_modules/.bin/tsc');
let outDir: string;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function promkit(...args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(outDir, 'src/rules/bin.js'), ...args], { cwd: outDir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'promkit-bin-'));
  const options = ['--outDir', outDir, '--rootDir', root, '--module', 'nodenext', '--target', 'es2022', '--experimentalDecorators', '--emitDecoratorMetadata', '--skipLibCheck', '--types', 'node', '--strict', '--noCheck'];
  await run(tsc, [...options, join(root, 'src/rules/bin.ts'), join(root, 'samples/inversify-service/order-service.ts')], { cwd: root });
  // The compiled sample imports inversify: resolve it from the project's node_modules.
  await run('ln', ['-s', join(root, 'node_modules'), join(outDir, 'node_modules')]);
  await run('cp', [join(root, 'package.json'), join(outDir, 'package.json')]);
}, 120_000);

afterAll(async () => {
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

const SAMPLE = 'samples/inversify-service/order-service.js';

describeWithBinaries([BIN.promtool], 'promkit rules / dashboard on the compiled inversify sample', () => {
  it('prints the rules of the sample’s two objectives, which promtool accepts', async () => {
    const ran = await promkit('rules', SAMPLE);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('2 objective(s)');
    expect(ran.stdout).toContain('name: "promkit-slo:OrderService.place:latency"');
    expect(ran.stdout).toContain('le=\\"0.25\\"');
    expect(ran.stdout).toContain('name: "promkit-slo:OrderService.place:success"');
    const check = await promtool(['check', 'rules', 'rules.yml'], { 'rules.yml': ran.stdout });
    expect(check.output).toContain('SUCCESS: 22 rules found');
  });

  it('prints a dashboard whose every expression passes promtool', async () => {
    const ran = await promkit('dashboard', '--prefix', 'shop_', '--title', 'Orders', SAMPLE);
    expect(ran.code).toBe(0);
    const dashboard = JSON.parse(ran.stdout) as GrafanaDashboard;
    expect(dashboard.title).toBe('Orders');
    expect(dashboardExpressions(dashboard)).toContain('sum by (class, method) (rate(shop_method_timed_seconds_count[$__rate_interval]))');
    const check = await promtool(['check', 'rules', 'rules.yml'], { 'rules.yml': expressionsAsRules(dashboard) });
    expect(check.output).toContain(`SUCCESS: ${dashboardExpressions(dashboard).length} rules found`);
  });

  it('exits 2 with the usage on a wrong command line, 1 when a module cannot be loaded', async () => {
    const usage = await promkit('alerts', SAMPLE);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage:');
    const missing = await promkit('rules', 'no/such/module.js');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('promkit:');
  });
});

describe('parseArguments', () => {
  it('reads the command, its options (as --x v or --x=v) and the modules', () => {
    expect(parseArguments(['rules', '--prefix=shop_', '--aggregate-away', 'instance,pod', 'a.js', 'b.js'])).toEqual({
      command: 'rules',
      modules: ['a.js', 'b.js'],
      options: new Map([
        ['--prefix', 'shop_'],
        ['--aggregate-away', 'instance,pod'],
      ]),
    });
  });

  it('refuses an unknown command or option, an option without value and no module', () => {
    for (const args of [[], ['lint', 'a.js'], ['rules', '--title', 'x', 'a.js'], ['dashboard', 'a.js', '--prefix'], ['rules']]) {
      expect(() => parseArguments(args)).toThrow(UsageError);
    }
  });
});
