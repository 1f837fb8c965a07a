import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  InvalidLabelNameError,
  InvalidMetricNameError,
  InvalidOptionsError,
  PromkitError,
  ReservedLabelNameError,
  isValidLabelName,
  isValidMetricName,
  sampleNamesOf,
  validateConstantLabels,
  validateLabelNames,
  validateMetricName,
  validateUnit,
} from '../../src/model/index.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('metric names', () => {
  it.each(['a', 'http_requests_total', ':colon:ok', '_x', 'A9'])('accepts %p', (name) => {
    expect(() => validateMetricName(name)).not.toThrow();
    expect(isValidMetricName(name)).toBe(true);
  });

  it.each(['', '9lives', 'has-dash', 'dot.ted', 'spa ce', 'ünï', '__reserved'])('rejects %p with a typed error', (name) => {
    expect(() => validateMetricName(name)).toThrow(InvalidMetricNameError);
    expect(() => validateMetricName(name)).toThrow(JSON.stringify(name));
  });

  it('accepts exactly the names of the grammar (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => {
        const legal = METRIC_NAME.test(name) && !name.startsWith('__');
        if (legal) expect(() => validateMetricName(name)).not.toThrow();
        else expect(() => validateMetricName(name)).toThrow(InvalidMetricNameError);
      }),
      { numRuns: 5_000, seed: 1 },
    );
  });

  it('validates units', () => {
    expect(() => validateUnit('m', 'seconds')).not.toThrow();
    expect(() => validateUnit('m', 'per cent')).toThrow(InvalidMetricNameError);
  });
});

describe('label names', () => {
  it('accepts legal, unique names', () => {
    expect(() => validateLabelNames('m', 'counter', ['method', 'code', '_x'])).not.toThrow();
  });

  it.each<[string, string[], typeof InvalidLabelNameError]>([
    ['counter', ['bad-name'], InvalidLabelNameError],
    ['counter', ['9x'], InvalidLabelNameError],
    ['counter', ['a:b'], InvalidLabelNameError],
    ['counter', ['__name__'], ReservedLabelNameError],
    ['histogram', ['le'], ReservedLabelNameError],
    ['gaugehistogram', ['le'], ReservedLabelNameError],
    ['summary', ['quantile'], ReservedLabelNameError],
    ['stateset', ['m'], ReservedLabelNameError],
    ['gauge', ['a', 'a'], InvalidLabelNameError],
  ])('on a %s rejects %p', (type, labels, error) => {
    expect(() => validateLabelNames('m', type as never, labels)).toThrow(error);
    expect(() => validateLabelNames('m', type as never, labels)).toThrow(/"m"/);
  });

  it('le and quantile are fine where they are not reserved', () => {
    expect(() => validateLabelNames('m', 'gauge', ['le', 'quantile'])).not.toThrow();
  });

  it('accepts exactly the names of the grammar (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 10 }), (name) => {
        const legal = LABEL_NAME.test(name) && !name.startsWith('__');
        expect(isValidLabelName(name)).toBe(legal);
        if (legal) expect(() => validateLabelNames('m', 'gauge', [name])).not.toThrow();
        else expect(() => validateLabelNames('m', 'gauge', [name])).toThrow(InvalidLabelNameError);
      }),
      { numRuns: 5_000, seed: 2 },
    );
  });
});

describe('validateConstantLabels (labels on every metric: registry, runtime, module)', () => {
  it('accepts legal names with string values and returns a frozen copy', () => {
    const given = { region: 'eu', _zone: '' };
    const copy = validateConstantLabels('(test)', given);
    expect(copy).toEqual(given);
    expect(copy).not.toBe(given);
    expect(Object.isFrozen(copy)).toBe(true);
  });

  it.each([
    ['bad-name', InvalidLabelNameError],
    ['__meta', ReservedLabelNameError],
    ['le', ReservedLabelNameError],
    ['quantile', ReservedLabelNameError],
  ])('refuses %p with %p naming the owner', (name, type) => {
    expect(() => validateConstantLabels('(Registry defaultLabels)', { [name]: 'x' })).toThrow(type);
    expect(() => validateConstantLabels('(Registry defaultLabels)', { [name]: 'x' })).toThrow('(Registry defaultLabels)');
  });

  it('refuses values that are not strings, and a labels value that is not an object', () => {
    expect(() => validateConstantLabels('(o)', { a: 1 })).toThrow(InvalidOptionsError);
    expect(() => validateConstantLabels('(o)', { a: undefined })).toThrow(/must have a string value/);
    expect(() => validateConstantLabels('(o)', ['a'] as unknown as Record<string, string>)).toThrow(InvalidOptionsError);
  });

  it('accepts exactly the legal, unreserved names; anything else is a PromkitError (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), { maxKeys: 4 }), (labels) => {
        const legal = Object.keys(labels).every((n) => isValidLabelName(n) && n !== 'le' && n !== 'quantile');
        if (legal) expect(validateConstantLabels('(p)', labels)).toEqual(labels);
        else expect(() => validateConstantLabels('(p)', labels)).toThrow(PromkitError);
      }),
      { numRuns: 3_000, seed: 3 },
    );
  });
});

describe('sampleNamesOf', () => {
  it('lists every name a family exposes', () => {
    expect(sampleNamesOf('counter', 'c')).toEqual(['c', 'c_total', 'c_created']);
    expect(sampleNamesOf('histogram', 'h')).toEqual(['h', 'h_bucket', 'h_count', 'h_sum', 'h_created']);
    expect(sampleNamesOf('summary', 's')).toEqual(['s', 's_count', 's_sum', 's_created']);
    expect(sampleNamesOf('gaugehistogram', 'g')).toEqual(['g', 'g_bucket', 'g_gcount', 'g_gsum']);
    expect(sampleNamesOf('info', 'i')).toEqual(['i', 'i_info']);
    expect(sampleNamesOf('stateset', 'e')).toEqual(['e']);
  });
});
