import { describe, expect, it } from '@jest/globals';
import { InvalidLabelNameError, InvalidOptionsError, LabelSetMismatchError } from '../../src/model/index.js';
import { Info } from '../../src/metrics/index.js';
import { rows } from './sample-rows.js';

describe('Info', () => {
  it('reproduces the seed example: family without _info, sample name_info{...} 1', () => {
    const i = new Info({ name: 'my_build_version', help: 'Description of info', registry: null });
    i.info({ version: '1.2.3', buildhost: 'foo@bar' });
    expect(i.collect()).toEqual([
      {
        name: 'my_build_version',
        type: 'info',
        help: 'Description of info',
        unit: '',
        samples: [{ name: 'my_build_version_info', labels: { version: '1.2.3', buildhost: 'foo@bar' }, value: 1 }],
      },
    ]);
    // Written as client_python writes it: my_build_version_info{buildhost="foo@bar",version="1.2.3"}.
    expect(Object.keys(i.collect()[0].samples[0].labels)).toEqual(['buildhost', 'version']);
  });

  it('accepts the name with or without _info', () => {
    expect(new Info({ name: 'build_info', help: 'h', registry: null }).name).toBe('build');
    expect(new Info({ name: 'build', help: 'h', registry: null }).name).toBe('build');
  });

  it('exposes an empty info before info() is called, and replaces it on every call', () => {
    const i = new Info({ name: 'build', help: 'h', registry: null });
    expect(rows(i)).toEqual([{ name: 'build_info', labels: {}, value: 1 }]);
    expect(i.get()).toEqual({});
    i.info({ version: '1', commit: 'abc' });
    i.info({ version: 2 });
    expect(rows(i)).toEqual([{ name: 'build_info', labels: { version: '2' }, value: 1 }]);
    expect(i.get()).toEqual({ version: '2' });
  });

  it('puts the metric labels first, then the info keys in sorted order', () => {
    const i = new Info({ name: 'plugin', help: 'h', labelNames: ['plugin'], registry: null });
    i.info({ plugin: 'auth' }, { version: '3.1' });
    i.labels('cache').info({ version: '0.9', mode: 'lru' });
    expect(rows(i)).toEqual([
      { name: 'plugin_info', labels: { plugin: 'auth', version: '3.1' }, value: 1 },
      { name: 'plugin_info', labels: { plugin: 'cache', version: '0.9', mode: 'lru' }, value: 1 },
    ]);
    expect(rows(i).map((r) => Object.keys(r.labels))).toEqual([
      ['plugin', 'version'],
      ['plugin', 'mode', 'version'],
    ]);
    expect(i.get({ plugin: 'auth' })).toEqual({ version: '3.1' });
    expect(i.get({ plugin: 'none' })).toBeUndefined();
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => i.info({ version: '1' })).toThrow(LabelSetMismatchError);
  });

  it('validates info keys as label names that do not clash with labelNames', () => {
    const i = new Info({ name: 'plugin', help: 'h', labelNames: ['plugin'], registry: null });
    expect(() => i.labels('x').info({ 'bad-key': '1' })).toThrow(InvalidLabelNameError);
    expect(() => i.labels('x').info({ __meta: '1' })).toThrow(InvalidLabelNameError);
    expect(() => i.labels('x').info({ plugin: 'y' })).toThrow(/Invalid label name "plugin" on metric "plugin": an info key cannot also be one of the metric's labelNames/);
    expect(() => i.labels('x').info(null as never)).toThrow(InvalidOptionsError);
    expect(rows(i)).toEqual([{ name: 'plugin_info', labels: { plugin: 'x' }, value: 1 }]); // unchanged by the failures
  });

  it('has no unit and no _created', () => {
    expect(() => new Info({ name: 'b', help: 'h', unit: 'seconds', registry: null })).toThrow(InvalidOptionsError);
    const i = new Info({ name: 'b', help: 'h', registry: null });
    expect(i.collect()[0].samples.map((s) => s.name)).toEqual(['b_info']);
  });

  it('removes and clears series', () => {
    const i = new Info({ name: 'p', help: 'h', labelNames: ['a'], registry: null });
    i.info({ a: '1' }, { v: 'x' });
    i.info({ a: '2' }, { v: 'y' });
    expect(i.remove('1')).toBe(true);
    expect(rows(i).map((r) => r.labels)).toEqual([{ a: '2', v: 'y' }]);
    i.clear();
    expect(rows(i)).toEqual([]);
  });
});
