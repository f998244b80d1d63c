// The template is proven, not described: examples/minimal, started as `npm run example` starts
// it, sends what the copy guide (otel/README.md) promises to a real OTLP receiver. A
// server span named by its route, the request-duration histogram by route, and log records that
// carry the request's trace id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLE_ENTRY } from '../../scripts/service-command.js';
import { eventually, type ServiceProcess, startService } from '../../support/service.js';
import { exportingTo, OtlpReceiver } from '../support/otlp-receiver.js';

const SERVER = 2; // SpanKind.SERVER in OTLP

let receiver: OtlpReceiver;
let example: ServiceProcess;

beforeAll(async () => {
  receiver = new OtlpReceiver();
  const endpoint = await receiver.start();
  example = await startService(
    {
      OTEL_SERVICE_NAME: 'minimal-example',
      ...exportingTo(endpoint),
    },
    20_000,
    EXAMPLE_ENTRY,
  );
  const res = await fetch(`${example.url}/hello/ada`);
  expect(await res.text()).toBe('Hello, ada!');
});

afterAll(async () => {
  const code = await example?.stop();
  await receiver?.stop();
  expect(code).toBe(0);
});

it('exports a server span named by its route, with http.route, under its own service name', async () => {
  const span = await eventually(
    async () => receiver.spans().find((s) => s.kind === SERVER && s.attributes['http.route'] === '/hello/:name'),
    15_000,
    'the server span of GET /hello/:name',
  );
  expect(span.name).toBe('GET /hello/:name');
  expect(span.attributes['http.response.status_code']).toBe(200);
  expect(span.resource['service.name']).toBe('minimal-example');
  // The polled route is not traced.
  expect(receiver.spans().some((s) => s.attributes['url.path'] === '/healthz')).toBe(false);
});

it('exports http.server.request.duration by route', async () => {
  const metric = await eventually(
    async () =>
      receiver
        .metrics()
        .find(
          (m) => m.name === 'http.server.request.duration' && m.points.some((p) => p['http.route'] === '/hello/:name'),
        ),
    15_000,
    'the request-duration histogram',
  );
  expect(metric.unit).toBe('s');
});

it("exports the route's log record with the trace id of its server span", async () => {
  const span = receiver.spans().find((s) => s.kind === SERVER && s.attributes['http.route'] === '/hello/:name');
  const record = await eventually(
    async () => receiver.logs().find((l) => l.body?.stringValue === 'said hello'),
    15_000,
    'the "said hello" log record',
  );
  expect(record.traceId).toBeTruthy();
  expect(record.traceId).toBe(span?.traceId);
  // The same record on stdout carries it too, for a reader of the plain log.
  expect(example.lines.find((l) => l.message === 'said hello')?.trace_id).toBe(span?.traceId);
});
