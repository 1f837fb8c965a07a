import { describe, expect, it } from '@jest/globals';
import { encodeText, filterFamilies } from '../../src/exposition/index.js';
import { ALL_TYPES, counter, gauge, histogram } from './families.js';

describe('filterFamilies (name[] with client_python restricted_registry semantics)', () => {
  it('keeps only the samples whose name is selected, in their order', () => {
    const [kept] = filterFamilies([counter], ['http_requests_total']);
    expect(kept.name).toBe('http_requests');
    expect(kept.samples.map((s) => [s.name, s.labels.method])).toEqual([
      ['http_requests_total', 'GET'],
      ['http_requests_total', 'POST'],
    ]);
  });

  it('selects histogram parts by their sample names', () => {
    const [kept] = filterFamilies([histogram], ['latency_seconds_bucket', 'latency_seconds_sum']);
    expect(kept.samples.map((s) => s.name)).toEqual([
      'latency_seconds_bucket',
      'latency_seconds_bucket',
      'latency_seconds_bucket',
      'latency_seconds_sum',
    ]);
    expect(kept.unit).toBe('seconds');
  });

  it('drops families left without samples; a counter family name alone selects nothing', () => {
    expect(filterFamilies(ALL_TYPES, ['http_requests'])).toEqual([]);
    expect(filterFamilies(ALL_TYPES, ['no_such_metric'])).toEqual([]);
    expect(filterFamilies(ALL_TYPES, [])).toEqual([]);
  });

  it('selects across families', () => {
    const kept = filterFamilies(ALL_TYPES, ['queue_depth', 'build_info', 'door']);
    expect(kept.map((f) => f.name)).toEqual(['queue_depth', 'build', 'door']);
    expect(kept[0]).toBe(gauge);
  });

  it('a selected _created alone still encodes as client_python does', () => {
    expect(encodeText(filterFamilies([counter], ['http_requests_created']))).toBe(
      '# HELP http_requests_total Requests served.\n' +
        '# TYPE http_requests_total counter\n' +
        '# HELP http_requests_created Requests served.\n' +
        '# TYPE http_requests_created gauge\n' +
        'http_requests_created{method="GET",code="200"} 1.520430000123e+09\n' +
        'http_requests_created{method="POST",code="500"} 1.520430001e+09\n',
    );
  });
});
