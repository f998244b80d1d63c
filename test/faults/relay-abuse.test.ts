// The browser relay against an anonymous client that means harm: each case is a finding of an
// adversarial review, run against the service as npm start runs it, with a real OTLP receiver as
// its Collector (behind a bearer token, as an authenticated Collector would be). What the
// receiver gets is the proof: nothing a client writes outside the page's own shape reaches it,
// in any spelling; the resource is the server's; names, attributes, times and values come from
// their defined sets and ranges; a budget bounds the new traces a second; and a hostile body
// costs a 4xx, never a stack or an error line.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess } from '../../support/service.js';
import { startExporting } from '../support/exporting-service.js';
import type { OtlpReceiver, OtlpSpan } from '../support/otlp-receiver.js';
import { rawRequest } from '../support/raw-request.js';

const WEB = 'otel-monitoring-web';
const TOKEN = 'Bearer relay-test-3f9a';
let service: ServiceProcess;
let receiver: OtlpReceiver;

beforeAll(async () => {
  ({ receiver, service } = await startExporting({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=${TOKEN.replace(' ', '%20')}`,
    // The server's own spans and metrics stay out of the receiver: only the relay's arrive.
    OTEL_TRACES_SAMPLER: 'always_off',
    OTEL_METRICS_EXPORTER: 'none',
    UI_RELAY_RATE: '1000',
  }));
});

afterAll(async () => {
  await service?.stop();
  await receiver?.stop();
});

const post = (signal: 'traces' | 'logs', body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${service.url}/ui/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const ago = (ms: number) => String(nowNs() - BigInt(ms) * 1_000_000n);
const str = (value: string) => ({ stringValue: value });
const kv = (key: string, value: unknown) => ({ key, value });

function pageSpan(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: hex(16),
    spanId: hex(8),
    name: 'GET',
    kind: 3,
    startTimeUnixNano: ago(2_000),
    endTimeUnixNano: ago(1_000),
    attributes: [kv('http.request.method', str('GET')), kv('url.full', str('http://localhost/ui/'))],
    ...over,
  };
}
const traces = (spans: unknown[], resource: unknown[] = []) => ({
  resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: WEB }, spans }] }],
});
function vital(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timeUnixNano: ago(1_000),
    observedTimeUnixNano: ago(1_000),
    eventName: 'browser.web_vital',
    attributes: [
      kv('browser.web_vital.name', str('LCP')),
      kv('browser.web_vital.value', { doubleValue: 812.5 }),
      kv('browser.web_vital.delta', { doubleValue: 812.5 }),
      kv('browser.web_vital.rating', str('good')),
      kv('browser.web_vital.id', str('v5-1764990000000-1234567890123')),
      kv('browser.web_vital.navigation_type', str('navigate')),
      kv('url.path', str('/ui/')),
    ],
    ...over,
  };
}
const logs = (records: unknown[]) => ({
  resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: WEB }, logRecords: records }] }],
});

/** The relayed spans (the web service's), once one with this trace id has arrived. */
const relayedTrace = (traceId: string) =>
  eventually(
    () => {
      const found = receiver.spans().filter((s) => s.traceId === traceId);
      return found.length > 0 ? found : undefined;
    },
    10_000,
    `the relayed trace ${traceId}`,
  );
const everything = () => JSON.stringify(receiver.requests);

/** Posts a valid span and waits for it: what was posted before it has been sent on, or never will be. */
async function settled(): Promise<OtlpSpan> {
  const span = pageSpan();
  expect((await post('traces', traces([span]))).status).toBe(200);
  return (await relayedTrace(span.traceId as string))[0] as OtlpSpan;
}

describe('what is forwarded is built, not filtered', () => {
  it('lets nothing through in the snake_case spelling the Collector also reads', async () => {
    const server = [kv('service.name', { string_value: 'otel-monitoring-service' })];
    const snakeTraces = {
      resourceSpans: [{}],
      resource_spans: [
        {
          resource: { attributes: server },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: hex(16),
                  span_id: hex(8),
                  name: 'GET /admin/delete-all-users-a71c',
                  kind: 2,
                  start_time_unix_nano: ago(2_000),
                  end_time_unix_nano: ago(1_000),
                },
              ],
            },
          ],
        },
      ],
    };
    const snakeLogs = {
      resourceLogs: [{}],
      resource_logs: [
        {
          resource: { attributes: server },
          scope_logs: [{ log_records: [{ body: { string_value: 'database credentials rejected b82d' } }] }],
        },
      ],
    };
    const snakeValue = traces([
      pageSpan({ attributes: [kv('url.full', { string_value: 'http://localhost/ui/?token=c93e' })] }),
    ]);
    for (const [signal, body] of [
      ['traces', snakeTraces],
      ['logs', snakeLogs],
      ['traces', snakeValue],
    ] as const) {
      const res = await post(signal, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
    }
    await settled();
    for (const marker of ['a71c', 'b82d', 'c93e']) expect(everything()).not.toContain(marker);
  });

  it("keeps only the server's resource: the web service's name and the page's browser.* attributes", async () => {
    const posed = [
      kv('service.name', str('otel-monitoring-service')),
      kv('service.instance.id', str(hex(8))),
      kv('service.namespace', str('prod')),
      kv('deployment.environment.name', str('production')),
      kv('k8s.pod.name', str('app-0')),
      kv('browser.language', str('en-US')),
      kv('browser.mobile', { boolValue: false }),
      ...Array.from({ length: 20 }, (_, i) => kv(`junk.${i}`, str('x'))),
    ];
    const span = pageSpan();
    expect((await post('traces', traces([span], posed))).status).toBe(200);
    const [relayed] = await relayedTrace(span.traceId as string);
    expect(relayed?.resource['service.name']).toBe(WEB);
    expect(relayed?.resource['browser.language']).toBe('en-US');
    expect(relayed?.resource['browser.mobile']).toBe(false);
    const keys = Object.keys(relayed?.resource ?? {});
    expect(keys.filter((k) => !/^(service\.name|browser\.|telemetry\.sdk\.)/.test(k))).toEqual([]);
  });

  it('refuses server, producer and consumer spans: a page makes internal and client spans', async () => {
    for (const kind of [2, 4, 5]) {
      const span = pageSpan({ kind });
      const res = await post('traces', traces([span]));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/kind/);
    }
    const forged = receiver.spans().filter((s) => s.resource['service.name'] === WEB && [2, 4, 5].includes(s.kind));
    expect(forged).toEqual([]);
  });

  it('folds foreign span names, drops unlisted attributes, bounds long values', async () => {
    const span = pageSpan({
      name: 'GET /a/unique/name/4b1d',
      attributes: [
        kv('http.route', str(`/${'r'.repeat(10_000)}`)),
        kv('http.response.status_code', { intValue: '200' }),
        kv('url.full', str(`http://localhost/ui/${'p'.repeat(5_000)}?token=d04f`)),
        kv('enduser.id', str('ada')),
      ],
    });
    expect((await post('traces', traces([span]))).status).toBe(200);
    const [relayed] = await relayedTrace(span.traceId as string);
    expect(relayed?.name).toBe('other');
    expect(relayed?.attributes['http.response.status_code']).toBe(200);
    expect(relayed?.attributes['http.route']).toBeUndefined();
    expect(relayed?.attributes['enduser.id']).toBeUndefined();
    const url = String(relayed?.attributes['url.full']);
    expect(url.length).toBeLessThanOrEqual(1024);
    expect(url).not.toContain('d04f');
  });

  it("refuses times far from the server's clock and durations beyond a page's", async () => {
    const cases = [
      pageSpan({ startTimeUnixNano: '1', endTimeUnixNano: '2' }),
      pageSpan({ startTimeUnixNano: '2786400000000000000', endTimeUnixNano: '2786400001000000000' }),
      pageSpan({ startTimeUnixNano: ago(3_000_000), endTimeUnixNano: ago(1_000) }),
      pageSpan({ startTimeUnixNano: ago(1_000), endTimeUnixNano: ago(2_000) }),
    ];
    for (const span of cases) {
      const res = await post('traces', traces([span]));
      expect(res.status, JSON.stringify(span).slice(0, 200)).toBe(400);
      expect((await res.json()).error).toMatch(/time/);
    }
  });

  it('takes Web Vitals only with their defined names, ratings and ranges, and the pages it serves', async () => {
    const attr = (key: string, value: unknown) =>
      vital({
        attributes: [
          ...(vital().attributes as unknown[]).filter((a) => (a as { key: string }).key !== key),
          kv(key, value),
        ],
      });
    for (const bad of [
      attr('browser.web_vital.name', str('XYZ')),
      attr('browser.web_vital.rating', str('great')),
      attr('browser.web_vital.value', { doubleValue: 1e12 }),
      vital({ eventName: 'app.anything' }),
    ]) {
      expect((await post('logs', logs([bad]))).status, JSON.stringify(bad).slice(0, 300)).toBe(400);
    }
    const elsewhere = attr('url.path', str('/admin/e15a'));
    expect((await post('logs', logs([elsewhere]))).status).toBe(200);
    const record = await eventually(
      () => receiver.logs().find((l) => l.resource['service.name'] === WEB),
      10_000,
      'the relayed Web Vital',
    );
    expect(record.attributes['browser.web_vital.name']).toBe('LCP');
    expect(record.attributes['url.path']).toBe('other');
    expect(everything()).not.toContain('e15a');
  });
});

