// Both metric paths (docs/architecture.md, "Signal flow"): OTLP push to the Collector, configured by the standard
// OTEL_METRICS_EXPORTER, OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT and OTEL_EXPORTER_OTLP_* variables,
// and the Prometheus pull at /metrics. NodeSDK builds only one or the other from the environment,
// and its Prometheus reader would open a second port, hence this module.
//
// Every reader keeps its own copy of every series and every measurement is recorded into each,
// so when the push reader is cumulative (the default) /metrics is served from that same reader:
// collecting a cumulative reader on demand changes nothing it exports. Only a delta or
// low-memory push (or no push at all) gets a separate pull reader.

import type { MeterProvider } from '@opentelemetry/api';
import { getNumberFromEnv, getStringFromEnv } from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPMetricExporterGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { exportsOtlp, otlpProtocol } from './export-targets.js';
import { deadlineOptions } from './workarounds/export-deadline.js';

const DEFAULT_EXPORT_INTERVAL_MS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

/** The OTLP metric exporter for the protocol the standard variables name, as traces and logs use. */
function otlpMetricExporter() {
  const protocol = otlpProtocol('METRICS');
  if (protocol === 'grpc') return new OTLPMetricExporterGrpc();
  // A deadline on each whole export, as for traces (export-deadline.ts).
  const options = deadlineOptions('METRICS');
  return protocol === 'http/json' ? new OTLPMetricExporterJson(options) : new OTLPMetricExporterProto(options);
}

type OtlpMetricExporter = ReturnType<typeof otlpMetricExporter>;

/** The OTLP push reader, or none when OTEL_METRICS_EXPORTER says `none` or leaves out `otlp`. */
function createOtlpMetricReader(): { reader: MetricReader; exporter: OtlpMetricExporter } | undefined {
  if (!exportsOtlp('METRICS')) return undefined;
  const interval = getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? DEFAULT_EXPORT_INTERVAL_MS;
  const timeout = Math.min(getNumberFromEnv('OTEL_METRIC_EXPORT_TIMEOUT') ?? DEFAULT_EXPORT_TIMEOUT_MS, interval);
  const exporter = otlpMetricExporter();
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: interval,
    exportTimeoutMillis: timeout,
  });
  return { reader, exporter };
}

export interface MetricReaders {
  /** Readers to give the MeterProvider. */
  readers: MetricReader[];
  /** The reader /metrics collects from. */
  pull: MetricReader;
  /**
   * Lets the OTLP metric exporter count its own exports (`otel.sdk.exporter.*`) once the
   * MeterProvider exists; the SDK builds that provider only in start(), after the exporter.
   */
  observeExporter(provider: MeterProvider): void;
}

export function createMetricReaders(): MetricReaders {
  const push = createOtlpMetricReader();
  const observeExporter = (provider: MeterProvider) => push?.exporter.setSelfObsMeterProvider(provider);
  const temporality = (
    getStringFromEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE') ?? 'cumulative'
  ).toLowerCase();
  if (push && temporality === 'cumulative') return { readers: [push.reader], pull: push.reader, observeExporter };
  const pull = new PrometheusExporter({ preventServerStart: true });
  return { readers: push ? [push.reader, pull] : [pull], pull, observeExporter };
}
