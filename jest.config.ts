import type { Config } from 'jest';

/**
 * ts-jest in ESM mode: inversify 8 is ESM-only, so the tests run as native ES modules
 * (`NODE_OPTIONS=--experimental-vm-modules`, set by `npm test`). Type checking is done
 * once for the whole tree by `tsc --noEmit` before jest starts, so ts-jest only
 * transpiles here (fast, and the same checks are not repeated per file).
 */
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  // Stops daemons a timed-out hook left starting (test/support/daemon.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/stop-daemons.ts'],
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
