// One winston logger, two sinks (docs/architecture.md, "Signal flow"): JSON lines on stdout, and, through the
// winston instrumentation, the same records to the OTel logs SDK and on to the Collector. The
// instrumentation also stamps trace_id and span_id on each record, so nothing here does either.
// service.name and a timestamp are added on the stdout line only: the OTLP record carries both
// already (resource and record time).
import winston from 'winston';

export function createLogger(options: { level: string; serviceName: string }): winston.Logger {
  const stdoutFormat = winston.format.combine(
    winston.format((info) => {
      info['service.name'] = options.serviceName;
      return info;
    })(),
    winston.format.timestamp(),
    winston.format.json(),
  );
  return winston.createLogger({
    level: options.level,
    transports: [new winston.transports.Console({ format: stdoutFormat })],
  });
}
