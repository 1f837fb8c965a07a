import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InvalidOptionsError } from '../../src/model/index.js';
import { OVERFLOW_LABEL_VALUE } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, Counted, MetricsRuntime, Timed } from '../../src/decorators/index.js';

beforeEach(() => {
  jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
});

class Lookup {
  @Counted({ name: 'lookup_by_user_total', labelNames: ['user'], labelsFrom: ([user]) => ({ user: user as string }), maxSeries: 2 })
  find(user: string): string {
    return user;
  }
}

describe('decorator series limits', () => {
  it('folds the label sets of calls past maxSeries into the overflow series; the method is unaffected', async () => {
    const registry = new Registry();
    const lookup = bindMetricsRuntime(new Lookup(), new MetricsRuntime({ registry }));
    const users = ['ann', 'bob', 'cy', 'dee', 'ann'];
    expect(users.map((u) => lookup.find(u))).toEqual(users);
    const { families } = await registry.collect();
    const totals = families.find((f) => f.name === 'lookup_by_user')!.samples.filter((s) => s.name.endsWith('_total'));
    expect(totals.map((s) => [s.labels.user, s.value])).toEqual([
      ['ann', 2],
      ['bob', 1],
      [OVERFLOW_LABEL_VALUE, 2],
    ]);
    expect(totals[2].labels.class).toBe(OVERFLOW_LABEL_VALUE);
    const overflow = families.find((f) => f.name === 'promkit_series_overflow')!;
    expect(overflow.samples.map((s) => [s.labels.metric, s.value])).toEqual([['lookup_by_user', 2]]);
  });

  it('rejects bad limits when the class is defined, and limits on a long-task timer', () => {
    expect(() => {
      class Bad {
        @Timed({ name: 'bad_limit_seconds', maxSeries: 0 })
        run(): void {}
      }
      return Bad;
    }).toThrow(InvalidOptionsError);
    expect(() => {
      class Long {
        @Timed({ name: 'long_limit_tasks', longTask: true, seriesTtlSeconds: 60 })
        run(): void {}
      }
      return Long;
    }).toThrow(/computed at scrape time/);
  });

  it('is part of a shared metric name’s definition', () => {
    expect(() => {
      class Two {
        @Counted({ name: 'shared_limit_calls_total', maxSeries: 10 })
        a(): void {}
        @Counted({ name: 'shared_limit_calls_total' })
        b(): void {}
      }
      return Two;
    }).toThrow(/maxSeries/);
  });
});
