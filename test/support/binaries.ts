import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { describe } from '@jest/globals';

/** Absolute paths of the real Prometheus parts the tests talk to (Debian packages). */
export const BIN = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  pushgateway: '/usr/bin/prometheus-pushgateway',
  nodeExporter: '/usr/bin/prometheus-node-exporter',
  /** Debian's python3, where `python3-prometheus-client` is importable. */
  python3: '/usr/bin/python3',
} as const;

/** True when `path` exists and is executable. */
export function hasBinary(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let pythonClientImports: boolean | undefined;

/**
 * True when `BIN.python3` runs and `prometheus_client` imports in it (an executable python3
 * without `python3-prometheus-client` would fail every parse, not skip). Checked once.
 */
export function hasPythonClient(): boolean {
  pythonClientImports ??=
    hasBinary(BIN.python3) &&
    spawnSync(BIN.python3, ['-c', 'import prometheus_client.parser, prometheus_client.openmetrics.parser'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  return pythonClientImports;
}

/** True when `binary` can serve the tests: executable, and for python3, with `prometheus_client`. */
function usable(binary: string): boolean {
  return binary === BIN.python3 ? hasPythonClient() : hasBinary(binary);
}

/**
 * `describe` for tests that need real binaries. When one is missing: on a developer's
 * machine the block is skipped with a loud notice; under CI (`CI` set) it fails, because
 * `.ci/run` is supposed to have installed it.
 */
export function describeWithBinaries(binaries: readonly string[], name: string, body: () => void): void {
  const missing = binaries.filter((b) => !usable(b)).map((b) => (b === BIN.python3 ? `${b} with prometheus_client` : b));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `missing ${missing.join(', ')} (install with: apt-get install prometheus prometheus-pushgateway prometheus-node-exporter python3-prometheus-client)`;
  if (process.env.CI) {
    describe(name, () => {
      throw new Error(`${name}: ${message}; CI must install them`);
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n!!! SKIPPED "${name}": ${message}\n`);
  describe.skip(name, body);
}
