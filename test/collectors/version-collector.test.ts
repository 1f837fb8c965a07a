import { describe, expect, it } from '@jest/globals';
import { VersionCollector } from '../../src/collectors/index.js';

describe('VersionCollector', () => {
  it('is the info metric nodejs_version_info with the running version split in parts', () => {
    const [f] = new VersionCollector().collect();
    expect([f.name, f.type]).toEqual(['nodejs_version', 'info']);
    const [major, minor, patch] = process.versions.node.split('.');
    expect(f.samples).toEqual([{ name: 'nodejs_version_info', labels: { version: process.version, major, minor, patch }, value: 1 }]);
    expect(() => new VersionCollector({ labels: { major: 'x' } })).toThrow(/declared more than once/);
  });
});
