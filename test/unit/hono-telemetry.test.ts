// The middleware otel/hono-telemetry.ts on a small app of its own, with the SDK's in-memory
// exporters: what a copy of that one file records, apart from this service's routes.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpTelemetry } from '../../otel/hono-telemetry.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});

function harness(traceResponse = false) {
  const spans = new InMemorySpanExporter();
  const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }).getTracer('t');
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('t');
  const thrownSeenIn: string[] = [];

  const app = new Hono();
  app.use(
    httpTelemetry({
      tracer,
      meter,
      unobservedPaths: ['/healthz'],
      untracedPaths: ['/upload'],
      traceResponse,
      onThrown: (error) => {
        thrownSeenIn.push(trace.getActiveSpan()?.spanContext().traceId ?? 'no span');
        return Response.json({ error: error.message }, { status: 503 });
      },
    }),
  );
  app.use('/items/*', async (_c, next) => next());
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/upload', bodyLimit({ maxSize: 16 }), async (c) => c.text(await c.req.text()));
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.get('/refuse', () => {
    throw new HTTPException(400, { message: 'no' });
  });
  app.get('/throw-string', () => {
    throw 'not an error';
  });
  app.get('/marked', (c) => {
    trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'the route knows why' });
    return c.text('down', 502);
  });
  app.all('/anything', (c) => c.text('any'));
  app.onError((error, c) => c.json({ error: error.message }, error instanceof HTTPException ? error.status : 500));

  return {
    app,
    thrownSeenIn,
    spans: () => spans.getFinishedSpans(),
    async durations() {
      await reader.forceFlush();
      const metrics =
        metricExporter
          .getMetrics()
          .at(-1)
          ?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
      const histogram = metrics.find((m) => m.descriptor.name === 'http.server.request.duration');
      return histogram?.dataPoints.map((p) => p.attributes) ?? [];
    },
  };
}

describe('httpTelemetry', () => {
  it('names the span by method and route, and puts http.route on the span and the histogram', async () => {
    const h = harness();
    const res = await h.app.request('http://example.test:8080/items/42?token=secret&flag');
    expect(res.status).toBe(200);
    const [span] = h.spans();
    expect(span?.name).toBe('GET /items/:id');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/items/:id',
      'http.response.status_code': 200,
      'url.path': '/items/42',
      'url.query': 'token=REDACTED&REDACTED',
      'url.scheme': 'http',
      'server.address': 'example.test',
      'server.port': 8080,
    });
    expect(await h.durations()).toEqual([
      {
        'http.request.method': 'GET',
        'http.route': '/items/:id',
        'http.response.status_code': 200,
        'url.scheme': 'http',
      },
    ]);
  });

  it('continues the trace a traceparent header names', async () => {
    const h = harness();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await h.app.request('/items/1', { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(h.spans()[0]?.spanContext().traceId).toBe(traceId);
    expect(h.spans()[0]?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('names an unmatched path by method alone, and never puts the path in a name or a label', async () => {
    const h = harness();
    expect((await h.app.request('/no/such/thing')).status).toBe(404);
    expect(h.spans().map((s) => s.name)).toEqual(['GET']);
    expect(h.spans()[0]?.attributes['http.route']).toBeUndefined();
    expect(await h.durations()).toEqual([
      { 'http.request.method': 'GET', 'http.response.status_code': 404, 'url.scheme': 'http' },
    ]);
  });

  it('folds an unknown method into _OTHER and keeps what was sent on the span', async () => {
    const h = harness();
    await h.app.request('/anything', { method: 'BREW' });
    const [span] = h.spans();
    expect(span?.name).toBe('HTTP /anything');
    expect(span?.attributes['http.request.method']).toBe('_OTHER');
    expect(span?.attributes['http.request.method_original']).toBe('BREW');
  });

  it('answers HEAD with the GET route', async () => {
    const h = harness();
    await h.app.request('/items/7', { method: 'HEAD' });
    expect(h.spans()[0]?.name).toBe('HEAD /items/:id');
  });

  it('marks a 5xx as an error, and a 4xx not', async () => {
    const h = harness();
    expect((await h.app.request('/fail')).status).toBe(500);
    expect((await h.app.request('/refuse')).status).toBe(400);
    const [failed, refused] = h.spans();
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes['error.type']).toBe('500');
    expect(refused?.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused?.attributes['error.type']).toBeUndefined();
  });

  it('keeps the status a route set on its span', async () => {
    const h = harness();
    await h.app.request('/marked');
    expect(h.spans()[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the route knows why' });
  });

  it('answers what onError never sees with onThrown, inside the span, and records it', async () => {
    const h = harness();
    const res = await h.app.request('/throw-string');
    expect(res.status).toBe(503);
    const [span] = h.spans();
    expect(h.thrownSeenIn).toEqual([span?.spanContext().traceId]);
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    expect(span?.attributes['http.response.status_code']).toBe(503);
  });

  it('neither traces nor measures an unobserved path', async () => {
    const h = harness();
    expect((await h.app.request('/healthz')).status).toBe(200);
    expect(h.spans()).toEqual([]);
    expect(await h.durations()).toEqual([]);
  });

  it('measures an untraced path by route and status, a 413 from its body limit included', async () => {
    const h = harness();
    expect((await h.app.request('/upload', { method: 'POST', body: 'small' })).status).toBe(200);
    expect((await h.app.request('/upload', { method: 'POST', body: 'x'.repeat(64) })).status).toBe(413);
    expect(h.spans()).toEqual([]);
    const statuses = (await h.durations()).map((a) => [a['http.route'], a['http.response.status_code']]);
    expect(statuses.sort()).toEqual([
      ['/upload', 200],
      ['/upload', 413],
    ]);
  });

  it('tells the client its trace in traceresponse when asked, on recorded traces only', async () => {
    const h = harness(true);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await h.app.request('/items/1', { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    const span = h.spans()[0];
    expect(res.headers.get('traceresponse')).toBe(`00-${traceId}-${span?.spanContext().spanId}-01`);
    const upload = await h.app.request('/upload', { method: 'POST', body: 'small' });
    expect(upload.headers.get('traceresponse')).toBeNull();
    expect((await harness().app.request('/items/1')).headers.get('traceresponse')).toBeNull();
    // A trace the caller chose not to sample is nowhere to be found: no header.
    const unsampled = await h.app.request('/items/1', {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-00` },
    });
    expect(unsampled.headers.get('traceresponse')).toBeNull();
  });
});
