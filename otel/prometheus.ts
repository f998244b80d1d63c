// The pull path (docs/architecture.md, "Signal flow"): the app serves GET /metrics on its own port (no second listener),
// rendering a metric reader's collection (see metric-readers.ts for which reader) with names
// made identical to the Collector's exporter.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { withUnitSuffixes } from './workarounds/prometheus-names.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// The same resource labels the Collector's exporter puts on every series
// (otel-collector.yaml, resource_constant_labels), so dashboards filter both paths alike.
const RESOURCE_LABELS = /^(service\.name|deployment\.environment\.name)$/;

/**
 * How long one rendered page answers further scrapes. A collection runs every observable
 * instrument, and the host metrics among them start processes (`ip route`, `cat` of
 * /sys/class/net) each time: clients scraping at once each ran one, and starved /healthz
 * (test/faults/floods.test.ts). Prometheus scrapes every 15 s, so a second-old page costs it
 * nothing.
 */
export const SCRAPE_CACHE_MS = 1_000;

/**
 * Collects every instrument from `reader` and renders the Prometheus text exposition. Scrapes
 * that arrive while one collection runs share it (single flight), and for `cacheMs` after it
 * ends they get its page.
 */
export function createPrometheusScrape(reader: MetricReader, cacheMs = SCRAPE_CACHE_MS): () => Promise<string> {
  const serializer = new PrometheusSerializer(undefined, false, RESOURCE_LABELS);
  let running: Promise<string> | undefined;
  let last: { page: string; at: number } | undefined;
  const collect = async () => {
    try {
      const { resourceMetrics } = await reader.collect();
      const page = serializer.serialize(withUnitSuffixes(resourceMetrics));
      last = { page, at: performance.now() };
      return page;
    } finally {
      running = undefined;
    }
  };
  return () => {
    if (last && performance.now() - last.at < cacheMs) return Promise.resolve(last.page);
    running ??= collect();
    return running;
  };
}
