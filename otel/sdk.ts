// The SDK bootstrap, top to bottom: resource, exporters, metric readers, instrumentations, start,
// shutdown. One NodeSDK; traces and logs go out as the standard OTEL_* variables say (OTLP/HTTP
// protobuf to OTEL_EXPORTER_OTLP_ENDPOINT by default, batched, bounded queues that drop rather
// than block), metrics both pushed over OTLP and pulled at /metrics. otel/register.ts starts it
// before any application module loads; the app reads its state through telemetry().
// What works around a gap of the SDK lives in workarounds/, each file naming its upstream issue.
import { metrics } from '@opentelemetry/api';
import { getBooleanFromEnv, getStringFromEnv, W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { type ExportTarget, exportTargets } from './export-targets.js';
import { startHostMetrics } from './host-metrics.js';
import { serviceName } from './identity.js';
import { createInstrumentations } from './instrumentations.js';
import { createMetricReaders } from './metric-readers.js';
import { createPrometheusScrape } from './prometheus.js';
import { createResource } from './resource.js';
import { RESOURCE_DETECTORS } from './resource-detectors.js';
import { SDK_SELF_METRIC_VIEWS } from './sdk-self-metrics.js';
import { deadlineTraceExporter } from './workarounds/export-deadline.js';
import { installExportErrorReporter } from './workarounds/export-errors.js';
import { bridgeLegacyLogsApi } from './workarounds/winston-logs-bridge.js';

export { PROMETHEUS_CONTENT_TYPE } from './prometheus.js';

export interface Telemetry {
  /** `not-loaded` when the process was started without `--import ./dist/otel/register.js`. */
  readonly status: 'started' | 'disabled' | 'not-loaded';
  /** Where each signal goes (empty when the SDK is not running): say it at start. */
  readonly targets: ExportTarget[];
  /** Prometheus text exposition of every instrument, for GET /metrics (empty when not running). */
  scrape(): Promise<string>;
  /** Flushes and stops every exporter; safe to call more than once. Call it on SIGTERM. */
  shutdown(): Promise<void>;
}

let current: Telemetry = { status: 'not-loaded', targets: [], scrape: async () => '', shutdown: async () => {} };

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
  const { readers, pull, observeExporter } = createMetricReaders();
  const sdk = new NodeSDK({
    resource: createResource(),
    resourceDetectors: RESOURCE_DETECTORS,
    // undefined where the SDK builds it from the environment itself (export-deadline.ts says when).
    traceExporter: deadlineTraceExporter(),
    metricReaders: readers,
    views: SDK_SELF_METRIC_VIEWS,
    instrumentations,
    // W3C trace context only, unless OTEL_PROPAGATORS says otherwise. The SDK's default also
    // carries baggage, which an edge service would take from any anonymous client and send on,
    // verbatim, to every destination it calls. Behind a trusted edge, set
    // OTEL_PROPAGATORS=tracecontext,baggage.
    textMapPropagator: getStringFromEnv('OTEL_PROPAGATORS') ? undefined : new W3CTraceContextPropagator(),
  });
  sdk.start();
  bridgeLegacyLogsApi();
  if (getBooleanFromEnv('OTEL_NODE_EXPERIMENTAL_SDK_METRICS')) observeExporter(metrics.getMeterProvider());
  startHostMetrics(metrics.getMeterProvider(), getStringFromEnv('DISK_USAGE_PATH') ?? process.cwd());

  let stopping: Promise<void> | undefined;
  current = {
    status: 'started',
    targets: exportTargets(),
    scrape: createPrometheusScrape(pull),
    shutdown: () => {
      stopping ??= sdk.shutdown();
      return stopping;
    },
  };
  return current;
}
