import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contentTypeFor, negotiateFormat, OPENMETRICS_CONTENT_TYPE, parseAccept, PROTOBUF_CONTENT_TYPE, TEXT_CONTENT_TYPE, TEXT_FORMATS, type ExpositionFormat } from '../../src/exposition/index.js';

const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,' +
  'application/openmetrics-text;version=1.0.0;q=0.6,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
/** What Prometheus 2.42 sends when started with `--enable-feature=native-histograms` (read from the binary). */
const PROMETHEUS_2_42_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,' +
  'application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

describe('negotiateFormat', () => {
  const table: readonly [string | undefined | null, ExpositionFormat][] = [
    [PROMETHEUS_2_42, 'openmetrics'],
    [PROMETHEUS_3, 'openmetrics'],
    [PROMETHEUS_PROTOBUF_FIRST, 'protobuf'],
    [PROMETHEUS_2_42_NATIVE, 'protobuf'],
    // Protobuf: only when named with its message and the delimited encoding, weighed like the others.
    [PROTOBUF, 'protobuf'],
    ['Application/Vnd.Google.Protobuf; Proto="io.prometheus.client.MetricFamily"; Encoding=Delimited', 'protobuf'],
    [`${PROTOBUF};q=0.5, application/openmetrics-text;q=0.6`, 'openmetrics'],
    [`${PROTOBUF};q=0.6, application/openmetrics-text;q=0.5`, 'protobuf'],
    [`text/plain, ${PROTOBUF}`, 'text'],
    [`${PROTOBUF};q=0, */*`, 'text'],
    [`${PROTOBUF};q=0.001`, 'protobuf'],
    ['application/vnd.google.protobuf', 'text'],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily', 'text'],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', 'text'],
    ['application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'text'],
    ['application/*;q=1, text/plain;q=0.5', 'text'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics'],
    ['application/openmetrics-text;version=0.0.1', 'openmetrics'],
    ['application/openmetrics-text; version="1.0.0"; charset=utf-8', 'openmetrics'],
    ['APPLICATION/OpenMetrics-Text ; Version=1.0.0', 'openmetrics'],
    ['  application/openmetrics-text  ;  q=0.9 , text/plain ; q=0.8 ', 'openmetrics'],
    ['text/plain;q=0.2, application/openmetrics-text;q=0.3', 'openmetrics'],
    // Equal weights: the client's order decides.
    ['application/openmetrics-text, text/plain', 'openmetrics'],
    ['text/plain, application/openmetrics-text', 'text'],
    // Versions we do not write fall back to text.
    ['application/openmetrics-text;version=2.0.0', 'text'],
    ['application/openmetrics-text;version=2.0.0, application/openmetrics-text;version=1.0.0;q=0.1', 'openmetrics'],
    // q=0 refuses.
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;version=1.0.0;q=0, */*', 'text'],
    ['application/openmetrics-text;q=0.000, text/plain;q=0', 'text'],
    // A more specific range decides the weight: version=1.0.0;q=0.5 beats a bare q=0.
    ['application/openmetrics-text;q=0, application/openmetrics-text;version=1.0.0;q=0.5', 'openmetrics'],
    ['text/plain;q=0, application/openmetrics-text;q=0.1, */*', 'openmetrics'],
    ['text/plain;version=0.0.4;q=0.9, text/plain;q=0.1, application/openmetrics-text;q=0.5', 'text'],
    // Wildcards and everything else mean text.
    ['*/*', 'text'],
    ['text/*', 'text'],
    ['application/*', 'text'],
    ['text/plain', 'text'],
    ['text/plain;version=0.0.4', 'text'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text'],
    ['application/json', 'text'],
    ['', 'text'],
    [undefined, 'text'],
    [null, 'text'],
    // Garbage never throws and never picks OpenMetrics by accident.
    ['garbage', 'text'],
    [';;;,,,', 'text'],
    ['application/openmetrics-text;q=banana', 'text'],
    ['application/openmetrics-text;q=1.5', 'text'],
    ['application/openmetrics-text;version', 'text'],
    ['application/openmetrics-text;foo="a,b;q=0", text/plain;q=0.5', 'openmetrics'],
    ['/openmetrics-text', 'text'],
  ];
  it.each(table)('%j -> %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('never throws, whatever the header', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), (accept) => {
        expect(['text', 'openmetrics']).toContain(negotiateFormat(accept));
      }),
      { seed: 15 },
    );
  });

  it('offers only what the caller can send', () => {
    expect(negotiateFormat(PROMETHEUS_2_42_NATIVE, TEXT_FORMATS)).toBe('openmetrics');
    expect(negotiateFormat(PROMETHEUS_2_42_NATIVE, ['text'])).toBe('text');
    expect(negotiateFormat(PROMETHEUS_2_42_NATIVE, ['text', 'protobuf'])).toBe('protobuf');
  });
});

describe('parseAccept', () => {
  it('reads media ranges, parameters and weights', () => {
    expect(parseAccept('Application/OpenMetrics-Text; Version="1.0.0";q=0.75 , */*;q=0.1, bogus')).toEqual([
      { type: 'application', subtype: 'openmetrics-text', params: { version: '1.0.0' }, q: 0.75, index: 0 },
      { type: '*', subtype: '*', params: {}, q: 0.1, index: 1 },
    ]);
  });

  it('keeps commas and semicolons inside quoted parameter values', () => {
    const [range] = parseAccept('text/plain;x="a,b;c\\"d";q=0.5');
    expect(range.params).toEqual({ x: 'a,b;c"d' });
    expect(range.q).toBe(0.5);
  });
});

describe('content types', () => {
  it('are the ones the formats define', () => {
    expect(TEXT_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(OPENMETRICS_CONTENT_TYPE).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(contentTypeFor('text')).toBe(TEXT_CONTENT_TYPE);
    expect(contentTypeFor('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(contentTypeFor('protobuf')).toBe(PROTOBUF_CONTENT_TYPE);
    expect(PROTOBUF_CONTENT_TYPE).toBe('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
  });
});
