// The pull path of DESIGN.md: a Prometheus reader that the app serves at GET /metrics on its own
// port (no second listener), with names made identical to the Collector's exporter.
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { withUnitSuffixes } from './prometheus-names.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// The same resource labels the Collector's exporter puts on every series
// (otel-collector.yaml, resource_constant_labels), so dashboards filter both paths alike.
const RESOURCE_LABELS = /^(service\.name|deployment\.environment\.name)$/;

export interface PrometheusScrape {
  reader: PrometheusExporter;
  /** Collects every instrument now and renders the Prometheus text exposition. */
  scrape(): Promise<string>;
}

export function createPrometheusScrape(): PrometheusScrape {
  const reader = new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer(undefined, false, RESOURCE_LABELS);
  return {
    reader,
    async scrape() {
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(withUnitSuffixes(resourceMetrics));
    },
  };
}
