// What the service says at start, once: where its page is, where each signal goes (or that it
// is off), and the database it uses; no secret of the settings it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, REFUSING_PORT, type ServiceProcess, startService } from '../../support/service.js';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:Pw-77c2@127.0.0.1:${REFUSING_PORT}`,
    OTEL_LOGS_EXPORTER: 'none',
  });
});
afterAll(async () => {
  await service?.stop();
});

it('says where the page is and where each signal goes, once, and no secret', () => {
  const messages = service.lines.map((line) => line.message);
  expect(messages.filter((m) => m === `the page: http://127.0.0.1:${service.port}/ui/`)).toHaveLength(1);
  expect(messages.filter((m) => typeof m === 'string' && m.startsWith('telemetry: '))).toEqual([
    `telemetry: traces: http/protobuf to http://127.0.0.1:${REFUSING_PORT}/v1/traces; ` +
      `metrics: http/protobuf to http://127.0.0.1:${REFUSING_PORT}/v1/metrics; logs: off; metrics also at /metrics`,
  ]);
  expect(messages).toContain('database mode');
  expect(JSON.stringify(service.lines) + service.stderr.join('')).not.toContain('Pw-77c2');
});

// The way to see spans with npm start alone and no backend (README.md): the SDK's console
// exporter, named by the standard variable.
describe('with OTEL_TRACES_EXPORTER=console', () => {
  let printing: ServiceProcess;

  beforeAll(async () => {
    printing = await startService({ ...DATABASE_ENV, OTEL_TRACES_EXPORTER: 'console' });
  });
  afterAll(async () => {
    await printing?.stop();
  });

  it('prints each server span on stdout, and says so at start', async () => {
    await fetch(`${printing.url}/db-query?duration_ms=1`);
    const printed = await eventually(
      () => {
        const text = printing.lines.map((l) => (typeof l.raw === 'string' ? l.raw : '')).join('\n');
        return text.includes("name: 'GET /db-query'") ? text : undefined;
      },
      15_000,
      'the printed server span',
    );
    expect(printed).toMatch(/traceId: '[0-9a-f]{32}'/);
    expect(printing.lines.map((l) => l.message)).toContainEqual(expect.stringMatching(/^telemetry: traces: console; /));
  });
});
