// The browser relay (/ui/v1/traces, /ui/v1/logs) under bad input: the service run as npm start
// runs it, with a real OTLP receiver as its Collector. Malformed, oversized, foreign or non-OTLP
// bodies get a JSON 4xx and nothing reaches the Collector; every valid body reaches it, with
// the web service's name on its resource whatever the client wrote (relay-abuse.test.ts has the
// hostile cases, one at a time). 2,000 generated bodies
// (fast-check), some with a foreign or malformed Origin, then the edges one at a time: a foreign Origin, a burst past the rate, a
// Collector that is down.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wholeNumber } from '../../support/env.js';
import { DATABASE_ENV, type ServiceProcess, startService, waitReady } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';

const RUNS = wholeNumber('FUZZ_RUNS_RELAY', 2_000);
const RATE = 10_000; // high enough that the generated bodies never meet the rate limit
let service: ServiceProcess;
const collector = new OtlpReceiver();

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: await collector.start(),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_SAMPLER: 'always_off',
    LOG_LEVEL: 'error',
    UI_RELAY_RATE: String(RATE),
  });
  await waitReady(service);
});

afterAll(async () => {
  await service?.stop();
  await collector.stop();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

// Each case is told apart by its trace id: the relay folds span names the page does not make
// into one (span names become metric labels) and keeps only the attributes the page sets.
const traceIdOf = (testCase: string) => createHash('md5').update(testCase).digest('hex');
const ago = (ms: number) => String(BigInt(Date.now() - ms) * 1_000_000n);
const span = (testCase: string, name = 'GET') => ({
  traceId: traceIdOf(testCase),
  spanId: 'b7ad6b7169203331',
  name,
  kind: 3,
  startTimeUnixNano: ago(2_000),
  endTimeUnixNano: ago(1_000),
  attributes: [{ key: 'url.full', value: { stringValue: 'http://x/ui/?token=secret-1f2e' } }],
});
const relayedCase = (testCase: string) => collector.spans().find((s) => s.traceId === traceIdOf(testCase));
const validTraces = (testCase: string, serviceName = 'otel-monitoring-service', name = 'GET') => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
      scopeSpans: [{ scope: { name: 'otel-monitoring-web' }, spans: [span(testCase, name)] }],
    },
  ],
});

it('relays a valid batch, as the web service, with URL query values redacted', async () => {
  const res = await post('/ui/v1/traces', JSON.stringify(validTraces('relayed once', 'posing-as-the-server')));
  expect(res.status).toBe(200);
  const relayed = relayedCase('relayed once');
  expect(relayed?.name).toBe('GET');
  expect(relayed?.resource['service.name']).toBe('otel-monitoring-web');
  expect(relayed?.attributes['url.full']).toBe('http://x/ui/?token=REDACTED');
  // A span name the page does not make is folded into one.
  await post('/ui/v1/traces', JSON.stringify(validTraces('minted name', 'x', 'GET /a/unique/name/4b1d')));
  expect(relayedCase('minted name')?.name).toBe('other');
});

it(`answers ${RUNS} generated bodies with 200 or a JSON 4xx, and drops nothing valid`, async () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const otlpish = fc.record({
    resourceSpans: fc.oneof(
      fc.constant([]),
      fc.array(fc.record({ resource: fc.oneof(json, fc.record({ attributes: json })), scopeSpans: json }), {
        maxLength: 3,
      }),
      json,
    ),
  });
  const body = fc.oneof(
    json.map((v) => JSON.stringify(v)),
    otlpish.map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('', '{', '[]', 'null', '{"resourceSpans":null}', '\u0000', '{"resourceLogs":[{}]}'),
    fc.integer({ min: 0, max: 50 }).map((n) => JSON.stringify(validTraces(`generated ${n}`))),
  );
  const contentType = fc.constantFrom('application/json', 'application/json', 'application/x-protobuf', 'text/plain');
  const path = fc.constantFrom('/ui/v1/traces', '/ui/v1/logs');
  // Mostly none, as the page's own requests from a same-origin fetch of an old browser; else an
  // opaque, foreign, malformed or arbitrary Origin.
  const origin = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constantFrom('null', 'not a url', 'https://elsewhere.example', 'http://[::1'), weight: 1 },
    { arbitrary: fc.string({ maxLength: 30 }).filter((v) => /^[\x20-\x7e]*$/.test(v)), weight: 1 },
  );
  const statuses: Record<number, number> = {};
  let forwarded = 0;
  await fc.assert(
    fc.asyncProperty(path, body, contentType, origin, async (p, b, type, from) => {
      const res = await post(
        p,
        b,
        from === undefined ? { 'content-type': type } : { 'content-type': type, origin: from },
      );
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const text = await res.text();
      if (res.status === 200) {
        forwarded += 1;
        return;
      }
      expect(res.status, `${p} ${type} ${b.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${p} ${type} ${b.slice(0, 80)}`).toBeLessThan(500);
      expect(typeof JSON.parse(text).error).toBe('string');
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  console.log(JSON.stringify({ relay_bodies: RUNS, statuses }));
  // Every 200 is one request the Collector received (plus the two of the test above): the
  // service's own spans are not sampled, and it logs nothing at LOG_LEVEL=error.
  const received = collector.requests.traces.length + collector.requests.logs.length;
  expect(received).toBe(forwarded + 2);
  expect(forwarded).toBeGreaterThan(0);
  expect(service.child.exitCode).toBeNull();
}, 120_000);

it('refuses a body over the 64 KiB limit, more than 512 spans, and another origin', async () => {
  const big = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('big', 'x'.repeat(70_000))] }] }] });
  expect((await post('/ui/v1/traces', big)).status).toBe(413);
  const many = {
    resourceSpans: [
      {
        scopeSpans: [
          { scope: { name: 'otel-monitoring-web' }, spans: Array.from({ length: 513 }, (_, i) => ({ name: `s${i}` })) },
        ],
      },
    ],
  };
  const tooMany = await post('/ui/v1/traces', JSON.stringify(many));
  expect(tooMany.status).toBe(400);
  expect((await tooMany.json()).error).toContain('more than 512');
  const foreign = await post('/ui/v1/traces', JSON.stringify(validTraces('foreign')), {
    origin: 'https://elsewhere.example',
  });
  expect(foreign.status).toBe(403);
  // An opaque origin (a sandboxed frame, a file) is not this page either, and no URL at all.
  for (const origin of ['null', 'not a url']) {
    expect((await post('/ui/v1/traces', JSON.stringify(validTraces('opaque')), { origin })).status).toBe(403);
  }
  expect(relayedCase('foreign')).toBeUndefined();
});

it('answers 503 with Retry-After while the Collector is down, and relays again after', async () => {
  collector.down = true;
  collector.dropConnections();
  try {
    const res = await post('/ui/v1/traces', JSON.stringify(validTraces('during the outage')));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    // That it failed, not how: the socket error is the operator's, in the service's log.
    expect((await res.json()).error).toBe('the Collector is unavailable; try again later');
  } finally {
    collector.down = false;
  }
  expect((await post('/ui/v1/traces', JSON.stringify(validTraces('after the outage')))).status).toBe(200);
});
