// /metrics with 10,000 series: the same Prometheus reader and name translation the service uses
// (otel/prometheus.ts), fed by a counter with 10,000 distinct attribute sets.
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createPrometheusScrape } from '../otel/prometheus.js';

export async function measureScrape(
  series = 10_000,
  runs = 20,
): Promise<{ series: number; bytes: number; medianMs: number; p90Ms: number }> {
  const reader = new PrometheusExporter({ preventServerStart: true });
  const scrape = createPrometheusScrape(reader);
  const provider = new MeterProvider({ readers: [reader] });
  const counter = provider.getMeter('bench').createCounter('bench.requests', { unit: '{request}' });
  for (let i = 0; i < series; i++) counter.add(1, { 'bench.key': `value-${i}`, 'http.route': '/bench' });
  let bytes = 0;
  const times: number[] = [];
  await scrape(); // first collection allocates the storage
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const text = await scrape();
    times.push(performance.now() - started);
    bytes = Buffer.byteLength(text);
  }
  await provider.shutdown();
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round((times[Math.floor(q * (times.length - 1))] as number) * 10) / 10;
  return { series, bytes, medianMs: at(0.5), p90Ms: at(0.9) };
}
