import { describe, expect, it } from '@jest/globals';
import { runBindingMatrix, type MatrixResult } from '../decorators/standard/binding-matrix.js';

/**
 * The binding matrix with legacy decorators (`experimentalDecorators`, what inversify
 * uses); test/decorators/standard-decorators.test.ts runs the same matrix compiled with
 * TC39 standard decorators.
 */
describe('binding matrix, legacy decorators', () => {
  let result: MatrixResult;

  it('counts every call in the container’s registry, for every binding shape, scope and call site', async () => {
    result = await runBindingMatrix();
    expect(result.cells.length).toBe(6 * 3 * 7);
    const wrong = result.cells.filter((cell) => cell.counted !== cell.calls);
    expect(wrong).toEqual([]);
  });

  it('leaves no series of those classes in the default registry, and keeps two containers apart', () => {
    expect(result.inDefault).toBe(0);
    expect(result.isolated).toEqual([1, 2]);
  });
});
