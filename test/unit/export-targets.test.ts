// Where each signal goes, as the start line says it (otel/export-targets.ts): the URLs the SDK's
// exporters send to, checked here against the OTLP exporter specification's rules, never a
// credential or a query.
import { afterEach, expect, it, vi } from 'vitest';
import { describeTargets, exportTargets } from '../../otel/export-targets.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function targetsWith(env: Record<string, string>): string {
  for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) vi.stubEnv(name, '');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return describeTargets(exportTargets());
}

it('sends every signal over OTLP/HTTP protobuf to localhost:4318 by default', () => {
  expect(targetsWith({})).toBe(
    'traces: http/protobuf to http://localhost:4318/v1/traces; ' +
      'metrics: http/protobuf to http://localhost:4318/v1/metrics; ' +
      'logs: http/protobuf to http://localhost:4318/v1/logs',
  );
});

it('appends the signal path to the common endpoint, and takes a signal endpoint as it is', () => {
  expect(
    targetsWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:14318/base',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:9999/ingest',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
    }),
  ).toBe(
    'traces: http/protobuf to http://collector:14318/base/v1/traces; ' +
      'metrics: http/json to http://collector:14318/base/v1/metrics; ' +
      'logs: http/protobuf to http://logs:9999/ingest',
  );
});

it('sends gRPC to the endpoint with no path, localhost:4317 by default', () => {
  expect(targetsWith({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toContain(
    'traces: grpc to http://localhost:4317/; metrics: grpc to http://localhost:4317/',
  );
});

it('says a signal is off or goes to the console', () => {
  expect(
    targetsWith({ OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }),
  ).toBe('traces: console; metrics: off; logs: off');
});

it('takes none over otlp in one list, as the SDK does', () => {
  expect(targetsWith({ OTEL_TRACES_EXPORTER: 'otlp,none' })).toMatch(/^traces: off; /);
});

it('never shows credentials or a query', () => {
  const line = targetsWith({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:Pw-5e1f@collector:4318' });
  expect(line).toContain('traces: http/protobuf to https://collector:4318/v1/traces');
  expect(line).not.toMatch(/Pw-5e1f|user/);
  expect(
    targetsWith({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4318/v1/traces?token=Tk-5e1f' }),
  ).toContain('traces: http/protobuf to https://collector:4318/v1/traces;');
});
