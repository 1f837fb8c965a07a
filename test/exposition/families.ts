import type { MetricFamily } from '../../src/model/index.js';

/**
 * Hand-built families of every type (no instruments involved), shared by the encoder
 * tests. Values are picked to exercise the float spelling (integers as `x.0`, `1e+06`,
 * `+Inf`).
 */
export const counter: MetricFamily = {
  name: 'http_requests',
  type: 'counter',
  help: 'Requests served.',
  unit: '',
  samples: [
    { name: 'http_requests_total', labels: { method: 'GET', code: '200' }, value: 1027 },
    { name: 'http_requests_created', labels: { method: 'GET', code: '200' }, value: 1520430000.123 },
    { name: 'http_requests_total', labels: { method: 'POST', code: '500' }, value: 3 },
    { name: 'http_requests_created', labels: { method: 'POST', code: '500' }, value: 1520430001 },
  ],
};

export const gauge: MetricFamily = {
  name: 'queue_depth',
  type: 'gauge',
  help: 'Jobs waiting.',
  unit: '',
  samples: [{ name: 'queue_depth', labels: {}, value: 1e6 }],
};

export const histogram: MetricFamily = {
  name: 'latency_seconds',
  type: 'histogram',
  help: 'Request latency.',
  unit: 'seconds',
  samples: [
    { name: 'latency_seconds_bucket', labels: { le: '0.005' }, value: 0 },
    { name: 'latency_seconds_bucket', labels: { le: '0.1' }, value: 3 },
    { name: 'latency_seconds_bucket', labels: { le: '+Inf' }, value: 4 },
    { name: 'latency_seconds_count', labels: {}, value: 4 },
    { name: 'latency_seconds_sum', labels: {}, value: 0.25 },
    { name: 'latency_seconds_created', labels: {}, value: 1700000000.5 },
  ],
};

export const gaugeHistogram: MetricFamily = {
  name: 'queue_wait_seconds',
  type: 'gaugehistogram',
  help: 'Time jobs have waited.',
  unit: 'seconds',
  samples: [
    { name: 'queue_wait_seconds_bucket', labels: { le: '1.0' }, value: 2 },
    { name: 'queue_wait_seconds_bucket', labels: { le: '+Inf' }, value: 5 },
    { name: 'queue_wait_seconds_gcount', labels: {}, value: 5 },
    { name: 'queue_wait_seconds_gsum', labels: {}, value: 12.5 },
  ],
};

export const summary: MetricFamily = {
  name: 'payload_bytes',
  type: 'summary',
  help: 'Payload sizes.',
  unit: 'bytes',
  samples: [
    { name: 'payload_bytes', labels: { quantile: '0.5' }, value: 512 },
    { name: 'payload_bytes', labels: { quantile: '0.99' }, value: 2048.5 },
    { name: 'payload_bytes_count', labels: {}, value: 100 },
    { name: 'payload_bytes_sum', labels: {}, value: 61440 },
    { name: 'payload_bytes_created', labels: {}, value: 1700000000 },
  ],
};

export const info: MetricFamily = {
  name: 'build',
  type: 'info',
  help: 'Build information.',
  unit: '',
  samples: [{ name: 'build_info', labels: { version: '1.2.3', revision: 'abc' }, value: 1 }],
};

export const stateset: MetricFamily = {
  name: 'door',
  type: 'stateset',
  help: 'Door state.',
  unit: '',
  samples: [
    { name: 'door', labels: { door: 'open' }, value: 0 },
    { name: 'door', labels: { door: 'closed' }, value: 1 },
  ],
};

export const unknown: MetricFamily = {
  name: 'legacy_value',
  type: 'unknown',
  help: 'Something from elsewhere.',
  unit: '',
  samples: [{ name: 'legacy_value', labels: {}, value: -Infinity }],
};

export const ALL_TYPES: readonly MetricFamily[] = [counter, gauge, histogram, gaugeHistogram, summary, info, stateset, unknown];
