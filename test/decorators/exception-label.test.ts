import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { exceptionLabelOf } from '../../src/decorators/index.js';

class DomainError extends Error {}

describe('exceptionLabelOf', () => {
  it('is the constructor name of an Error', () => {
    expect(exceptionLabelOf(new Error('x'))).toBe('Error');
    expect(exceptionLabelOf(new TypeError('x'))).toBe('TypeError');
    expect(exceptionLabelOf(new DomainError('x'))).toBe('DomainError');
    expect(exceptionLabelOf(new AggregateError([], 'x'))).toBe('AggregateError');
  });

  it('names errors from another realm too', () => {
    expect(exceptionLabelOf(runInNewContext('new RangeError("x")'))).toBe('RangeError');
  });

  it('falls back to Error for an anonymous Error subclass', () => {
    const Anonymous = (() => class extends Error {})();
    Object.defineProperty(Anonymous, 'name', { value: '' });
    expect(exceptionLabelOf(new Anonymous())).toBe('Error');
  });

  it('is typeof for anything that is not an Error, whatever its content', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        fc.pre(!(thrown instanceof Error));
        expect(exceptionLabelOf(thrown)).toBe(typeof thrown);
      }),
    );
    expect(exceptionLabelOf(null)).toBe('object');
    expect(exceptionLabelOf(undefined)).toBe('undefined');
    expect(exceptionLabelOf({ name: 'FakeError', message: 'x' })).toBe('object');
  });
});