describe('a hostile body costs a 4xx and no more', () => {
  it('answers 5,000-deep bodies with a 4xx or an empty batch, and logs no error', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const structural = `{"resourceSpans":[{"scopeSpans":[${deep}]}]}`;
    const res = await post('traces', structural);
    expect(res.status).toBe(400);
    expect(typeof (await res.json()).error).toBe('string');
    // Deep inside a value no rule reads: the attribute is dropped, nothing else happens.
    const inValue = `{"resourceSpans":[{"resource":{"attributes":[{"key":"browser.brands","value":{"arrayValue":{"values":[${deep}]}}}]},"scopeSpans":[]}]}`;
    expect((await post('traces', inValue)).status).toBeLessThan(500);
    expect(service.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('takes an upload cut mid-body as no error', async () => {
    const socket = connect(service.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /ui/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"resourceSpans":[`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the request has reached the route
    socket.destroy();
    await settled(); // the server has moved on past the aborted request
    expect(service.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('sends on at most about as many bytes as it took, however the body is shaped', async () => {
    // The shapes that grew most before: many empty resources and scopes, minimal spans.
    const before = receiver.bytes.traces;
    let posted = 0;
    const bodies = [
      { resourceSpans: Array.from({ length: 2_000 }, () => ({})) },
      { resourceSpans: [{ scopeSpans: Array.from({ length: 2_000 }, () => ({})) }] },
      // Spans of four traces: the new-trace budget is not what this measures.
      traces(
        Array.from({ length: 200 }, (_, i) => ({
          ...pageSpan({ traceId: `${'f'.repeat(31)}${i % 4}` }),
          attributes: [],
        })),
      ),
      traces([{ ...pageSpan(), attributes: [] }]),
    ];
    for (const body of bodies) {
      const text = JSON.stringify(body);
      const res = await post('traces', text);
      if (res.status === 200) posted += Buffer.byteLength(text);
      else expect(res.status).toBe(400);
    }
    await settled();
    const ratio = (receiver.bytes.traces - before) / posted;
    console.log(JSON.stringify({ relay_bytes_out_per_byte_in: Number(ratio.toFixed(3)) }));
    expect(ratio).toBeLessThan(3);
  });
});

describe('the edges around it', () => {
  it('refuses a Host it does not serve (DNS rebinding) on every route, and serves its own', async () => {
    const port = service.port;
    for (const path of ['/metrics', '/network-check', '/ui/v1/traces']) {
      const res = await rawRequest(service.url, { path, headers: { host: `rebind.attacker.test:${port}` } });
      expect(res.status, path).toBe(421);
      expect(JSON.parse(res.body).error).toMatch(/host/i);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(service.url, { path: '/healthz', headers: { host } })).status, host).toBe(200);
    }
  });

  it("forwards with the SDK's OTLP headers, as the SDK's own exports do", async () => {
    await settled();
    const relayed = receiver.requests.traces
      .map((body, i) => ({ body: JSON.stringify(body), i }))
      .filter(({ body }) => body.includes(WEB));
    expect(relayed.length).toBeGreaterThan(0);
    // headers[] holds every signal's requests in arrival order; each relayed one carried the token.
    const tokens = receiver.headers.map((h) => h.authorization);
    expect(tokens.every((t) => t === TOKEN)).toBe(true);
  });

  it('counts its answers by route and status in /metrics', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const line = (status: number) =>
      text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('http_server_request_duration_seconds_count{') &&
            l.includes('http_route="/ui/v1/traces"') &&
            l.includes(`http_response_status_code="${status}"`),
        );
    expect(line(200)).toBeDefined();
    expect(line(400)).toBeDefined();
  });

  it('warns about refused bodies in at most one line per interval', () => {
    const warnings = service.lines.filter((l) => l.level === 'warn' && String(l.message).includes('browser telemetry'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(2);
  });

  it('admits new traces at its budget, whatever the request rate: 429 with Retry-After past it', async () => {
    const statuses: number[] = [];
    const admitted = new Set<string>();
    const started = performance.now();
    for (let i = 0; i < 150; i++) {
      const spans = Array.from({ length: 4 }, () => pageSpan());
      const res = await post('traces', traces(spans));
      statuses.push(res.status);
      if (res.status === 200) for (const s of spans) admitted.add(s.traceId as string);
      else expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ relay_new_traces_admitted: admitted.size, seconds: Number(seconds.toFixed(2)) }));
    expect(statuses).toContain(429);
    // The burst, then the refill: far below the 600 new traces posted.
    expect(admitted.size).toBeLessThan(100);
  });
});
