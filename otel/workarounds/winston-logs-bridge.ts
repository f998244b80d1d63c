// Works around: @opentelemetry/winston-transport (which the winston instrumentation loads to
// send records) still asks the pre-3.x `@opentelemetry/api-logs` package for its logger, while
// the logs API moves into `@opentelemetry/api`
// (https://github.com/open-telemetry/opentelemetry-js/issues/4400). That package keeps its own
// global, which the 3.x SDK no longer sets: without this hand-over every log record would go to
// a no-op logger.
// Delete when: the transport no longer depends on @opentelemetry/api-logs
// (test/static/workarounds.test.ts fails then, to say so).
import { logs } from '@opentelemetry/api';
import { type LoggerProvider, logs as legacyLogs } from '@opentelemetry/api-logs';

export function bridgeLegacyLogsApi(): void {
  // Same shape (getLogger(name, version, options) -> emit(record)), different package types.
  legacyLogs.setGlobalLoggerProvider(logs.getLoggerProvider() as unknown as LoggerProvider);
}
