import { describe, expect, it } from '@jest/globals';
import { InvalidLabelNameError, InvalidOptionsError, InvalidMetricNameError, ReservedLabelNameError } from '../../src/model/index.js';
import { Counted, Timed } from '../../src/decorators/index.js';

describe('one metric name, one definition', () => {
  it('lets many methods share the default name with the default labels', () => {
    expect(() => {
      class A {
        @Timed()
        one(): void {}
        @Timed()
        two(): void {}
      }
      class B {
        @Timed()
        three(): void {}
      }
      return [A, B];
    }).not.toThrow();
  });

  it('throws at definition when a method adds labels under a shared name, telling it to take its own name', () => {
    let error: unknown;
    try {
      class Orders {
        @Timed()
        list(): void {}
      }
      class Tenants {
        @Timed({ labelNames: ['tenant'], labelsFrom: () => ({ tenant: 't' }) })
        find(): void {}
      }
      void [Orders, Tenants];
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    const message = (error as Error).message;
    expect(message).toContain('method_timed_seconds');
    expect(message).toContain('Tenants.find');
    expect(message).toContain('[class, method, exception, tenant]');
    expect(message).toContain('give Tenants.find its own name');
  });

  it('throws when constant labels differ, or when another decorator type reuses the name', () => {
    expect(() => {
      class C {
        @Counted({ name: 'shared_calls_total', labels: { layer: 'db' } })
        a(): void {}
        @Counted({ name: 'shared_calls_total', labels: { tier: 'db' } })
        b(): void {}
      }
      return C;
    }).toThrow(/C\.b .*has the labels \[class, method, result, exception, tier\]/);
    expect(() => {
      class D {
        @Timed({ name: 'mixed_metric' })
        a(): void {}
        @Counted({ name: 'mixed_metric' })
        b(): void {}
      }
      return D;
    }).toThrow(/records a counter but .* records a histogram/);
  });

  it('accepts the same labels under a shared custom name', () => {
    expect(() => {
      class E {
        @Counted({ name: 'tenant_calls_total', labelNames: ['tenant'], labelsFrom: () => ({ tenant: 'x' }) })
        a(): void {}
        @Counted({ name: 'tenant_calls', labelNames: ['tenant'], labelsFrom: () => ({ tenant: 'y' }) })
        b(): void {}
      }
      return E;
    }).not.toThrow();
  });

  it('rejects bad names and labels at definition time', () => {
    expect(() => Timed({ name: 'bad-name' })(Object.prototype, 'x', { value: () => 1 })).toThrow(InvalidMetricNameError);
    expect(() => {
      class F {
        @Timed({ name: 'reserved_seconds', labels: { class: 'x' } })
        a(): void {}
      }
      return F;
    }).toThrow(/label "class" is set by the decorator itself/);
    expect(() => {
      class G {
        @Timed({ name: 'le_seconds', labels: { le: 'x' } })
        a(): void {}
      }
      return G;
    }).toThrow(/@Timed\(\) on G\.a: "le" is reserved on a histogram/);
    // The instruments' own error classes, with the annotation to fix in the message.
    expect(() => {
      class G2 {
        @Counted({ name: 'dup_calls', labelNames: ['tenant', 'tenant'], labelsFrom: () => ({ tenant: 'a' }) })
        a(): void {}
      }
      return G2;
    }).toThrow(InvalidLabelNameError);
    expect(() => {
      class G3 {
        @Timed({ name: 'q_seconds', percentiles: [0.5], labels: { quantile: 'x' } })
        a(): void {}
      }
      return G3;
    }).toThrow(ReservedLabelNameError);
    expect(() => {
      class G4 {
        @Timed({ name: 'meta_seconds', labels: { __meta: 'x' } })
        a(): void {}
      }
      return G4;
    }).toThrow(/@Timed\(\) on G4\.a: label names starting with "__" are reserved/);
    expect(() => {
      class H {
        // @ts-expect-error labelNames without labelsFrom: refused by the compiler, and at run time
        @Timed({ name: 'orphan_seconds', labelNames: ['tenant'] })
        a(): void {}
      }
      return H;
    }).toThrow(/need a labelsFrom/);
  });
});
