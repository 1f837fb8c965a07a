import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Container, injectable } from 'inversify';

@injectable()
class Thing { value = 42; }

describe('toolchain', () => {
  it('runs ESM inversify 8 under ts-jest', () => {
    const c = new Container();
    c.bind(Thing).toSelf();
    expect(c.get(Thing).value).toBe(42);
  });
});
