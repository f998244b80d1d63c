// Two metric readers at once (DESIGN.md): OTLP push to the Collector, configured by the standard
// OTEL_METRICS_EXPORTER, OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT and OTEL_EXPORTER_OTLP_* variables,
// and the Prometheus pull reader served at /metrics. NodeSDK builds only one or the other from
// the environment, and its Prometheus reader would open a second port, hence this module.

import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
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
export function createOtlpMetricReaders(): MetricReader[] {
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
