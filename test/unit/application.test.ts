import { SpanStatusCode } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { MAX_ITERATIONS } from '../../src/routes/application.js';
import { createUnitHarness, serviceApp } from '../support/unit-deps.js';

describe('GET /', () => {
  it('greets', async () => {
    const { deps } = createUnitHarness();
    const res = await serviceApp(deps).request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello, DevOps Monitoring!');
  });
});

describe('GET /simulate-load', () => {
  it('does the work in a child span and records its duration', async () => {
    const h = createUnitHarness();
    const res = await serviceApp(h.deps).request('/simulate-load?iterations=20000');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.iterations).toBe(20000);
    expect(body.result).toBeGreaterThan(0);
    const work = h.spans().find((s) => s.name === 'simulate-load work');
    const server = h.spans().find((s) => s.name === 'GET /simulate-load');
    expect(work?.attributes['app.simulated_load.iterations']).toBe(20000);
    expect(work?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    const metric = await h.metric('app.simulated_load.duration');
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(metric?.dataPoints[0]?.value).toMatchObject({ count: 1 });
  });

  it('defaults to one million iterations', async () => {
    const { deps } = createUnitHarness();
    const body = await (await serviceApp(deps).request('/simulate-load')).json();
    expect(body.iterations).toBe(1_000_000);
  });

  it.each([
    ['abc', 'integer'],
    ['-5', 'integer'],
    ['1.5', 'integer'],
    ['1e6', 'integer'],
    ['', 'integer'],
    [String(MAX_ITERATIONS + 1), 'integer'],
    ['99999999999999999999999', 'integer'],
  ])('answers 400 JSON for iterations=%s', async (value, word) => {
    const { deps } = createUnitHarness();
    const res = await serviceApp(deps).request(`/simulate-load?iterations=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await res.json()).error).toContain(word);
  });

  it('answers 400 when iterations is given twice', async () => {
    const { deps } = createUnitHarness();
    const res = await serviceApp(deps).request('/simulate-load?iterations=1&iterations=2');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain('once');
  });
});

describe('GET /simulate-error', () => {
  it('fails with 500, an error span with an exception event, a counted error and a log', async () => {
    const h = createUnitHarness({ random: () => 0.1 });
    const res = await serviceApp(h.deps).request('/simulate-error?rate=0.5');
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatch(/simulated error/i);
    const server = h.spans().find((s) => s.name === 'GET /simulate-error');
    expect(server?.attributes['http.response.status_code']).toBe(500);
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    // The route's description survives the middleware's 5xx handling: Jaeger shows it.
    expect(server?.status.message).toBe('Simulated error for monitoring demonstration');
    expect(server?.events.map((e) => e.name)).toContain('exception');
    const counter = await h.metric('app.simulated_errors');
    expect(counter?.dataPoints[0]?.value).toBe(1);
    expect(h.logs.some((r) => r.level === 'error' && r.message === 'simulated error')).toBe(true);
  });

  it('succeeds when the draw is above the rate, and never fails at rate 0', async () => {
    const h = createUnitHarness({ random: () => 0.9 });
    expect((await serviceApp(h.deps).request('/simulate-error')).status).toBe(200);
    const never = createUnitHarness({ random: () => 0 });
    expect((await serviceApp(never.deps).request('/simulate-error?rate=0')).status).toBe(200);
    const always = createUnitHarness({ random: () => 0.999 });
    expect((await serviceApp(always.deps).request('/simulate-error?rate=1')).status).toBe(500);
    expect(await h.metric('app.simulated_errors')).toBeUndefined();
  });

  it.each(['-0.1', '1.01', 'abc', 'NaN', 'Infinity', '', '0x1', '1e-1'])(
    'answers 400 JSON for rate=%s',
    async (value) => {
      const { deps } = createUnitHarness();
      const res = await serviceApp(deps).request(`/simulate-error?rate=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain('"rate" must be a number from 0 to 1');
    },
  );
});

describe('unknown routes and methods', () => {
  it.each(['/nope', '/simulate-load/extra', '/%F0%9F%92%A5', `/${'x'.repeat(5000)}`])(
    'answers 404 JSON for %s',
    async (path) => {
      const { deps } = createUnitHarness();
      const res = await serviceApp(deps).request(path);
      expect(res.status).toBe(404);
      const body = await res.json();
      expect(body.error).toMatch(/^no route for GET/);
      expect(body.error.length).toBeLessThanOrEqual(200);
    },
  );

  it('names the span HTTP for a method outside the known set, keeping the original', async () => {
    const h = createUnitHarness();
    const res = await serviceApp(h.deps).request('/', { method: 'PURGE' });
    expect(res.status).toBe(405);
    const [span] = h.spans();
    expect(span?.name).toBe('HTTP');
    expect(span?.attributes['http.request.method']).toBe('_OTHER');
    expect(span?.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('answers 405 JSON with Allow for a known path with another method, and OPTIONS with Allow', async () => {
    const { deps } = createUnitHarness();
    const res = await serviceApp(deps).request('/', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await res.json()).error).toBe('POST is not allowed here; / takes GET, HEAD, OPTIONS');
    const options = await serviceApp(deps).request('/ui/v1/logs', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('OPTIONS, POST');
  });
});

describe('http.server.active_requests', () => {
  it('is counted per method and scheme, and back to zero after the request', async () => {
    const h = createUnitHarness();
    await serviceApp(h.deps).request('/');
    const metric = await h.metric('http.server.active_requests');
    expect(metric?.dataPoints[0]?.attributes).toEqual({ 'http.request.method': 'GET', 'url.scheme': 'http' });
    expect(metric?.dataPoints[0]?.value).toBe(0);
  });
});

describe('a handler that throws', () => {
  it.each([
    ['an Error', () => new Error('boom from a handler')],
    ['a non-Error value', () => 'boom from a handler'],
  ])('answers 500 JSON for %s, and the span, histogram and log all say 500', async (_label, make) => {
    const h = createUnitHarness();
    const app = serviceApp(h.deps);
    app.get('/boom', () => {
      throw make();
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
    const span = h.spans().find((s) => s.name === 'GET /boom');
    expect(span?.attributes['http.response.status_code']).toBe(500);
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toContain('boom from a handler');
    const exception = span?.events.find((e) => e.name === 'exception');
    expect(exception?.attributes?.['exception.message']).toContain('boom from a handler');
    const duration = await h.metric('http.server.request.duration');
    const statuses = duration?.dataPoints.map((p) => p.attributes['http.response.status_code']);
    expect(statuses).toEqual([500]);
    expect(h.logs.some((r) => r.level === 'error' && r.message === 'unhandled error')).toBe(true);
  });
});

describe('server span attributes', () => {
  it('records url.query with every value redacted, whatever its key, and server.address and port', async () => {
    const h = createUnitHarness();
    const res = await serviceApp(h.deps).request(
      'http://api.example.test:8443/simulate-load?iterations=10&api_token=abc&Signature=xyz&jwt=eyJ&KEYONLY',
    );
    expect(res.status).toBe(200);
    const span = h.spans().find((s) => s.name === 'GET /simulate-load');
    // A key without a value may itself be the token: it goes whole.
    expect(span?.attributes['url.query']).toBe(
      'iterations=REDACTED&api_token=REDACTED&Signature=REDACTED&jwt=REDACTED&REDACTED',
    );
    expect(span?.attributes['server.address']).toBe('api.example.test');
    expect(span?.attributes['server.port']).toBe(8443);
  });

  it('leaves url.query out when there is none, and defaults the port by scheme', async () => {
    const h = createUnitHarness();
    await serviceApp(h.deps).request('http://example.test/');
    const [span] = h.spans();
    expect(span?.attributes).not.toHaveProperty('url.query');
    expect(span?.attributes['server.port']).toBe(80);
  });
});

describe('a request whose span is not sampled', () => {
  const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331';

  it('is still measured by route and status, and records no span', async () => {
    const h = createUnitHarness({}, new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    const res = await serviceApp(h.deps).request('/simulate-load?iterations=10');
    expect(res.status).toBe(200);
    expect(h.spans()).toEqual([]);
    const duration = await h.metric('http.server.request.duration');
    expect(duration?.dataPoints.map((p) => p.attributes)).toEqual([
      {
        'http.request.method': 'GET',
        'url.scheme': 'http',
        'http.response.status_code': 200,
        'http.route': '/simulate-load',
      },
    ]);
  });

  it('gets every request attribute when a sampled parent makes it record', async () => {
    const h = createUnitHarness({}, new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    const app = serviceApp(h.deps);
    await app.request('http://example.test/?a=1', { headers: { traceparent: `${TRACEPARENT}-00` } });
    expect(h.spans()).toEqual([]);
    await app.request('http://example.test/?a=1', { headers: { traceparent: `${TRACEPARENT}-01` } });
    const [span] = h.spans();
    expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/',
      'http.route': '/',
      'url.query': 'a=REDACTED',
      'server.address': 'example.test',
      'server.port': 80,
      'http.response.status_code': 200,
    });
  });
});

describe('request bodies', () => {
  it('limits the body of a route that reads one: 413 JSON, measured on its route', async () => {
    const h = createUnitHarness();
    const res = await serviceApp(h.deps).request('/ui/v1/traces', { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('request body over 65536 bytes');
    const duration = await h.metric('http.server.request.duration');
    expect(
      duration?.dataPoints.map((p) => [p.attributes['http.route'], p.attributes['http.response.status_code']]),
    ).toEqual([['/ui/v1/traces', 413]]);
  });

  it('never reads the body of a route that takes none: 405, traced', async () => {
    const h = createUnitHarness();
    const res = await serviceApp(h.deps).request('/', { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(405);
    expect(h.spans().map((s) => [s.name, s.attributes['http.response.status_code']])).toEqual([['POST', 405]]);
  });
});
