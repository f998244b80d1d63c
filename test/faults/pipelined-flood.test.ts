// A pipelined flood (support/pipelined-flood.ts): connections that each write thousands of
// requests without waiting for answers. What must hold, in counts rather than times (the
// figures are bench:scenario -- flood's, in bench/README.md):
// - each such connection is closed by the service after at most 16 requests waiting on it (the
//   documented bound), so the app runs at most 16 of each connection's requests, where without
//   the bound it ran every one (the 30 × 5,000 here), and none once the client has gone;
// - /healthz, asked every 50 ms on its own connection, answers every time, and the closed
//   connections are counted in a warning line per 10 s, not one line each;
// - a client that pipelines within the bound gets every answer, on a connection left open.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipelinedFlood } from '../../support/pipelined-flood.js';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { prometheusSamples } from '../support/prometheus-samples.js';

const BOUND = 16;
const CONNECTIONS = 30;
const REQUESTS_EACH = 5_000;

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
});

afterAll(async () => {
  await service?.stop();
});

/** How many requests for `/` the app has answered, from its own request-duration histogram. */
async function rootRequests(): Promise<number> {
  const samples = prometheusSamples(await (await fetch(`${service.url}/metrics`)).text());
  return samples
    .filter((s) => s.name === 'http_server_request_duration_seconds_count' && s.labels.http_route === '/')
    .reduce((sum, s) => sum + s.value, 0);
}

it(`closes each of ${CONNECTIONS} connections pipelining ${REQUESTS_EACH} requests, and runs at most ${BOUND} of each`, async () => {
  await (await fetch(`${service.url}/`)).arrayBuffer();
  const before = await rootRequests();
  const result = await pipelinedFlood({
    url: service.url,
    pid: service.child.pid as number,
    connections: CONNECTIONS,
    requestsEach: REQUESTS_EACH,
    durationMs: 3_000,
    afterMs: 1_000,
  });
  const ran = (await rootRequests()) - before;
  console.log(
    JSON.stringify({ connections: CONNECTIONS, requestsEach: REQUESTS_EACH, ran, ...result, answersEach: undefined }),
  );
  expect(result.closedByServer).toBe(CONNECTIONS);
  expect(Math.max(...result.answersEach)).toBeLessThanOrEqual(BOUND);
  expect(ran).toBeLessThanOrEqual(CONNECTIONS * BOUND);
  expect(result.healthz.failed).toBe(0);
  // Nothing left queued runs after the flood has gone.
  expect((await rootRequests()) - before).toBe(ran);
  expect(service.stderr.join('')).toBe('');
  // One warning line per 10 s, not one per connection: the flood lasted 4 s.
  const warnings = service.lines.filter((l) => String(l.message).includes('requests waiting'));
  expect(warnings.length).toBeGreaterThanOrEqual(1);
  expect(warnings.length).toBeLessThanOrEqual(2);
});

it(`answers every request of a client that pipelines ${BOUND}, and keeps its connection`, async () => {
  const { hostname, port } = new URL(service.url);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  socket.once('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`.repeat(BOUND)));
  const answers = () => text.match(/HTTP\/1\.1 200 /g)?.length ?? 0;
  await eventually(() => (answers() >= BOUND || socket.destroyed ? true : undefined), 10_000, `${BOUND} answers`, 20);
  expect(answers()).toBe(BOUND);
  expect(socket.destroyed).toBe(false);
  socket.destroy();
});
