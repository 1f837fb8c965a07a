import { describe, expect, it } from '@jest/globals';
import { encodeOpenMetrics } from '../../src/exposition/index.js';
import type { MetricFamily, Sample } from '../../src/model/index.js';
import { ALL_TYPES, counter, gauge, gaugeHistogram, histogram, info, stateset, summary, unknown } from './families.js';

// Expected outputs are written by hand from the OpenMetrics 1.0 specification (ABNF,
// metadata order TYPE, UNIT, HELP; escaping; exemplars; `# EOF`).

const EOF = '# EOF\n';

describe('encodeOpenMetrics: one golden exposition per metric type', () => {
  it('counter: family name without _total, _total and _created samples as given', () => {
    expect(encodeOpenMetrics([counter])).toBe(
      '# TYPE http_requests counter\n' +
        '# HELP http_requests Requests served.\n' +
        'http_requests_total{method="GET",code="200"} 1027.0\n' +
        'http_requests_created{method="GET",code="200"} 1.520430000123e+09\n' +
        'http_requests_total{method="POST",code="500"} 3.0\n' +
        'http_requests_created{method="POST",code="500"} 1.520430001e+09\n' +
        EOF,
    );
  });

  it('gauge', () => {
    expect(encodeOpenMetrics([gauge])).toBe('# TYPE queue_depth gauge\n# HELP queue_depth Jobs waiting.\nqueue_depth 1e+06\n' + EOF);
  });

  it('histogram with a unit', () => {
    expect(encodeOpenMetrics([histogram])).toBe(
      '# TYPE latency_seconds histogram\n' +
        '# UNIT latency_seconds seconds\n' +
        '# HELP latency_seconds Request latency.\n' +
        'latency_seconds_bucket{le="0.005"} 0.0\n' +
        'latency_seconds_bucket{le="0.1"} 3.0\n' +
        'latency_seconds_bucket{le="+Inf"} 4.0\n' +
        'latency_seconds_count 4.0\n' +
        'latency_seconds_sum 0.25\n' +
        'latency_seconds_created 1.7000000005e+09\n' +
        EOF,
    );
  });

  it('gaugehistogram', () => {
    expect(encodeOpenMetrics([gaugeHistogram])).toBe(
      '# TYPE queue_wait_seconds gaugehistogram\n' +
        '# UNIT queue_wait_seconds seconds\n' +
        '# HELP queue_wait_seconds Time jobs have waited.\n' +
        'queue_wait_seconds_bucket{le="1.0"} 2.0\n' +
        'queue_wait_seconds_bucket{le="+Inf"} 5.0\n' +
        'queue_wait_seconds_gcount 5.0\n' +
        'queue_wait_seconds_gsum 12.5\n' +
        EOF,
    );
  });

  it('summary', () => {
    expect(encodeOpenMetrics([summary])).toBe(
      '# TYPE payload_bytes summary\n' +
        '# UNIT payload_bytes bytes\n' +
        '# HELP payload_bytes Payload sizes.\n' +
        'payload_bytes{quantile="0.5"} 512.0\n' +
        'payload_bytes{quantile="0.99"} 2048.5\n' +
        'payload_bytes_count 100.0\n' +
        'payload_bytes_sum 61440.0\n' +
        'payload_bytes_created 1.7e+09\n' +
        EOF,
    );
  });

  it('info: family name without _info', () => {
    expect(encodeOpenMetrics([info])).toBe(
      '# TYPE build info\n# HELP build Build information.\nbuild_info{version="1.2.3",revision="abc"} 1.0\n' + EOF,
    );
  });

  it('stateset', () => {
    expect(encodeOpenMetrics([stateset])).toBe('# TYPE door stateset\n# HELP door Door state.\ndoor{door="open"} 0.0\ndoor{door="closed"} 1.0\n' + EOF);
  });

  it('unknown', () => {
    expect(encodeOpenMetrics([unknown])).toBe('# TYPE legacy_value unknown\n# HELP legacy_value Something from elsewhere.\nlegacy_value -Inf\n' + EOF);
  });

  it('ends every exposition with exactly one # EOF, also an empty one', () => {
    expect(encodeOpenMetrics([])).toBe(EOF);
    const all = encodeOpenMetrics(ALL_TYPES);
    expect(all.endsWith('\n' + EOF)).toBe(true);
    expect(all.split('\n').filter((line) => line === '# EOF')).toHaveLength(1);
  });
});

