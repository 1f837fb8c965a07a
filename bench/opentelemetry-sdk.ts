import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { DEFAULT_BUCKETS } from '../src/index.js';
import { labelCombinations } from './labels.js';

/** An OpenTelemetry SDK meter whose only reader is the Prometheus exporter, and its scrape. */
export interface OpenTelemetrySide {
  readonly meter: Meter;
  /**
   * What the exporter's HTTP handler does for a request, without the HTTP: `collect()` on
   * the exporter (a MetricReader), then its `PrometheusSerializer` over the result. Text
   * 0.0.4 is the exporter's only format.
   */
  scrape(): Promise<string>;
}

/** Above the largest registry the bench builds (1M series). */
const CARDINALITY_LIMIT = 2_000_000;

/** Buckets for OpenTelemetry histograms: promkit's defaults (the SDK's own differ). */
export const OTEL_BUCKETS: readonly number[] = DEFAULT_BUCKETS.filter(Number.isFinite);

/**
 * A fresh SDK (`MeterProvider` with a `PrometheusExporter`, no HTTP server started).
 * Scope labels and `target_info` are switched off, so that its output holds the same
 * series as the other libraries' and the exporter does the least work it can. A view lifts
 * the SDK's default cardinality limit (2000 series per instrument, the rest folded into
 * one overflow series), which would otherwise leave most of a 10k-series registry out.
 */
export function openTelemetrySide(): OpenTelemetrySide {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  const provider = new MeterProvider({ readers: [exporter], views: [{ instrumentName: '*', aggregationCardinalityLimit: CARDINALITY_LIMIT }] });
  return {
    meter: provider.getMeter('bench'),
    async scrape() {
      const { resourceMetrics, errors } = await exporter.collect();
      if (errors.length > 0) throw new Error(`OpenTelemetry collection failed: ${String(errors[0])}`);
      return serializer.serialize(resourceMetrics);
    },
  };
}

/**
 * The registry of registries.ts (one histogram, one counter, a series per label
 * combination each, recorded once) in the OpenTelemetry SDK.
 */
export function openTelemetryRegistry(counts: readonly number[]): OpenTelemetrySide {
  const side = openTelemetrySide();
  const histogram = side.meter.createHistogram('histogram', { description: 'histogram', advice: { explicitBucketBoundaries: [...OTEL_BUCKETS] } });
  const counter = side.meter.createCounter('counter', { description: 'counter' });
  const combos = labelCombinations(counts);
  for (const labels of combos) histogram.record(1, labels);
  for (const labels of combos) counter.add(1, labels);
  return side;
}
