import { describe, expect, it } from '@jest/globals';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, ExceptionCounted, MetricsRuntime } from '../../src/decorators/index.js';
import { samplesOf, valueOf } from './series.js';

class ParseError extends SyntaxError {}

class Importer {
  @ExceptionCounted()
  parse(line: string): number {
    if (line === '') throw new ParseError('empty line');
    if (line === 'x') throw new TypeError('not a number');
    if (line === 'obj') throw { code: 42 };
    return Number(line);
  }

  @ExceptionCounted({ errors: [SyntaxError, RangeError] })
  async load(kind: string): Promise<string> {
    await Promise.resolve();
    if (kind === 'syntax') throw new ParseError('bad');
    if (kind === 'range') throw new RangeError('too big');
    if (kind === 'type') throw new TypeError('wrong');
    return kind;
  }
}

function bound(): { registry: Registry; importer: Importer } {
  const registry = new Registry();
  return { registry, importer: bindMetricsRuntime(new Importer(), new MetricsRuntime({ registry })) };
}

const total = 'method_exceptions_total';

describe('@ExceptionCounted()', () => {
  it('counts failures only, by error class, and always rethrows the same error', async () => {
    const { registry, importer } = bound();
    expect(importer.parse('12')).toBe(12);
    const thrown: unknown[] = [];
    for (const line of ['', '', 'x', 'obj']) {
      try {
        importer.parse(line);
      } catch (error) {
        thrown.push(error);
      }
    }
    expect(thrown[0]).toBeInstanceOf(ParseError);
    expect(thrown[2]).toBeInstanceOf(TypeError);
    expect(thrown[3]).toEqual({ code: 42 });
    expect(await valueOf(registry, total, { class: 'Importer', method: 'parse', exception: 'ParseError' })).toBe(2);
    expect(await valueOf(registry, total, { method: 'parse', exception: 'TypeError' })).toBe(1);
    // A thrown plain object is labelled by its typeof, never by its content.
    expect(await valueOf(registry, total, { method: 'parse', exception: 'object' })).toBe(1);
    expect(await samplesOf(registry, total, { exception: 'none' })).toEqual([]);
  });

  it('with errors: [...] counts only instances of those classes (subclasses included), rethrowing all', async () => {
    const { registry, importer } = bound();
    await expect(importer.load('syntax')).rejects.toBeInstanceOf(ParseError);
    await expect(importer.load('range')).rejects.toBeInstanceOf(RangeError);
    await expect(importer.load('type')).rejects.toBeInstanceOf(TypeError);
    await expect(importer.load('fine')).resolves.toBe('fine');
    expect(await valueOf(registry, total, { method: 'load', exception: 'ParseError' })).toBe(1);
    expect(await valueOf(registry, total, { method: 'load', exception: 'RangeError' })).toBe(1);
    expect(await samplesOf(registry, total, { method: 'load', exception: 'TypeError' })).toEqual([]);
  });

  it('rejects an errors option that is not a list of classes', () => {
    expect(() => ExceptionCounted({ errors: ['TypeError' as unknown as typeof TypeError] })).toThrow(/list of error classes/);
  });
});