describe('encodeOpenMetrics: details', () => {
  const one = (family: Partial<MetricFamily>): string =>
    encodeOpenMetrics([{ name: 'm', type: 'gauge', help: 'h', unit: '', samples: [], ...family }]);
  const lines = (family: Partial<MetricFamily>): string[] => one(family).split('\n').filter((l) => l !== '' && !l.startsWith('#'));

  it('escapes backslash, double quote and newline in HELP', () => {
    expect(one({ help: 'Say "hi" \\ then\nnewline' })).toBe('# TYPE m gauge\n# HELP m Say \\"hi\\" \\\\ then\\nnewline\n' + EOF);
  });

  it('escapes label values like the ABNF; unicode, NUL and empty values pass as they are', () => {
    expect(lines({ samples: [{ name: 'm', labels: { a: 'x"y\\z\nw', b: 'ünï ✓ 🚀', c: '', d: 'nul\u0000' }, value: 1 }] })).toEqual([
      'm{a="x\\"y\\\\z\\nw",b="ünï ✓ 🚀",c="",d="nul\u0000"} 1.0',
    ]);
  });

  it('writes no UNIT line without a unit, and no HELP line for an empty help', () => {
    expect(one({ help: '' })).toBe('# TYPE m gauge\n' + EOF);
    expect(one({ name: 'm_bytes', unit: 'bytes', help: '' })).toBe('# TYPE m_bytes gauge\n# UNIT m_bytes bytes\n' + EOF);
  });

  it('writes sample timestamps in seconds, without exponents', () => {
    expect(
      lines({
        samples: [
          { name: 'm', labels: {}, value: 17, timestamp: 1520879607.789 },
          { name: 'm', labels: {}, value: 18, timestamp: 1520879608 },
          { name: 'm', labels: {}, value: 19, timestamp: 1e-7 },
          { name: 'm', labels: {}, value: 20, timestamp: NaN },
        ],
      }),
    ).toEqual(['m 17.0 1520879607.789', 'm 18.0 1520879608', 'm 19.0 0.0000001', 'm 20.0']);
  });

  const traced = { labels: { trace_id: 'KOO5S4vxi0o' }, value: 0.67 };

  it('writes exemplars on counter _total samples, with and without timestamp', () => {
    const samples: Sample[] = [
      { name: 'jobs_total', labels: {}, value: 17, exemplar: { ...traced, timestamp: 1520879607.789 } },
      { name: 'jobs_created', labels: {}, value: 1520430000, exemplar: traced },
    ];
    expect(lines({ name: 'jobs', type: 'counter', samples })).toEqual([
      'jobs_total 17.0 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789',
      'jobs_created 1.52043e+09',
    ]);
  });

  it('writes exemplars on histogram and gaugehistogram buckets only; an empty exemplar label set is {}', () => {
    const samples = (name: string): Sample[] => [
      { name: `${name}_bucket`, labels: { le: '0.1' }, value: 8, exemplar: { labels: {}, value: 0.054 } },
      { name: `${name}_bucket`, labels: { le: '+Inf' }, value: 11, exemplar: { labels: { trace_id: 'a"b' }, value: 9.8, timestamp: 1520879607.789 } },
      { name: `${name}_count`, labels: {}, value: 11, exemplar: traced },
      { name: `${name}_sum`, labels: {}, value: 12, exemplar: traced },
    ];
    expect(lines({ name: 'h', type: 'histogram', samples: samples('h') })).toEqual([
      'h_bucket{le="0.1"} 8.0 # {} 0.054',
      'h_bucket{le="+Inf"} 11.0 # {trace_id="a\\"b"} 9.8 1520879607.789',
      'h_count 11.0',
      'h_sum 12.0',
    ]);
    expect(lines({ name: 'g', type: 'gaugehistogram', samples: samples('g') })[0]).toBe('g_bucket{le="0.1"} 8.0 # {} 0.054');
  });

  it('drops exemplars where the spec allows none (gauge, summary, info...)', () => {
    for (const type of ['gauge', 'summary', 'unknown', 'stateset', 'info'] as const) {
      expect(lines({ type, samples: [{ name: 'm', labels: {}, value: 1, exemplar: traced }] })).toEqual(['m 1.0']);
    }
  });

  it('drops exemplars whose labels exceed 128 code points, keeps those of exactly 128', () => {
    const exactly = { labels: { trace_id: 'x'.repeat(128 - 'trace_id'.length) }, value: 1 };
    const over = { labels: { trace_id: 'x'.repeat(129 - 'trace_id'.length) }, value: 1 };
    // Astral characters count once each, not as two UTF-16 units.
    const astral = { labels: { t: '🚀'.repeat(127) }, value: 1 };
    const written = lines({
      name: 'c',
      type: 'counter',
      samples: [
        { name: 'c_total', labels: { n: '1' }, value: 1, exemplar: exactly },
        { name: 'c_total', labels: { n: '2' }, value: 1, exemplar: over },
        { name: 'c_total', labels: { n: '3' }, value: 1, exemplar: astral },
      ],
    });
    expect(written[0]).toBe(`c_total{n="1"} 1.0 # {trace_id="${'x'.repeat(120)}"} 1.0`);
    expect(written[1]).toBe('c_total{n="2"} 1.0');
    expect(written[2]).toBe(`c_total{n="3"} 1.0 # {t="${'🚀'.repeat(127)}"} 1.0`);
  });

  it('writes families without samples as metadata only', () => {
    expect(one({})).toBe('# TYPE m gauge\n# HELP m h\n' + EOF);
  });
});
