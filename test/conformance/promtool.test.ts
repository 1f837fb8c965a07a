import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startHostExporter, type HostExporter } from '../../samples/host-exporter/main.js';
import { startInversifySample, type InversifySample } from '../../samples/inversify-service/inversify-sample.js';
import { startSeedExporter, type SeedExporter } from '../../samples/seed-exporter/seed-exporter.js';
import { encodeText } from '../../src/exposition/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promtoolCheckMetrics } from './promtool-check.js';
import { buildEveryTypeRegistry } from './every-type-registry.js';

// `promtool check metrics` (Prometheus 2.42) reads the 0.0.4 text with client_golang's
// parser and lints it with promlint: exit 0 and no output means no parse error and no
// lint finding (1 = parse error, 3 = lint findings).

/** Scrapes `url` asking for 0.0.4 only, as an old Prometheus would. */
async function scrapeText(url: string): Promise<string> {
  const res = await fetch(url, { headers: { Accept: 'text/plain;version=0.0.4' } });
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.text();
}

async function expectClean(text: string, tolerated: readonly string[] = []): Promise<void> {
  const check = await promtoolCheckMetrics(text);
  const findings = check.output.split('\n').filter((line) => line.trim() !== '' && !tolerated.includes(line.trim()));
  expect(findings).toEqual([]);
  // 3 = lint findings only, all of them tolerated ones (a parse error is 1 and has its own line).
  expect(tolerated.length > 0 ? [0, 3] : [0]).toContain(check.code);
}

/**
 * The host exporter keeps node_exporter's metric names on purpose (dashboards and the
 * comparison test in test/e2e/host-exporter.test.ts depend on it), and node_exporter's
 * meminfo names are CamelCase: these two findings are node_exporter's own, and only these.
 */
const NODE_EXPORTER_OWN_FINDINGS = [
  "node_memory_MemAvailable_bytes metric names should be written in 'snake_case' not 'camelCase'",
  "node_memory_MemTotal_bytes metric names should be written in 'snake_case' not 'camelCase'",
];

describeWithBinaries([BIN.promtool], 'promtool check metrics on the 0.0.4 output', () => {
  let seed: SeedExporter | undefined;
  let host: HostExporter | undefined;
  let orders: InversifySample | undefined;

  beforeAll(async () => {
    seed = await startSeedExporter({ port: 0, host: '127.0.0.1', registry: new Registry(), intervalMs: 0 });
    host = await startHostExporter({ port: 0, host: '127.0.0.1' });
    orders = await startInversifySample({ port: 0, host: '127.0.0.1', trafficIntervalMs: 0 });
    for (let i = 0; i < 3; i++) await orders.driveTraffic();
  });

  afterAll(async () => {
    await seed?.stop();
    await host?.close();
    await orders?.stop();
  });

  it('notices a parse error and a lint finding (the check itself can fail)', async () => {
    expect((await promtoolCheckMetrics('# TYPE foo counter\nfoo{a="\n"} 1\n')).code).toBe(1);
    const lint = await promtoolCheckMetrics('# HELP foo Foo.\n# TYPE foo counter\nfoo 1\n');
    expect([lint.code, lint.output]).toEqual([3, expect.stringContaining('"_total" suffix')]);
  });

  it('passes the seed exporter sample, runtime metrics included', async () => {
    const text = await scrapeText((seed as SeedExporter).url);
    expect(text).toContain('\nc_total 1.0\n');
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    await expectClean(text);
  });

  it("passes the host exporter sample (but for node_exporter's own CamelCase meminfo names)", async () => {
    const text = await scrapeText((host as HostExporter).url);
    expect(text).toMatch(/^node_load1 /m);
    await expectClean(text, NODE_EXPORTER_OWN_FINDINGS);
  });

  it('passes the inversify sample (decorator metrics after some traffic)', async () => {
    const text = await scrapeText((orders as InversifySample).url);
    for (const family of ['method_timed_seconds_bucket', 'method_counted_total', 'method_in_progress', 'method_exceptions_total']) expect(text).toContain(`\n${family}{`);
    await expectClean(text);
  });

  it('passes a registry holding every instrument type (labelled, with units, exemplars, nasty label values, NaN/Inf, timestamps)', async () => {
    const registry = buildEveryTypeRegistry({ stampSeconds: 1700000000.25 });
    const text = encodeText((await registry.collect()).families);
    for (const type of ['counter', 'gauge', 'histogram', 'summary', 'untyped']) expect(text).toContain(` ${type}\n`);
    await expectClean(text);
  });
});
