import { describe, expect, it } from '@jest/globals';
import { encodeProtobuf } from '../../src/exposition/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { describeWithBinaries } from '../support/binaries.js';
import { decodeWithOracle, PROTOBUF_ORACLE_BINARIES } from '../support/protobuf-oracle.js';
import { encodeOpenMetrics } from '../../src/exposition/index.js';
import { familyOf } from './series.js';

class Lookups {
  @Timed({ name: 'lookup_seconds', native: true })
  find(id: string): string {
    if (id === '') throw new RangeError('empty id');
    return id;
  }

  @Timed({ name: 'coarse_seconds', buckets: [0.5], native: { bucketFactor: 4, maxBuckets: 2 } })
  slow(): number {
    return 1;
  }
}

function setUp(): { registry: Registry; lookups: Lookups } {
  const registry = new Registry();
  return { registry, lookups: bindMetricsRuntime(new Lookups(), new MetricsRuntime({ registry })) };
}

describe('@Timed({ native })', () => {
  it('records every call into native buckets beside the classic ones, per outcome', async () => {
    const { registry, lookups } = setUp();
    lookups.find('a');
    lookups.find('b');
    expect(() => lookups.find('')).toThrow(RangeError);
    const family = await familyOf(registry, 'lookup_seconds');
    expect(family?.samples.filter((s) => s.name === 'lookup_seconds_bucket').length).toBe(2 * 15); // the default classic buckets, per outcome
    const natives = family?.nativeHistograms ?? [];
    expect(natives.map((n) => [n.labels.exception, n.histogram.count, n.histogram.schema])).toEqual([
      ['none', 2, 3],
      ['RangeError', 1, 3],
    ]);
    expect(natives[0].histogram.positiveCounts.reduce((a, b) => a + b, 0) + natives[0].histogram.zeroCount).toBe(2);
  });

  it('takes native options (schema from the factor, maxBuckets) and refuses them with percentiles or longTask', async () => {
    const { registry, lookups } = setUp();
    lookups.slow();
    const family = await familyOf(registry, 'coarse_seconds');
    expect(family?.nativeHistograms?.[0].histogram.schema).toBe(-1);
    expect(() => Timed({ name: 'x_seconds', percentiles: [0.5], native: true })).toThrow(InvalidOptionsError);
    expect(() => Timed({ longTask: true, native: true })).toThrow(/native/);
    expect(() => Timed({ name: 'y_seconds', native: { bucketFactor: 0.5 } })).toThrow(/bucketFactor/);
  });
});

describeWithBinaries(PROTOBUF_ORACLE_BINARIES, '@Timed native histograms in the protobuf exposition', () => {
  it('decode with the official metrics.proto to native histograms with the calls counted', async () => {
    const { registry, lookups } = setUp();
    for (let i = 0; i < 5; i++) lookups.find(String(i));
    const families = (await registry.collect({ names: ['lookup_seconds_bucket'] })).families;
    const [result] = await decodeWithOracle([{ protobuf: encodeProtobuf(families), openmetrics: encodeOpenMetrics(families) }]);
    expect(result.native.map((n) => [n.labels.method, n.labels.exception, n.count, n.schema])).toEqual([['find', 'none', 5, 3]]);
  });
});
