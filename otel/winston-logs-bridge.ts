// @opentelemetry/winston-transport 0.34 (the newest release, which the winston instrumentation
// loads to send records) still asks the pre-3.x `@opentelemetry/api-logs` package for its logger.
// That package keeps its own global, which the 3.x SDK no longer sets: without this hand-over
// every log record would go to a no-op logger. Remove it once the transport speaks the logs API
// of `@opentelemetry/api` 1.10+.
import { logs } from '@opentelemetry/api';
import { type LoggerProvider, logs as legacyLogs } from '@opentelemetry/api-logs';

export function bridgeLegacyLogsApi(): void {
  // Same shape (getLogger(name, version, options) -> emit(record)), different package types.
  legacyLogs.setGlobalLoggerProvider(logs.getLoggerProvider() as unknown as LoggerProvider);
}
