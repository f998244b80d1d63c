// The service's own `app.*` names, for what no semantic convention covers, in one place
// (docs/architecture.md, "Naming"). In Prometheus, metrics get unit suffixes:
// app_simulated_load_duration_seconds. The convention names otel/ uses are in otel/semconv.ts;
// the incubating ones src/ uses are at the end, spelled out, as there, to keep the incubating
// entry point from loading.

// The service's own metrics (src/app-metrics.ts).
export const METRIC_APP_SIMULATED_LOAD_DURATION = 'app.simulated_load.duration';
export const METRIC_APP_SIMULATED_ERRORS = 'app.simulated_errors';
export const METRIC_APP_NETWORK_PROBE_DURATION = 'app.network.probe.duration';
export const METRIC_APP_NETWORK_PROBE_UP = 'app.network.probe.up';

// The service's own attributes, on spans, metric points and log records.
export const ATTR_APP_SIMULATED_LOAD_ITERATIONS = 'app.simulated_load.iterations';
export const ATTR_APP_SIMULATED_ERROR_RATE = 'app.simulated_error.rate';
export const ATTR_APP_LOG_TEST_STEP = 'app.log_test.step';
export const ATTR_APP_NETWORK_PROBE_TARGET = 'app.network.probe.target';
export const ATTR_APP_NETWORK_PROBE_KIND = 'app.network.probe.kind';
export const ATTR_APP_DATABASE_MODE = 'app.database.mode';
export const ATTR_APP_DATABASE_TARGET = 'app.database.target';
export const ATTR_APP_TELEMETRY_STATUS = 'app.telemetry.status';
export const ATTR_APP_SHUTDOWN_SIGNAL = 'app.shutdown.signal';
export const ATTR_APP_SHUTDOWN_GRACE_MS = 'app.shutdown.grace_ms';
export const ATTR_APP_SHUTDOWN_TIMEOUT_MS = 'app.shutdown.timeout_ms';
export const ATTR_APP_SHUTDOWN_DEADLINE_MS = 'app.shutdown.deadline_ms';
export const ATTR_APP_REQUESTS_IN_FLIGHT = 'app.requests.in_flight';
export const ATTR_APP_CONNECTIONS_CLOSED = 'app.connections.closed';
export const ATTR_APP_RELAY_REFUSED = 'app.relay.refused';
export const ATTR_APP_RELAY_FAILED = 'app.relay.failed';
export const ATTR_APP_READINESS_FAILURES = 'app.readiness.failures';
export const ATTR_APP_INCIDENT_FLAGS_CHANGED = 'app.incident.flags_changed';

// Incubating convention names: a flag evaluation on the span it changed (src/incidents/flag-span-hook.ts).
export const EVENT_FEATURE_FLAG_EVALUATION = 'feature_flag.evaluation';
export const ATTR_FEATURE_FLAG_KEY = 'feature_flag.key';
export const ATTR_FEATURE_FLAG_PROVIDER_NAME = 'feature_flag.provider.name';
export const ATTR_FEATURE_FLAG_RESULT_VARIANT = 'feature_flag.result.variant';
export const ATTR_FEATURE_FLAG_RESULT_REASON = 'feature_flag.result.reason';
