// The standard OTEL_* settings the SDK would take silently and fall back from (otel/env-check.ts):
// each refused in a line naming the variable and what it accepts, never the value.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otelEnvironmentProblems } from '../../otel/env-check.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function problemsWith(env: Record<string, string>): string[] {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return otelEnvironmentProblems();
}

describe('otelEnvironmentProblems', () => {
  it('finds nothing wrong with nothing set, or with what the SDK acts on', () => {
    expect(problemsWith({})).toEqual([]);
    expect(
      problemsWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pw@collector.example:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://[::1]:4318/v1/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
        OTEL_TRACES_EXPORTER: 'otlp,console',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_PROPAGATORS: 'tracecontext,baggage',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128',
      }),
    ).toEqual([]);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', '127.0.0.1:14318', 'must be an absolute http:// or https:// URL'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'notaurl', 'must be an absolute http:// or https:// URL'],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'ftp://collector:4318', 'must be an absolute http:// or https:// URL'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml', 'must be one of "grpc", "http/protobuf", "http/json"'],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'HTTP/JSON', 'must be one of'],
    ['OTEL_TRACES_EXPORTER', 'zipkin', 'must be a comma-separated list of "otlp", "console", "none"'],
    ['OTEL_METRICS_EXPORTER', 'otlp,prometheus', 'must be a comma-separated list of "otlp", "none"'],
    ['OTEL_LOGS_EXPORTER', 'loki', 'must be a comma-separated list of'],
    ['OTEL_TRACES_SAMPLER', 'sometimes', 'must be one of "always_on"'],
    ['OTEL_PROPAGATORS', 'tracecontext,jaeger', 'must be a comma-separated list of "tracecontext"'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'brotli', 'must be one of "gzip", "none"'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '5s', 'must be a whole number of milliseconds from 1'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '0', 'must be a whole number of items from 1'],
  ])('refuses %s=%s, naming the variable and not the value', (name, value, says) => {
    const problems = problemsWith({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name} ${says}`);
    expect(problems[0]).not.toContain(value);
  });

  it('checks the sampler argument only for the ratio samplers, and its range', () => {
    expect(problemsWith({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '7' })).toEqual([]);
    for (const arg of ['1.5', '-0.1', 'half']) {
      vi.unstubAllEnvs();
      expect(problemsWith({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg })).toEqual([
        'OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for traceidratio, e.g. 0.1',
      ]);
    }
  });

  it('refuses a DISK_USAGE_PATH that is not an existing directory', () => {
    expect(problemsWith({ DISK_USAGE_PATH: '/' })).toEqual([]);
    for (const path of ['/no/such/dir-5e1f', '/etc/hostname']) {
      vi.unstubAllEnvs();
      expect(problemsWith({ DISK_USAGE_PATH: path })).toEqual(['DISK_USAGE_PATH must be an existing directory']);
    }
  });

  it('names every variable that is wrong, one line each', () => {
    expect(problemsWith({ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' })).toHaveLength(2);
  });
});
