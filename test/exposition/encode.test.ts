import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encode, encodeChunks, encodeOpenMetrics, encodeText, type TextFormat } from '../../src/exposition/index.js';
import type { MetricFamily, Sample } from '../../src/model/index.js';
import { ALL_TYPES } from './families.js';

function bigFamily(name: string, series: number, withCreated = false): MetricFamily {
  const samples: Sample[] = [];
  for (let i = 0; i < series; i++) {
    samples.push({ name: `${name}_total`, labels: { path: `/item/${i}`, method: i % 2 === 0 ? 'GET' : 'POST' }, value: i });
    if (withCreated) samples.push({ name: `${name}_created`, labels: { path: `/item/${i}`, method: i % 2 === 0 ? 'GET' : 'POST' }, value: 1.7e9 + i });
  }
  return { name, type: 'counter', help: `Family ${name}.`, unit: '', samples };
}

const FORMATS: readonly TextFormat[] = ['text', 'openmetrics'];

describe('encode', () => {
  it('dispatches on the format', () => {
    expect(encode(ALL_TYPES, 'text')).toBe(encodeText(ALL_TYPES));
    expect(encode(ALL_TYPES, 'openmetrics')).toBe(encodeOpenMetrics(ALL_TYPES));
  });
});

describe('encodeChunks', () => {
  it.each(FORMATS)('%s: the pieces joined equal encode(), for small and huge inputs', (format) => {
    for (const families of [[], ALL_TYPES, [bigFamily('a', 5000, true), ...ALL_TYPES, bigFamily('b', 20000)]]) {
      expect([...encodeChunks(families, format)].join('')).toBe(encode(families, format));
    }
  });

  it.each(FORMATS)('%s: cuts a huge family into pieces of about the chunk size, at line ends', (format) => {
    const families = [bigFamily('big', 20000, true)];
    const pieces = [...encodeChunks(families, format, 16384)];
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) {
      expect(piece.endsWith('\n')).toBe(true);
      expect(piece.length).toBeLessThan(16384 + 200);
    }
    expect(pieces.join('')).toBe(encode(families, format));
  });

  it('is lazy: nothing after the first piece is encoded until asked for', () => {
    let reads = 0;
    function* families(): Generator<MetricFamily> {
      for (let i = 0; i < 10; i++) {
        reads++;
        yield bigFamily(`f${i}`, 3000);
      }
    }
    const chunks = encodeChunks(families(), 'text', 1024);
    chunks.next();
    expect(reads).toBe(1);
  });

  it('joins to encode() for any chunk size and any families (property)', () => {
    const label = fc.string({ unit: 'binary', maxLength: 12 });
    const sample = fc.record({ labels: fc.dictionary(fc.constantFrom('a', 'b', 'c'), label), value: fc.double() });
    const family = fc.record({ name: fc.constantFrom('x', 'y', 'z'), help: fc.string({ maxLength: 20 }), samples: fc.array(sample, { maxLength: 30 }) });
    fc.assert(
      fc.property(fc.array(family, { maxLength: 5 }), fc.integer({ min: 1, max: 500 }), fc.constantFrom(...FORMATS), (raw, size, format) => {
        const families: MetricFamily[] = raw.map((f) => ({
          name: f.name,
          type: 'gauge',
          help: f.help,
          unit: '',
          samples: f.samples.map((s) => ({ name: f.name, labels: s.labels, value: s.value })),
        }));
        expect([...encodeChunks(families, format, size)].join('')).toBe(encode(families, format));
      }),
    );
  });
});
