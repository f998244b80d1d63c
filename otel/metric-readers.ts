// Both metric paths of DESIGN.md: OTLP push to the Collector, configured by the standard
// OTEL_METRICS_EXPORTER, OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT and OTEL_EXPORTER_OTLP_* variables,
// and the Prometheus pull at /metrics. NodeSDK builds only one or the other from the environment,
// and its Prometheus reader would open a second port, hence this module.
//
// Every reader keeps its own copy of every series and every measurement is recorded into each,
// so when the push reader is cumulative (the default) /metrics is served from that same reader:
// collecting a cumulative reader on demand changes nothing it exports. Only a delta or
// low-memory push (or no push at all) gets a separate pull reader.

import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

const DEFAULT_EXPORT_INTERVAL_MS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

function otlpMetricExporter() {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  return protocol === 'http/json' ? new OTLPMetricExporterJson() : new OTLPMetricExporterProto();
}

/** The OTLP push reader, or none when OTEL_METRICS_EXPORTER says `none` or leaves out `otlp`. */
function createOtlpMetricReaders(): MetricReader[] {
  const listed = getStringListFromEnv('OTEL_METRICS_EXPORTER') ?? [];
  const exporters = listed.length > 0 ? listed : ['otlp'];
  if (exporters.includes('none') || !exporters.includes('otlp')) return [];
  const interval = getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? DEFAULT_EXPORT_INTERVAL_MS;
  const timeout = Math.min(getNumberFromEnv('OTEL_METRIC_EXPORT_TIMEOUT') ?? DEFAULT_EXPORT_TIMEOUT_MS, interval);
  return [
    new PeriodicExportingMetricReader({
      exporter: otlpMetricExporter(),
      exportIntervalMillis: interval,
      exportTimeoutMillis: timeout,
    }),
  ];
}

export interface MetricReaders {
  /** Readers to give the MeterProvider. */
  readers: MetricReader[];
  /** The reader /metrics collects from. */
  pull: MetricReader;
}

export function createMetricReaders(): MetricReaders {
  const [push] = createOtlpMetricReaders();
  const temporality = (
    getStringFromEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE') ?? 'cumulative'
  ).toLowerCase();
  if (push && temporality === 'cumulative') return { readers: [push], pull: push };
  const pull = new PrometheusExporter({ preventServerStart: true });
  return { readers: push ? [push, pull] : [pull], pull };
}
