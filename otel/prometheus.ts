// The pull path (docs/architecture.md, "Signal flow"): the app serves GET /metrics on its own port (no second listener),
// rendering a metric reader's collection (see metric-readers.ts for which reader) with names
// made identical to the Collector's exporter.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { withUnitSuffixes } from './prometheus-names.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// The same resource labels the Collector's exporter puts on every series
// (otel-collector.yaml, resource_constant_labels), so dashboards filter both paths alike.
const RESOURCE_LABELS = /^(service\.name|deployment\.environment\.name)$/;

/** Collects every instrument now from `reader` and renders the Prometheus text exposition. */
export function createPrometheusScrape(reader: MetricReader): () => Promise<string> {
  const serializer = new PrometheusSerializer(undefined, false, RESOURCE_LABELS);
  return async () => {
    const { resourceMetrics } = await reader.collect();
    return serializer.serialize(withUnitSuffixes(resourceMetrics));
  };
}
