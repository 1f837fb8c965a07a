import { describe, expect, it } from '@jest/globals';
import { InvalidMetricNameError, InvalidOptionsError, LabelSetMismatchError, UnknownStateError } from '../../src/model/index.js';
import { Enum } from '../../src/metrics/index.js';
import { rows } from './sample-rows.js';

describe('Enum', () => {
  it('exposes a stateset: one sample per state labelled with the metric name, 1 for the current', () => {
    const e = new Enum({ name: 'task_state', help: 'State.', states: ['starting', 'running', 'stopped'], registry: null });
    expect(e.collect()).toEqual([
      {
        name: 'task_state',
        type: 'stateset',
        help: 'State.',
        unit: '',
        samples: [
          { name: 'task_state', labels: { task_state: 'starting' }, value: 1 },
          { name: 'task_state', labels: { task_state: 'running' }, value: 0 },
          { name: 'task_state', labels: { task_state: 'stopped' }, value: 0 },
        ],
      },
    ]);
    e.state('running');
    expect(rows(e).map((r) => r.value)).toEqual([0, 1, 0]);
    expect(e.get()).toBe('running');
    e.labels().state('stopped');
    expect(rows(e).map((r) => r.value)).toEqual([0, 0, 1]);
  });

  it('keeps one state per labelled series, starting in the first state', () => {
    const e = new Enum({ name: 'phase', help: 'h', labelNames: ['job'], states: ['idle', 'busy'], registry: null });
    e.state({ job: 'a' }, 'busy');
    e.labels('b');
    expect(rows(e)).toEqual([
      { name: 'phase', labels: { job: 'a', phase: 'idle' }, value: 0 },
      { name: 'phase', labels: { job: 'a', phase: 'busy' }, value: 1 },
      { name: 'phase', labels: { job: 'b', phase: 'idle' }, value: 1 },
      { name: 'phase', labels: { job: 'b', phase: 'busy' }, value: 0 },
    ]);
    expect(e.get({ job: 'a' })).toBe('busy');
    expect(e.get({ job: 'zzz' })).toBeUndefined();
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => e.state('busy')).toThrow(LabelSetMismatchError);
  });

  it('rejects unknown states, naming the metric and the states', () => {
    const e = new Enum({ name: 'phase', help: 'h', states: ['idle', 'busy'], registry: null });
    expect(() => e.state('sleeping' as 'idle')).toThrow(UnknownStateError);
    expect(() => e.state('sleeping' as 'idle')).toThrow('Unknown state "sleeping" for enum metric "phase"; expected one of ["idle", "busy"]');
    expect(e.get()).toBe('idle');
  });

  it('requires a non-empty list of unique string states', () => {
    const make = (states: unknown) => () => new Enum({ name: 'e', help: 'h', states: states as string[], registry: null });
    expect(make([])).toThrow(InvalidOptionsError);
    expect(make(undefined)).toThrow(InvalidOptionsError);
    expect(make(['a', 'a'])).toThrow(/state "a" is declared twice/);
    expect(make(['a', 1])).toThrow(InvalidOptionsError);
    expect(make(['any unicode ✓', ''])).not.toThrow();
  });

  it('refuses a name that cannot also be its state label (a legal metric name with ":")', () => {
    expect(() => new Enum({ name: 'job:state', help: 'h', states: ['a'], registry: null })).toThrow(InvalidMetricNameError);
    expect(() => new Enum({ name: 'job:state', help: 'h', states: ['a'], registry: null })).toThrow(/"job:state".*label name/);
    expect(() => new Enum({ name: 'job_state', help: 'h', states: ['a'], registry: null })).not.toThrow();
  });

  it('compares states (in order) in definitionConflict', () => {
    const a = new Enum({ name: 'e', help: 'h', states: ['x', 'y'], registry: null });
    expect(a.definitionConflict(new Enum({ name: 'e', help: 'h', states: ['x', 'y'], registry: null }))).toBeUndefined();
    expect(a.definitionConflict(new Enum({ name: 'e', help: 'h', states: ['y', 'x'], registry: null }))).toBe('states differ: [x, y] vs [y, x]');
  });

  it('exposes its states', () => {
    expect(new Enum({ name: 'e', help: 'h', states: ['x', 'y'], registry: null }).states).toEqual(['x', 'y']);
  });
});
