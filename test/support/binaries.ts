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

/**
 * `describe` for tests that need real binaries. When one is missing: on a developer's
 * machine the block is skipped with a loud notice; under CI (`CI` set) it fails, because
 * `.ci/run` is supposed to have installed it.
 */
export function describeWithBinaries(binaries: readonly string[], name: string, body: () => void): void {
  const missing = binaries.filter((b) => !hasBinary(b));
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
