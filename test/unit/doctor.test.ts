// The doctor's reading of each backend's answer, against canned answers in the shapes the real
// backends give (the stack test runs it against the real ones). A loopback HTTP server serves them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Context, type Endpoints, HOPS } from '../../scripts/doctor/hops.js';
import { parseSamples, sum } from '../../scripts/doctor/prometheus-text.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** Serves path (without query) -> [status, body]; returns its base URL. */
async function serve(routes: Record<string, [number, unknown]>): Promise<string> {
  server = createServer((req, res) => {
    const [status, body] = routes[(req.url ?? '').split('?')[0] as string] ?? [404, 'not found'];
    res.writeHead(status).end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function check(id: string, base: string, context: Partial<Context> = {}) {
  const endpoints: Endpoints = {
    service: base,
    collectorHealth: base,
    collectorMetrics: base,
    prometheus: base,
    jaeger: base,
    loki: base,
    alertmanager: base,
    mailpit: base,
    serviceName: 'svc',
  };
  const hop = HOPS.find((h) => h.id === id);
  if (!hop) throw new Error(`no hop ${id}`);
  return hop.check(endpoints, {
    sdkAtStart: undefined,
    collectorAtStart: undefined,
    startedAt: 0,
    windowMs: 0,
    ...context,
  });
}

describe('Prometheus text', () => {
  it('reads names, escaped label values and values, and sums by filter', () => {
    const samples = parseSamples(
      [
        '# HELP x y',
        'otelcol_exporter_sent_spans_total{exporter="otlp_grpc/jaeger",note="a \\"quoted\\" value"} 12',
        'otelcol_exporter_sent_spans_total{exporter="otlp_http/loki"} 3',
        'up 1',
      ].join('\n'),
    );
    expect(samples[0]?.labels.note).toBe('a "quoted" value');
    expect(sum(samples, /^otelcol_exporter_sent_/)).toBe(15);
    expect(sum(samples, /^otelcol_exporter_sent_/, (l) => l.exporter === 'otlp_http/loki')).toBe(3);
    expect(sum(samples, /^up$/)).toBe(1);
  });
});

describe('the hops read their backends', () => {
  it('service: both probes 200 pass, a 503 readiness fails with its reason', async () => {
    const ok = await serve({
      '/healthz': [200, { status: 'ok' }],
      '/readyz': [200, { status: 'ready', database: 'external' }],
    });
    expect((await check('service', ok)).ok).toBe(true);
    server?.close();
    const down = await serve({
      '/healthz': [200, { status: 'ok' }],
      '/readyz': [503, { error: 'database unavailable: the embedded database is starting' }],
    });
    const result = await check('service', down);
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toContain('embedded database is starting');
  });

  it('sdk-export: fails on failures that are new since the start, or on nothing exported', async () => {
    const text = (failed: number) =>
      [
        'otel_sdk_processor_span_processed_total{otel_component_type="batching_span_processor"} 40',
        `otel_sdk_processor_span_processed_total{error_type="ECONNREFUSED"} ${failed}`,
        'otel_sdk_processor_log_processed_total{otel_component_type="batching_log_processor"} 12',
        'otel_sdk_exporter_metric_data_point_exported_total{otel_component_type="otlp_http_metric_exporter"} 300',
      ].join('\n');
    const base = await serve({ '/metrics': [200, text(5)] });
    expect((await check('sdk-export', base, { sdkAtStart: parseSamples(text(5)) })).ok).toBe(true);
    const result = await check('sdk-export', base, { sdkAtStart: parseSamples(text(2)) });
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('new failures in the last 0 s: 3');
    // The totals are the page's own sums, so the line agrees with /metrics.
    expect(result.detail).toContain('spans exported 40, failed 5');
  });

  it('collector: a failing receiver fails it; a failing exporter is left to collector-export', async () => {
    const status = (component: string) => ({
      healthy: true,
      status: 'StatusRecoverableError',
      components: {
        'pipeline:logs': {
          components: {
            'receiver:otlp': { status: 'StatusOK' },
            [component]: { status: 'StatusRecoverableError', error: 'connection refused' },
          },
        },
      },
    });
    const exporterDown = await serve({ '/status': [200, status('exporter:otlp_http/loki')] });
    expect((await check('collector', exporterDown)).ok).toBe(true);
    server?.close();
    const receiverDown = await serve({ '/status': [503, status('processor:memory_limiter')] });
    expect((await check('collector', receiverDown)).ok).toBe(false);
  });

  it('collector-receive: needs spans and log records rising over the window, and metric points', async () => {
    const text = (spans: number, logs: number) =>
      [
        `otelcol_receiver_accepted_spans_total{receiver="otlp"} ${spans}`,
        `otelcol_receiver_accepted_log_records_total{receiver="otlp"} ${logs}`,
        'otelcol_receiver_accepted_metric_points_total{receiver="otlp"} 99',
        'otelcol_receiver_refused_spans_total{receiver="otlp"} 0',
      ].join('\n');
    const base = await serve({ '/metrics': [200, text(10, 6)] });
    expect((await check('collector-receive', base, { collectorAtStart: parseSamples(text(9, 3)) })).ok).toBe(true);
    const flat = await check('collector-receive', base, { collectorAtStart: parseSamples(text(9, 6)) });
    expect(flat.ok).toBe(false);
    expect(flat.hint).toContain('log_records');
    expect(flat.hint).not.toContain('spans');
  });

  it('collector-export: names the backend whose queue holds items while nothing is sent', async () => {
    const text = (lokiSent: number, queue: number) =>
      [
        'otelcol_exporter_sent_spans_total{exporter="otlp_grpc/jaeger"} 500',
        `otelcol_exporter_sent_log_records_total{exporter="otlp_http/loki"} ${lokiSent}`,
        `otelcol_exporter_queue_size{exporter="otlp_http/loki"} ${queue}`,
      ].join('\n');
    const base = await serve({ '/metrics': [200, text(30, 40)], '/status': [200, { healthy: true, components: {} }] });
    const stalled = await check('collector-export', base, { collectorAtStart: parseSamples(text(30, 12)) });
    expect(stalled.ok).toBe(false);
    expect(stalled.detail).toBe('Loki (otlp_http/loki) queues 40 without sending');
    const moving = await check('collector-export', base, { collectorAtStart: parseSamples(text(25, 12)) });
    expect(moving).toMatchObject({
      ok: true,
      detail: 'Jaeger (otlp_grpc/jaeger) sent 500, Loki (otlp_http/loki) sent 30',
    });
  });

  it('browser-relay: passes when the relay takes an empty batch, names the Collector when it cannot', async () => {
    const ok = await serve({ '/ui/v1/traces': [200, {}] });
    expect((await check('browser-relay', ok)).ok).toBe(true);
    server?.close();
    const down = await serve({ '/ui/v1/traces': [503, { error: 'the Collector is unreachable: ECONNREFUSED' }] });
    const result = await check('browser-relay', down);
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('POST /ui/v1/traces 503: the Collector is unreachable: ECONNREFUSED');
    expect(result.hint).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('prometheus-scrape: fails on a Collector or postgres-exporter target that is down', async () => {
    const base = await serve({
      '/api/v1/targets': [
        200,
        {
          status: 'success',
          data: {
            activeTargets: [
              { labels: { job: 'otel-collector' }, health: 'up', scrapeUrl: 'http://otel-collector:8889/metrics' },
              {
                labels: { job: 'postgres-exporter' },
                health: 'down',
                scrapeUrl: 'http://postgres-exporter:9187/metrics',
                lastError: 'connection refused',
              },
              { labels: { job: 'prometheus' }, health: 'up' },
            ],
          },
        },
      ],
    });
    const result = await check('prometheus-scrape', base);
    expect(result.ok).toBe(false);
    expect(result.hint).toContain('postgres-exporter:9187');
  });

  it('prometheus-data: passes on samples for the service, fails on an empty result', async () => {
    const some = await serve({
      '/api/v1/query': [200, { status: 'success', data: { result: [{ value: [0, '42'] }] } }],
    });
    expect((await check('prometheus-data', some)).ok).toBe(true);
    server?.close();
    const none = await serve({ '/api/v1/query': [200, { status: 'success', data: { result: [] } }] });
    expect((await check('prometheus-data', none)).ok).toBe(false);
  });

  it('jaeger: needs the service listed and a recent trace', async () => {
    const listed = await serve({
      '/api/services': [200, { data: ['svc', 'jaeger'] }],
      '/api/traces': [200, { data: [{ traceID: 'abc' }] }],
    });
    expect(await check('jaeger', listed)).toMatchObject({ ok: true });
    server?.close();
    const missing = await serve({ '/api/services': [200, { data: ['jaeger'] }] });
    expect((await check('jaeger', missing)).ok).toBe(false);
  });

  it('loki: needs /ready and log lines of the service', async () => {
    const ok = await serve({
      '/ready': [200, 'ready\n'],
      '/loki/api/v1/query_range': [
        200,
        { status: 'success', data: { result: [{ stream: {}, values: [['1', 'x']] }] } },
      ],
    });
    expect((await check('loki', ok)).ok).toBe(true);
    server?.close();
    const starting = await serve({ '/ready': [503, 'Ingester not ready'] });
    expect((await check('loki', starting)).ok).toBe(false);
  });

  it('alert-rules: needs rules loaded and evaluating', async () => {
    const rule = (name: string, state: string, health = 'ok') => ({ name, state, health, lastError: '' });
    const ok = await serve({
      '/api/v1/rules': [
        200,
        { data: { groups: [{ rules: [rule('A', 'firing'), rule('B', 'inactive'), rule('C', 'pending')] }] } },
      ],
    });
    expect(await check('alert-rules', ok)).toMatchObject({ ok: true, detail: '3 alert rules, 1 firing, 1 pending' });
    server?.close();
    const none = await serve({ '/api/v1/rules': [200, { data: { groups: [] } }] });
    expect((await check('alert-rules', none)).ok).toBe(false);
    server?.close();
    const broken = await serve({
      '/api/v1/rules': [200, { data: { groups: [{ rules: [rule('A', 'inactive', 'err')] }] } }],
    });
    expect((await check('alert-rules', broken)).detail).toContain('failing to evaluate: A');
  });

  it('alertmanager: needs an Alertmanager that Prometheus sends to', async () => {
    const answers = (active: unknown[]): Record<string, [number, unknown]> => ({
      '/api/v2/status': [200, { config: { original: 'route: {}' }, cluster: { status: 'disabled' } }],
      '/api/v1/alertmanagers': [200, { data: { activeAlertmanagers: active, droppedAlertmanagers: [] } }],
      '/metrics': [200, 'alertmanager_alerts_received_total{status="firing",version="v2"} 4\n'],
    });
    const ok = await serve(answers([{ url: 'http://alertmanager:9093/api/v2/alerts' }]));
    expect(await check('alertmanager', ok)).toMatchObject({ ok: true });
    expect((await check('alertmanager', ok)).detail).toContain('4 alerts received');
    server?.close();
    const unsent = await serve(answers([]));
    expect(await check('alertmanager', unsent)).toMatchObject({ ok: false });
  });

  it('alert-receiver: fails on a failed e-mail, and reads the inbox', async () => {
    const metrics = (failed: number) =>
      [
        'alertmanager_notifications_total{integration="email",receiver_name="on-call"} 3',
        `alertmanager_notifications_failed_total{integration="email",reason="other",receiver_name="on-call"} ${failed}`,
        'alertmanager_notifications_total{integration="webhook",receiver_name="x"} 9',
      ].join('\n');
    const ok = await serve({ '/metrics': [200, metrics(0)], '/api/v1/messages': [200, { total: 2, messages: [] }] });
    expect(await check('alert-receiver', ok)).toMatchObject({ ok: true });
    expect((await check('alert-receiver', ok)).detail).toBe(`3 e-mails sent, none failed; the inbox holds 2 (${ok})`);
    server?.close();
    const failing = await serve({ '/metrics': [200, metrics(2)] });
    expect(await check('alert-receiver', failing)).toMatchObject({ ok: false, detail: '2 of 3 e-mails failed' });
  });
});
