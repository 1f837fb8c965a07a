import { describe, expect, it } from '@jest/globals';
import { encodeText } from '../../src/exposition/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { counter, gauge, gaugeHistogram, histogram, info, stateset, summary, unknown } from './families.js';

// Expected outputs are written by hand from the Prometheus text format 0.0.4 rules and
// client_python's generate_latest mapping, not produced by the code under test.

describe('encodeText: one golden exposition per metric type', () => {
  it('counter: exposed as c_total, _created moved into its own gauge family after it', () => {
    expect(encodeText([counter])).toBe(
      '# HELP http_requests_total Requests served.\n' +
        '# TYPE http_requests_total counter\n' +
        'http_requests_total{method="GET",code="200"} 1027.0\n' +
        'http_requests_total{method="POST",code="500"} 3.0\n' +
        '# HELP http_requests_created Requests served.\n' +
        '# TYPE http_requests_created gauge\n' +
        'http_requests_created{method="GET",code="200"} 1.520430000123e+09\n' +
        'http_requests_created{method="POST",code="500"} 1.520430001e+09\n',
    );
  });

  it('gauge', () => {
    expect(encodeText([gauge])).toBe('# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth 1e+06\n');
  });

  it('histogram: buckets, count, sum, then the _created gauge; the unit is not written', () => {
    expect(encodeText([histogram])).toBe(
      '# HELP latency_seconds Request latency.\n' +
        '# TYPE latency_seconds histogram\n' +
        'latency_seconds_bucket{le="0.005"} 0.0\n' +
        'latency_seconds_bucket{le="0.1"} 3.0\n' +
        'latency_seconds_bucket{le="+Inf"} 4.0\n' +
        'latency_seconds_count 4.0\n' +
        'latency_seconds_sum 0.25\n' +
        '# HELP latency_seconds_created Request latency.\n' +
        '# TYPE latency_seconds_created gauge\n' +
        'latency_seconds_created 1.7000000005e+09\n',
    );
  });

  it('gaugehistogram: typed histogram, _gcount and _gsum become gauges (in that order)', () => {
    expect(encodeText([gaugeHistogram])).toBe(
      '# HELP queue_wait_seconds Time jobs have waited.\n' +
        '# TYPE queue_wait_seconds histogram\n' +
        'queue_wait_seconds_bucket{le="1.0"} 2.0\n' +
        'queue_wait_seconds_bucket{le="+Inf"} 5.0\n' +
        '# HELP queue_wait_seconds_gcount Time jobs have waited.\n' +
        '# TYPE queue_wait_seconds_gcount gauge\n' +
        'queue_wait_seconds_gcount 5.0\n' +
        '# HELP queue_wait_seconds_gsum Time jobs have waited.\n' +
        '# TYPE queue_wait_seconds_gsum gauge\n' +
        'queue_wait_seconds_gsum 12.5\n',
    );
  });

  it('summary: quantiles, count, sum, then _created', () => {
    expect(encodeText([summary])).toBe(
      '# HELP payload_bytes Payload sizes.\n' +
        '# TYPE payload_bytes summary\n' +
        'payload_bytes{quantile="0.5"} 512.0\n' +
        'payload_bytes{quantile="0.99"} 2048.5\n' +
        'payload_bytes_count 100.0\n' +
        'payload_bytes_sum 61440.0\n' +
        '# HELP payload_bytes_created Payload sizes.\n' +
        '# TYPE payload_bytes_created gauge\n' +
        'payload_bytes_created 1.7e+09\n',
    );
  });

  it('info: a gauge named <name>_info', () => {
    expect(encodeText([info])).toBe(
      '# HELP build_info Build information.\n# TYPE build_info gauge\nbuild_info{version="1.2.3",revision="abc"} 1.0\n',
    );
  });

  it('stateset: a gauge', () => {
    expect(encodeText([stateset])).toBe('# HELP door Door state.\n# TYPE door gauge\ndoor{door="open"} 0.0\ndoor{door="closed"} 1.0\n');
  });

  it('unknown: untyped', () => {
    expect(encodeText([unknown])).toBe('# HELP legacy_value Something from elsewhere.\n# TYPE legacy_value untyped\nlegacy_value -Inf\n');
  });

  it('writes families in the order given, each complete before the next', () => {
    expect(encodeText([gauge, stateset])).toBe(encodeText([gauge]) + encodeText([stateset]));
  });
});

