// The settings otel/ reads, checked before the SDK starts: the standard OTEL_* ones, and
// DISK_USAGE_PATH (host-metrics.ts). The SDK takes a value it cannot use
// with at most a diagnostic nobody sees (silent unless OTEL_LOG_LEVEL is set) and falls back to
// its default: an endpoint without a scheme exports to localhost:4318, a port the user never
// set; an unknown sampler samples everything. Here such a value stops the process in one line
// naming the variable and what it accepts. The accepted values are what this SDK, as configured
// in sdk.ts and metric-readers.ts, acts on. Values are read as the SDK reads them
// (@opentelemetry/core's getters) and never echoed: an endpoint may carry credentials.
import { statSync } from 'node:fs';
import { getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';

const SIGNALS = ['TRACES', 'METRICS', 'LOGS'] as const;

const PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'];
const EXPORTERS: Record<(typeof SIGNALS)[number], string[]> = {
  TRACES: ['otlp', 'console', 'none'],
  // /metrics is served whatever this says; `otlp` adds the push.
  METRICS: ['otlp', 'none'],
  LOGS: ['otlp', 'console', 'none'],
};
const RATIO_SAMPLERS = ['traceidratio', 'parentbased_traceidratio'];
const SAMPLERS = ['always_on', 'always_off', 'parentbased_always_on', 'parentbased_always_off', ...RATIO_SAMPLERS];
const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'];
const COMPRESSIONS = ['gzip', 'none'];
const MILLISECONDS = [
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  ...SIGNALS.map((s) => `OTEL_EXPORTER_OTLP_${s}_TIMEOUT`),
  'OTEL_METRIC_EXPORT_INTERVAL',
  'OTEL_METRIC_EXPORT_TIMEOUT',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_EXPORT_TIMEOUT',
  'OTEL_BLRP_SCHEDULE_DELAY',
  'OTEL_BLRP_EXPORT_TIMEOUT',
];
const COUNTS = [
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BLRP_MAX_QUEUE_SIZE',
  'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
];

const oneOf = (values: string[]) => values.map((v) => `"${v}"`).join(', ');

function checkEndpoint(name: string): string | undefined {
  const value = getStringFromEnv(name);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return undefined;
  return `${name} must be an absolute http:// or https:// URL, e.g. http://collector:4318`;
}

function checkOne(name: string, accepted: string[]): string | undefined {
  const value = getStringFromEnv(name);
  if (value === undefined || accepted.includes(value)) return undefined;
  return `${name} must be one of ${oneOf(accepted)}`;
}

function checkList(name: string, accepted: string[]): string | undefined {
  const values = getStringListFromEnv(name);
  if (values === undefined || values.every((v) => accepted.includes(v))) return undefined;
  return `${name} must be a comma-separated list of ${oneOf(accepted)}`;
}

function checkWhole(name: string, unit: string, example: number): string | undefined {
  const value = getStringFromEnv(name);
  if (value === undefined || /^[1-9]\d{0,8}$/.test(value)) return undefined;
  return `${name} must be a whole number of ${unit} from 1, e.g. ${example}`;
}

function checkDirectory(name: string): string | undefined {
  const value = getStringFromEnv(name);
  if (value === undefined) return undefined;
  try {
    if (statSync(value).isDirectory()) return undefined;
  } catch {
    // missing or unreadable: refused below
  }
  return `${name} must be an existing directory`;
}

function checkSamplerArg(): string | undefined {
  const sampler = getStringFromEnv('OTEL_TRACES_SAMPLER');
  const value = getStringFromEnv('OTEL_TRACES_SAMPLER_ARG');
  if (value === undefined || !sampler || !RATIO_SAMPLERS.includes(sampler)) return undefined;
  const ratio = Number(value);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return undefined;
  return `OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for ${sampler}, e.g. 0.1`;
}

/** What is wrong with the settings otel/ reads, one line per variable; empty when nothing is. */
export function otelEnvironmentProblems(): string[] {
  const problems = [
    checkEndpoint('OTEL_EXPORTER_OTLP_ENDPOINT'),
    ...SIGNALS.map((s) => checkEndpoint(`OTEL_EXPORTER_OTLP_${s}_ENDPOINT`)),
    checkOne('OTEL_EXPORTER_OTLP_PROTOCOL', PROTOCOLS),
    ...SIGNALS.map((s) => checkOne(`OTEL_EXPORTER_OTLP_${s}_PROTOCOL`, PROTOCOLS)),
    checkOne('OTEL_EXPORTER_OTLP_COMPRESSION', COMPRESSIONS),
    ...SIGNALS.map((s) => checkOne(`OTEL_EXPORTER_OTLP_${s}_COMPRESSION`, COMPRESSIONS)),
    ...SIGNALS.map((s) => checkList(`OTEL_${s}_EXPORTER`, EXPORTERS[s])),
    checkOne('OTEL_TRACES_SAMPLER', SAMPLERS),
    checkSamplerArg(),
    checkList('OTEL_PROPAGATORS', PROPAGATORS),
    ...MILLISECONDS.map((name) => checkWhole(name, 'milliseconds', 5000)),
    ...COUNTS.map((name) => checkWhole(name, 'items', 512)),
    checkDirectory('DISK_USAGE_PATH'),
  ];
  return problems.filter((p): p is string => p !== undefined);
}
