import { describe, expect, it, jest } from '@jest/globals';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, Counted, DECORATOR_ERRORS_METRIC, declaredObjectives, learnClassNames, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { valueOf } from './series.js';

class Checkout {
  @Timed({ objective: { latency: 0.5, target: 0.99 } })
  @Counted({ objective: { target: 0.999 } })
  pay(): void {}

  @Timed({ name: 'checkout_quote_seconds', buckets: [0.01, 0.1, 1], objective: { latency: 0.1, target: 0.95 } })
  quote(): void {}
}

describe('objective', () => {
  it('is declared with the method: metric, class, method and the objective', () => {
    learnClassNames(Checkout);
    const found = declaredObjectives().filter((o) => o.className === 'Checkout');
    expect(found).toEqual([
      { objective: { kind: 'success', target: 0.999 }, metric: 'method_counted', className: 'Checkout', methodName: 'pay', callLabelNames: [] },
      { objective: { kind: 'latency', threshold: 0.5, target: 0.99 }, metric: 'method_timed_seconds', className: 'Checkout', methodName: 'pay', callLabelNames: [] },
      { objective: { kind: 'latency', threshold: 0.1, target: 0.95 }, metric: 'checkout_quote_seconds', className: 'Checkout', methodName: 'quote', callLabelNames: [] },
    ]);
  });

  it('refuses a latency that is not a bucket bound, a target outside (0, 1), a summary, a long task and a failures-only counter', () => {
    expect(() => Timed({ objective: { latency: 0.3, target: 0.99 } })).toThrow(/bucket bounds/);
    expect(() => Timed({ buckets: [1, 2], objective: { latency: 0.5, target: 0.99 } })).toThrow(InvalidOptionsError);
    for (const target of [0, 1, 1.5, -0.1, Number.NaN]) {
      expect(() => Timed({ objective: { latency: 0.5, target } })).toThrow(InvalidOptionsError);
      expect(() => Counted({ objective: { target } })).toThrow(InvalidOptionsError);
    }
    expect(() => Timed({ percentiles: [0.5], objective: { latency: 0.5, target: 0.9 } })).toThrow(InvalidOptionsError);
    expect(() => Timed({ longTask: true, objective: { latency: 0.5, target: 0.9 } } as never)).toThrow(InvalidOptionsError);
    expect(() => Counted({ recordFailuresOnly: true, objective: { target: 0.9 } })).toThrow(InvalidOptionsError);
  });

  it('reports, and still times, a method whose container’s default buckets lack the objective’s latency', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const registry = new Registry();
      const checkout = bindMetricsRuntime(new Checkout(), new MetricsRuntime({ registry, defaultBuckets: [1, 2] }));
      checkout.pay();
      expect(await valueOf(registry, 'method_timed_seconds_count', { method: 'pay', exception: 'none' })).toBe(1);
      expect(await valueOf(registry, `${DECORATOR_ERRORS_METRIC}_total`, { metric: 'method_timed_seconds', reason: 'objective' })).toBe(1);
      // Own buckets holding the bound: nothing to report.
      expect(await valueOf(registry, `${DECORATOR_ERRORS_METRIC}_total`, { metric: 'checkout_quote_seconds', reason: 'objective' })).toBeUndefined();
    } finally {
      warn.mockRestore();
    }
  });
});
