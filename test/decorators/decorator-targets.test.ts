import { describe, expect, it } from '@jest/globals';
import { Counted, ExceptionCounted, Gauged, InvalidDecoratorTargetError, Timed } from '../../src/decorators/index.js';

// Each class is defined inside the assertion: a misplaced decorator must fail while the
// class is being defined, not on the first call.
describe('decorating something that is not a method', () => {
  it('throws for a getter, naming it', () => {
    expect(() => {
      class Shelf {
        @Timed()
        get size(): number {
          return 1;
        }
      }
      return Shelf;
    }).toThrow(new InvalidDecoratorTargetError('Timed', 'Shelf.size', 'it is a getter; only methods can be instrumented'));
  });

  it('throws for a setter', () => {
    expect(() => {
      class Shelf {
        @Counted()
        set size(_value: number) {}
      }
      return Shelf;
    }).toThrow(/@Counted\(\) cannot decorate Shelf\.size: it is a setter/);
  });

  it('throws for a field', () => {
    expect(() => {
      class Shelf {
        // @ts-expect-error -- the types already reject a field; the runtime check is what is tested here
        @Gauged()
        size = 1;
      }
      return Shelf;
    }).toThrow(/@Gauged\(\) cannot decorate Shelf\.size: it is a field/);
  });

  it('throws for a generator and an async generator method', () => {
    expect(() => {
      class Feed {
        @ExceptionCounted()
        *items(): Generator<number> {
          yield 1;
        }
      }
      return Feed;
    }).toThrow(/cannot decorate Feed\.items: it is a generator method/);
    expect(() => {
      class Feed {
        @Timed()
        async *pages(): AsyncGenerator<number> {
          yield 1;
        }
      }
      return Feed;
    }).toThrow(InvalidDecoratorTargetError);
  });

  it('accepts a plain method in the same class shape', () => {
    expect(() => {
      class Shelf {
        @Timed()
        size(): number {
          return 1;
        }
      }
      return Shelf;
    }).not.toThrow();
  });
});
