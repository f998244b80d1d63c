// The SDK bootstrap: one NodeSDK with the resource, the instrumentations, both metric readers, and
// traces and logs exported as the standard OTEL_* variables say (OTLP/HTTP protobuf to
// OTEL_EXPORTER_OTLP_ENDPOINT by default, batched, bounded queues that drop rather than block).
// otel/register.ts starts it before any application module loads; the app reads its state
// through telemetry() to serve /metrics and /readyz.
import { metrics } from '@opentelemetry/api';
import { getBooleanFromEnv, getStringFromEnv, W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { installExportErrorReporter } from './export-errors.js';
import { startHostMetrics } from './host-metrics.js';
import { createInstrumentations } from './instrumentations.js';
import { createMetricReaders } from './metric-readers.js';
import { createPrometheusScrape } from './prometheus.js';

export { PROMETHEUS_CONTENT_TYPE } from './prometheus.js';

import { deadlineTraceExporter } from './export-deadline.js';
import { serviceName } from './identity.js';
import { createRelayExporters, type RelayExporters } from './relay-exporters.js';
import { createResource } from './resource.js';
import { RESOURCE_DETECTORS } from './resource-detectors.js';
import { applySdkDefaults } from './sdk-defaults.js';
import { SDK_SELF_METRIC_VIEWS } from './sdk-self-metrics.js';
import { bridgeLegacyLogsApi } from './winston-logs-bridge.js';

export type TelemetryStatus = 'started' | 'disabled' | 'not-loaded';

export interface Telemetry {
  /** `not-loaded` when the process was started without `--import ./dist/otel/register.js`. */
  readonly status: TelemetryStatus;
  /** Prometheus text exposition of every instrument (empty when the SDK is not running). */
  scrape(): Promise<string>;
  /**
   * What the browser relay sends the page's spans and log records with: absent while the SDK is
   * not running, a signal absent when the SDK does not export it over OTLP.
   */
  readonly relay?: Omit<RelayExporters, 'shutdown'>;
  /** Flushes and stops every exporter; safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * W3C trace context only, unless OTEL_PROPAGATORS says otherwise. The SDK's default also carries
 * baggage, which an edge service would take from any anonymous client and send on, verbatim, to
 * every destination it calls (the network-check targets). A service behind a trusted edge that
 * wants baggage sets OTEL_PROPAGATORS=tracecontext,baggage, the standard way.
 */
function edgePropagator(): W3CTraceContextPropagator | undefined {
  return getStringFromEnv('OTEL_PROPAGATORS') ? undefined : new W3CTraceContextPropagator();
}

let current: Telemetry = {
  status: 'not-loaded',
  scrape: async () => '',
  shutdown: async () => {},
};

export function telemetry(): Telemetry {
  return current;
}

/** Starts the SDK once; `instrumentations` when the loader hook was given their module names first. */
export function startTelemetry(instrumentations = createInstrumentations()): Telemetry {
  if (current.status !== 'not-loaded') return current;
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) {
    current = { ...current, status: 'disabled' };
    return current;
  }
  installExportErrorReporter(serviceName());
  applySdkDefaults();
  const { readers, pull, observeExporter } = createMetricReaders();
  const sdk = new NodeSDK({
    // undefined where the SDK builds it from the environment itself (export-deadline.ts says when).
    traceExporter: deadlineTraceExporter(),
    resource: createResource(),
    resourceDetectors: RESOURCE_DETECTORS,
    textMapPropagator: edgePropagator(),
    metricReaders: readers,
    views: SDK_SELF_METRIC_VIEWS,
    instrumentations,
  });
  sdk.start();
  bridgeLegacyLogsApi();
  if (getBooleanFromEnv('OTEL_NODE_EXPERIMENTAL_SDK_METRICS')) observeExporter(metrics.getMeterProvider());
  startHostMetrics(metrics.getMeterProvider(), getStringFromEnv('DISK_USAGE_PATH') ?? process.cwd());

  const relay = createRelayExporters();

  let stopping: Promise<void> | undefined;
  current = {
    status: 'started',
    scrape: createPrometheusScrape(pull),
    relay,
    shutdown: () => {
      stopping ??= Promise.all([sdk.shutdown(), relay.shutdown()]).then(() => undefined);
      return stopping;
    },
  };
  return current;
}
