// When the Collector is down every batch of every signal fails, each a few seconds apart. The
// SDK hands those failures to the global error handler, which is silent by default: here they
// become one JSON log line per window (the metric export interval) with a count of what was
// folded into it, so a dead Collector is visible in the logs without flooding them. The line
// goes straight to stdout, not through winston: a log record about failing exports must not
// itself be queued for export.
import { getNumberFromEnv, setGlobalErrorHandler } from '@opentelemetry/core';

export interface ExportErrorReporter {
  report(error: unknown): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export function createExportErrorReporter(
  serviceName: string,
  windowMs: number,
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => number = Date.now,
): ExportErrorReporter {
  let windowStart = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return {
    report(error) {
      const time = now();
      if (time - windowStart < windowMs) {
        suppressed++;
        return;
      }
      const record = {
        level: 'warn',
        message: 'telemetry export failing',
        error: describe(error),
        suppressed_since_last: suppressed,
        'service.name': serviceName,
        timestamp: new Date(time).toISOString(),
      };
      windowStart = time;
      suppressed = 0;
      write(`${JSON.stringify(record)}\n`);
    },
  };
}

export function installExportErrorReporter(serviceName: string): void {
  const windowMs = getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000;
  const reporter = createExportErrorReporter(serviceName, windowMs);
  setGlobalErrorHandler((error) => reporter.report(error));
}
