// Works around: the SDK's export failures reach only the global error handler, silent unless a
// diagnostic logger is set, with no way to count or pace them
// (https://github.com/open-telemetry/opentelemetry-js/issues/4823).
// Delete when: the exporters report their failures in a form a service can log at its own pace.
//
// When the Collector is down every batch of every signal fails, each a few seconds apart. The
// SDK hands those failures, and any other error of its own, to the global error handler, which is
// silent by default. Here each kind becomes at most one JSON log line per window (the metric
// export interval): the first failure at once, then, while failures go on, one line at the end of
// each window with the count folded into it, so the last window's count is never lost. The lines
// go straight to stdout, not through winston: a log record about failing exports must not itself
// be queued for export.
import { getNumberFromEnv, setGlobalErrorHandler } from '@opentelemetry/core';
import { type Schedule, throttled } from '../throttled.js';

export interface ExportErrorReporter {
  report(error: unknown): void;
}

/** What a line says: export failures, or any other error the SDK reports. */
export type ErrorKind = 'telemetry export failing' | 'OpenTelemetry SDK error';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// The socket calls of a Node system error. The SDK's only sockets are its exporters', so any
// such failure is an export failing, whatever its code: EMFILE (out of file descriptors) reaches
// the handler as a bare `connect EMFILE …` from the trace and log exporters.
const SOCKET_CALLS = new Set(['connect', 'getaddrinfo', 'read', 'write', 'writev']);

export function kindOf(error: unknown): ErrorKind {
  const err = error as { name?: string; code?: unknown; syscall?: unknown; message?: string } | undefined;
  const text = typeof error === 'string' ? error : (err?.message ?? '');
  const exportFailure =
    err?.name === 'OTLPExporterError' ||
    (typeof err?.code === 'string' && NETWORK_CODES.has(err.code)) ||
    (typeof err?.syscall === 'string' && SOCKET_CALLS.has(err.syscall)) ||
    /export|timeout|timed out|ECONN|ENOTFOUND|EAI_AGAIN|socket hang up/i.test(text) ||
    // A gRPC status from the Collector: "14 UNAVAILABLE: …", "12 UNIMPLEMENTED: …".
    /^\d+ [A-Z_]+: /.test(text);
  return exportFailure ? 'telemetry export failing' : 'OpenTelemetry SDK error';
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
  schedule?: Schedule,
): ExportErrorReporter {
  // `count`: the failures the line stands for, 1 for the first, then how many came in the window.
  const line = (kind: ErrorKind, error: unknown, count: number) => {
    const record = {
      level: 'warn',
      message: kind,
      error: describe(error),
      count,
      'service.name': serviceName,
      timestamp: new Date(now()).toISOString(),
    };
    write(`${JSON.stringify(record)}\n`);
  };
  const byKind = new Map<ErrorKind, (error: unknown) => void>();
  return {
    report(error) {
      const kind = kindOf(error);
      let reportKind = byKind.get(kind);
      if (!reportKind) {
        reportKind = throttled<unknown>(windowMs, (count, last) => line(kind, last, count), schedule);
        byKind.set(kind, reportKind);
      }
      reportKind(error);
    },
  };
}

export function installExportErrorReporter(serviceName: string): void {
  const windowMs = getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000;
  const reporter = createExportErrorReporter(serviceName, windowMs);
  setGlobalErrorHandler((error) => reporter.report(error));
}
