/**
 * Compile-time checks of the decorators' per-call labels. `npm run typecheck` compiles this
 * file: every `@ts-expect-error` below must mark a real type error (an unused one fails the
 * build), and the lines without it must compile. The classes that compile are run, so the
 * labels they declare are shown to be recorded.
 */
import { describe, expect, it } from '@jest/globals';
import { bindMetricsRuntime, Counted, Gauged, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { Registry } from '../../src/registry/index.js';
import { valueOf } from '../decorators/series.js';

interface Order {
  readonly channel: 'web' | 'shop';
  readonly total: number;
}

class Checkout {
  // labelsFrom typed with the method's own parameters: `order` is an Order here.
  @Counted({ name: 'typed_checkout_total', labelNames: ['channel'], labelsFrom: ([order]: Parameters<Checkout['pay']>) => ({ channel: order.channel }) })
  pay(order: Order, _attempt: number): number {
    return order.total;
  }

  // Unannotated, the arguments are unknown: any method, values turned into labels by hand.
  @Timed({ name: 'typed_lookup_seconds', labelNames: ['region'], labelsFrom: ([region]) => ({ region: String(region) }) })
  lookup(region: string): string {
    return region;
  }

  @Gauged({ name: 'typed_depth', mode: 'value', labelNames: ['queue', 'tier'], labelsFrom: ([queue, tier]: [string, number]) => ({ queue, tier }) })
  depth(_queue: string, tier: number): number {
    return tier * 2;
  }
}

// Each class below is what the compiler refuses; defined inside functions never called.
export function refused(): unknown[] {
  class WrongArguments {
    // @ts-expect-error labelsFrom takes [number], the method takes a string
    @Timed({ name: 'typed_wrong_args_seconds', labelNames: ['region'], labelsFrom: ([region]: [number]) => ({ region }) })
    find(region: string): string {
      return region;
    }
  }
  class MissingLabel {
    // @ts-expect-error labelsFrom does not return `tier`, which labelNames declares
    @Timed({ name: 'typed_missing_seconds', labelNames: ['region', 'tier'], labelsFrom: ([region]) => ({ region: String(region) }) })
    find(region: string): string {
      return region;
    }
  }
  class ExtraLabel {
    // @ts-expect-error labelsFrom returns `tier`, which labelNames does not declare
    @Timed({ name: 'typed_extra_seconds', labelNames: ['region'], labelsFrom: ([region]) => ({ region: String(region), tier: 'gold' }) })
    find(region: string): string {
      return region;
    }
  }
  class NoLabelsFrom {
    // @ts-expect-error labelNames need a labelsFrom
    @Counted({ name: 'typed_orphan_total', labelNames: ['region'] })
    find(region: string): string {
      return region;
    }
  }
  class LabelsFromAlone {
    // @ts-expect-error labelsFrom needs labelNames declaring what it returns
    @Counted({ name: 'typed_alone_total', labelsFrom: () => ({ region: 'eu' }) })
    find(region: string): string {
      return region;
    }
  }
  class NotALabelValue {
    // @ts-expect-error label values are strings or numbers
    @Counted({ name: 'typed_value_total', labelNames: ['region'], labelsFrom: () => ({ region: true }) })
    find(region: string): string {
      return region;
    }
  }
  return [WrongArguments, MissingLabel, ExtraLabel, NoLabelsFrom, LabelsFromAlone, NotALabelValue];
}

describe('typed decorator labels', () => {
  it('record what the typed labelsFrom callbacks return', async () => {
    const registry = new Registry();
    const checkout = bindMetricsRuntime(new Checkout(), new MetricsRuntime({ registry }));
    checkout.pay({ channel: 'shop', total: 3 }, 1);
    checkout.lookup('eu');
    checkout.depth('mail', 2);
    expect(await valueOf(registry, 'typed_checkout_total', { channel: 'shop', result: 'success' })).toBe(1);
    expect(await valueOf(registry, 'typed_lookup_seconds_count', { region: 'eu' })).toBe(1);
    expect(await valueOf(registry, 'typed_depth', { queue: 'mail', tier: '2' })).toBe(4);
  });
});