describe('encodeText: details', () => {
  const one = (family: Partial<MetricFamily>): string =>
    encodeText([{ name: 'm', type: 'gauge', help: 'h', unit: '', samples: [], ...family }]);

  it('escapes backslash and newline in HELP but leaves double quotes alone', () => {
    expect(one({ help: 'Say "hi" \\ then\nnewline, literal \\n' })).toBe(
      '# HELP m Say "hi" \\\\ then\\nnewline, literal \\\\n\n# TYPE m gauge\n',
    );
  });

  it('escapes backslash, double quote and newline in label values; unicode and empty values pass', () => {
    const text = one({ samples: [{ name: 'm', labels: { a: 'x"y\\z\nw', b: 'héllo ✓ 🚀', c: '' }, value: 1 }] });
    expect(text).toBe('# HELP m h\n# TYPE m gauge\nm{a="x\\"y\\\\z\\nw",b="héllo ✓ 🚀",c=""} 1.0\n');
  });

  it('spells +Inf, -Inf, NaN, -0 and floats like client_python', () => {
    const values = [Infinity, -Infinity, NaN, -0, 0.1, 1e-5, 123456.7, 1.5e300];
    const text = one({ samples: values.map((value) => ({ name: 'm', labels: {}, value })) });
    expect(text.split('\n').slice(2, -1)).toEqual(['m +Inf', 'm -Inf', 'm NaN', 'm -0.0', 'm 0.1', 'm 1e-05', 'm 123456.7', 'm 1.5e+300']);
  });

  it('writes timestamps as integer milliseconds, rounded (1.001 s is 1001 ms)', () => {
    const text = one({
      samples: [
        { name: 'm', labels: {}, value: 1, timestamp: 1520879607.789 },
        { name: 'm', labels: { a: 'b' }, value: 2, timestamp: 1.001 },
        { name: 'm', labels: { a: 'c' }, value: 3, timestamp: 0 },
      ],
    });
    expect(text.split('\n').slice(2, -1)).toEqual(['m 1.0 1520879607789', 'm{a="b"} 2.0 1001', 'm{a="c"} 3.0 0']);
  });

  it('leaves out timestamps that cannot be written (NaN, infinite)', () => {
    const text = one({ samples: [{ name: 'm', labels: {}, value: 1, timestamp: NaN }, { name: 'm', labels: {}, value: 2, timestamp: Infinity }] });
    expect(text).toBe('# HELP m h\n# TYPE m gauge\nm 1.0\nm 2.0\n');
  });

  it('drops exemplars and units (0.0.4 has neither)', () => {
    const text = encodeText([
      {
        name: 'jobs_seconds',
        type: 'counter',
        help: 'h',
        unit: 'seconds',
        samples: [{ name: 'jobs_seconds_total', labels: {}, value: 1, exemplar: { labels: { trace_id: 'abc' }, value: 1 } }],
      },
    ]);
    expect(text).toBe('# HELP jobs_seconds_total h\n# TYPE jobs_seconds_total counter\njobs_seconds_total 1.0\n');
  });

  it('still writes HELP and TYPE for a family without samples', () => {
    expect(one({})).toBe('# HELP m h\n# TYPE m gauge\n');
    expect(encodeText([{ ...counter, samples: [] }])).toBe('# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n');
  });

  it('writes no HELP line for an empty help', () => {
    expect(one({ help: '', samples: [{ name: 'm', labels: {}, value: 1 }] })).toBe('# TYPE m gauge\nm 1.0\n');
  });

  it('writes nothing for no families', () => {
    expect(encodeText([])).toBe('');
  });

  it('accepts any iterable of families', () => {
    function* families(): Generator<MetricFamily> {
      yield gauge;
    }
    expect(encodeText(families())).toBe(encodeText([gauge]));
  });
});
