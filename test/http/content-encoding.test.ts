import { describe, expect, it } from '@jest/globals';
import { acceptsGzip } from '../../src/http/index.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['GZip;q=0.5', true],
    ['x-gzip', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['*', true],
    ['identity, *;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['br, *;q=0', false],
    ['deflate, br', false],
    ['identity', false],
    ['', false],
    ['gzip;q=banana', false],
  ])('%j -> %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('reads missing and repeated headers', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip(null)).toBe(false);
    expect(acceptsGzip(['br', 'gzip'])).toBe(true);
  });
});
