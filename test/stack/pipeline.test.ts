// The whole pipeline, end to end, with the real programs the compose images run, built natively
// (scripts/stack-install.sh) and started on loopback with the repo's own config files, wired as
// docs/architecture.md draws it. Loki is the exception: a second Collector (loki-standin.yaml)
// receives what the Loki exporter sends and relays it to the test. Then every assertion goes
// through a backend's own HTTP API: what a dashboard, a Grafana link or an alert would see.
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeNumber } from '../../support/env.js';
import { eventually, type ServiceProcess, startService, waitReady } from '../../support/service.js';
import { CHROMIUM, clickEndpoint, hasChromium, launchChromium } from '../support/browser.js';
import { type ComposeService, nativeArgs, resolveCompose } from '../support/compose-command.js';
import { readText, readYaml } from '../support/config-files.js';
import { expandTraceLink, type JaegerTrace } from '../support/grafana-links.js';
import { logqlErrors, selectLogs } from '../support/logql.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { prometheusTypes } from '../support/prometheus-samples.js';
import { interpolate, promqlErrors } from '../support/promql.js';
import { REQUIRE_STACK, stackBin } from '../support/stack.js';
import { runDoctor } from '../support/user-commands.js';
import { backendLogsSay, startBackend, stopAll, waitHealthy } from './backends.js';
import { composeTargetPorts, DEFAULT_STACK_PORT_BASE, type StackPorts, stackPorts } from './ports.js';
import { withPrometheusOverlay } from './prometheus-overlay.js';

const POSTGRES_EXPORTER = '/usr/bin/prometheus-postgres-exporter';
const bins = {
  otelcol: stackBin('otelcol'),
  jaeger: stackBin('jaeger'),
  prometheus: stackBin('prometheus'),
  composeCheck: stackBin('compose-check'),
};
const haveStack = Boolean(
  bins.otelcol && bins.jaeger && bins.prometheus && bins.composeCheck && process.env.DATABASE_URL,
);
if (REQUIRE_STACK && !process.env.DATABASE_URL) throw new Error('the stack test needs DATABASE_URL');

const SERVICE_NAME = 'otel-monitoring-service';
let ports: StackPorts;
let PROM: string;
let JAEGER: string;

let service: ServiceProcess;
let logSink: OtlpReceiver;
let standin: ReturnType<typeof startBackend>;
let jaeger: ReturnType<typeof startBackend>;
let traffic: NodeJS.Timeout | undefined;
// biome-ignore lint/suspicious/noExplicitAny: compose-go's resolved service
let composePrometheus: any;
const logTestTraceIds: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: Prometheus and Jaeger API answers
type Json = any;

async function promQuery(query: string): Promise<{ status: string; error?: string; data?: { result: Json[] } }> {
  const res = await fetch(`${PROM}/api/v1/query?${new URLSearchParams({ query })}`);
  return res.json();
}

// The end-user page in Chromium, when the machine has it (CI installs it): its clicks are the
// End user dashboard's traffic, and the first database click is followed into Jaeger.
let page: Page | undefined;
let browser: Browser | undefined;
const clickTraceIds: string[] = [];

async function clickOnce(): Promise<void> {
  if (!page) return;
  const db = await clickEndpoint(page, 'db');
  if (db.status === '200') clickTraceIds.push(db.traceId);
  await clickEndpoint(page, 'error');
}

async function driveOnce(): Promise<void> {
  const paths = [
    '/',
    '/simulate-load?iterations=100000',
    '/simulate-error?rate=1',
    '/simulate-error?rate=0',
    '/db-query?duration_ms=20',
    '/network-check',
    '/no/such/page',
  ];
  await Promise.all(paths.map((p) => fetch(`${service.url}${p}`).then((r) => r.arrayBuffer())));
  const body = await (await fetch(`${service.url}/log-test`)).json();
  logTestTraceIds.push(body.trace_id);
  await clickOnce();
}

describe.skipIf(!haveStack)('the pipeline, end to end', () => {
  // Each backend runs with the flags and config files docker-compose.yml gives it (paths mapped
  // to the repository's files, named volumes to temporary directories). What differs natively
  // is only where things listen: compose gives each container its own network namespace, here
  // all share loopback, so the environment moves ports and hostnames, and Prometheus gets a
  // listen address and an overlay of prometheus.yml with compose hostnames -> 127.0.0.1.
  async function startBackends(compose: Record<string, ComposeService>): Promise<void> {
    const composeServices = new Set(Object.keys(compose));
    const at = (port: number) => `127.0.0.1:${port}`;
    // Downstream first, so the Collector never has to retry.
    jaeger = startBackend('jaeger', bins.jaeger as string, nativeArgs(compose.jaeger), {
      ...compose.jaeger.environment, // GOMEMLIMIT
      JAEGER_BIND: '127.0.0.1',
      JAEGER_OTLP_GRPC_PORT: String(ports.jaegerOtlpGrpc),
      JAEGER_METRICS_PORT: String(ports.jaegerMetrics),
      JAEGER_HEALTH_PORT: String(ports.jaegerHealth),
      JAEGER_QUERY_HTTP_PORT: String(ports.jaegerQueryHttp),
      JAEGER_QUERY_GRPC_PORT: String(ports.jaegerQueryGrpc),
    });
    // Loki cannot be built here (AGPL): a second Collector stands in for it (loki-standin.yaml).
    standin = startBackend('loki-standin', bins.otelcol as string, ['--config=test/stack/loki-standin.yaml'], {
      STANDIN_PORT: String(ports.lokiStandin),
      SINK_ENDPOINT: sinkEndpoint,
    });
    await waitHealthy(jaeger, `http://${at(ports.jaegerHealth)}/status`);
    await waitHealthy(standin, `http://${at(ports.lokiStandin)}/`, 30_000, [404, 405]);
    const collector = startBackend('otelcol', bins.otelcol as string, nativeArgs(compose['otel-collector']), {
      OTELCOL_BIND: '127.0.0.1',
      OTELCOL_OTLP_GRPC_PORT: String(ports.collectorOtlpGrpc),
      OTELCOL_OTLP_HTTP_PORT: String(ports.collectorOtlpHttp),
      OTELCOL_HEALTH_PORT: String(ports.collectorHealth),
      OTELCOL_TELEMETRY_PORT: String(ports.collectorTelemetry),
      OTELCOL_PROMETHEUS_PORT: String(ports.collectorPrometheus),
      JAEGER_OTLP_ENDPOINT: at(ports.jaegerOtlpGrpc),
      LOKI_OTLP_ENDPOINT: `http://${at(ports.lokiStandin)}/otlp`,
    });
    await waitHealthy(collector, `http://${at(ports.collectorHealth)}/status`);
    // Debian's postgres-exporter (the Go module is not served): compose gives it no flags, only
    // the connection in DATA_SOURCE_* variables, which DATA_SOURCE_NAME stands for here.
    if (existsSync(POSTGRES_EXPORTER)) {
      const url = new URL(process.env.DATABASE_URL as string);
      url.searchParams.set('sslmode', 'disable');
      const exporter = startBackend(
        'postgres-exporter',
        POSTGRES_EXPORTER,
        [`--web.listen-address=${at(ports.postgresExporter)}`],
        { DATA_SOURCE_NAME: url.href },
      );
      await waitHealthy(exporter, `http://${at(ports.postgresExporter)}/metrics`);
    } else if (REQUIRE_STACK) {
      throw new Error(`${POSTGRES_EXPORTER} missing: apt-get install prometheus-postgres-exporter`);
    }
    composePrometheus = compose.prometheus;
    // Natively only: the listen address. In compose the container listens on :9090 of its own
    // network; here that would be every interface of the machine, on a port compose may hold.
    const prometheus = startBackend('prometheus', bins.prometheus as string, [
      ...withPrometheusOverlay(nativeArgs(composePrometheus), composeServices, composeTargetPorts(ports)),
      `--web.listen-address=${at(ports.prometheus)}`,
    ]);
    await waitHealthy(prometheus, `${PROM}/-/ready`);
  }

  let sinkEndpoint: string;

  beforeAll(async () => {
    const compose = await resolveCompose(bins.composeCheck as string);
    logSink = new OtlpReceiver();
    sinkEndpoint = await logSink.start();
    // A block of ports at a time; a port of it that is taken makes a backend exit, and the next
    // block is tried. STACK_PORT_BASE picks the first block.
    const firstBase = wholeNumber('STACK_PORT_BASE', DEFAULT_STACK_PORT_BASE, 1024);
    for (let attempt = 0; ; attempt++) {
      ports = stackPorts(firstBase + attempt * 100);
      PROM = `http://127.0.0.1:${ports.prometheus}`;
      JAEGER = `http://127.0.0.1:${ports.jaegerQueryHttp}`;
      try {
        await startBackends(compose);
        console.log(JSON.stringify({ stack_port_base: firstBase + attempt * 100, attempts: attempt + 1 }));
        break;
      } catch (error) {
        await stopAll();
        if (attempt === 4 || !backendLogsSay(/address already in use/i)) throw error;
      }
    }

    service = await startService({
      DATABASE_URL: process.env.DATABASE_URL,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.collectorOtlpHttp}`,
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_BLRP_SCHEDULE_DELAY: '500',
    });
    if (hasChromium) {
      browser = await launchChromium();
      page = await browser.newPage();
      await page.goto(`${service.url}/ui/`);
    } else if (REQUIRE_STACK) {
      throw new Error(`REQUIRE_STACK is set but ${CHROMIUM} is missing: apt-get install chromium`);
    }
    await driveOnce();
    traffic = setInterval(() => void driveOnce().catch(() => {}), 2_000);
    // Enough scrapes (15 s apart) for rate() over a minute to have two samples everywhere.
    await eventually(
      async () => {
        const r = await promQuery(
          'count(rate(traces_span_metrics_calls_total[1m]) > 0) and count(rate(pg_stat_database_xact_commit[1m]))',
        );
        return r.data?.result.length ? true : undefined;
      },
      150_000,
      'two scrapes of span metrics and postgres-exporter',
    );
  }, 240_000);

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await browser?.close();
    await service?.stop();
    await stopAll();
    await logSink?.stop();
  });

  it('has the request-duration histogram by route, host, disk, runtime, span and database metrics in Prometheus', async () => {
    const checks = {
      'http_server_request_duration_seconds_count{http_route="/db-query", service_name="otel-monitoring-service"}': 1,
      system_cpu_time_seconds_total: 1,
      system_filesystem_utilization_ratio: 1,
      nodejs_eventloop_delay_p99_seconds: 1,
      'traces_span_metrics_calls_total{span_name="GET /db-query"}': 1,
      db_client_operation_duration_seconds_count: 1,
      pg_up: 1,
    };
    for (const [query, min] of Object.entries(checks)) {
      const r = await promQuery(query);
      expect(r.data?.result.length ?? 0, query).toBeGreaterThanOrEqual(min);
    }
    expect((await promQuery('pg_up')).data?.result[0].value[1]).toBe('1');
  });

  it('keeps exemplars whose trace ids exist in Jaeger', async () => {
    const end = Date.now() / 1000;
    const res = await fetch(
      `${PROM}/api/v1/query_exemplars?${new URLSearchParams({ query: 'traces_span_metrics_duration_seconds_bucket', start: String(end - 600), end: String(end) })}`,
    );
    const body = await res.json();
    const traceIds: string[] = body.data
      .flatMap((s: Json) => s.exemplars.map((e: Json) => e.labels.trace_id))
      .filter(Boolean);
    expect(traceIds.length).toBeGreaterThan(0);
    const found = await eventually(
      async () => {
        for (const id of traceIds.slice(-20)) {
          const trace = await fetch(`${JAEGER}/api/traces/${id}`);
          if (trace.ok && (await trace.json()).data?.[0]?.spans?.length) return id;
        }
        return undefined;
      },
      20_000,
      'an exemplar trace in Jaeger',
    );
    expect(found).toMatch(/^[0-9a-f]{32}$/);
  });

  it('has a /db-query trace in Jaeger with the server span and the pg span', async () => {
    const trace = await eventually(
      async () => {
        const params = new URLSearchParams({ service: SERVICE_NAME, operation: 'GET /db-query', limit: '5' });
        const body = await (await fetch(`${JAEGER}/api/traces?${params}`)).json();
        return body.data?.find((t: Json) =>
          t.spans.some((s: Json) => s.tags.some((tag: Json) => tag.key === 'db.system.name')),
        );
      },
      20_000,
      'a /db-query trace',
    );
    const server = trace.spans.find((s: Json) => s.operationName === 'GET /db-query');
    const tag = (span: Json, key: string) => span.tags.find((t: Json) => t.key === key)?.value;
    expect(tag(server, 'span.kind')).toBe('server');
    expect(tag(server, 'http.route')).toBe('/db-query');
    expect(trace.processes[server.processID].serviceName).toBe(SERVICE_NAME);
    const query = trace.spans.find((s: Json) => tag(s, 'db.system.name') === 'postgresql');
    expect(tag(query, 'span.kind')).toBe('client');
    expect(query.traceID).toBe(server.traceID);
  });

  it.skipIf(!hasChromium)(
    `follows a click on the page to PostgreSQL in Jaeger, the web service beside the server (needs ${CHROMIUM})`,
    async () => {
      const services = (await (await fetch(`${JAEGER}/api/services`)).json()).data as string[];
      expect(services).toEqual(expect.arrayContaining([SERVICE_NAME, 'otel-monitoring-web']));
      const tag = (span: Json, key: string) => span.tags.find((t: Json) => t.key === key)?.value;
      const trace = await eventually(
        async () => {
          const traceId = clickTraceIds[0];
          if (!traceId) return undefined;
          const body = await (await fetch(`${JAEGER}/api/traces/${traceId}`)).json();
          const t = body.data?.[0];
          const names = new Set((t?.spans ?? []).map((s: Json) => s.operationName));
          return names.has('click db') &&
            names.has('GET /db-query') &&
            t.spans.some((s: Json) => tag(s, 'db.system.name'))
            ? t
            : undefined;
        },
        30_000,
        'the click trace in Jaeger',
      );
      const byId = new Map(trace.spans.map((s: Json) => [s.spanID, s]));
      const parentOf = (s: Json) => byId.get(s.references?.find((r: Json) => r.refType === 'CHILD_OF')?.spanID) as Json;
      const service = (s: Json) => trace.processes[s.processID].serviceName;
      const server = trace.spans.find((s: Json) => s.operationName === 'GET /db-query');
      const fetchSpan = parentOf(server);
      const click = parentOf(fetchSpan);
      const pg = trace.spans.find((s: Json) => tag(s, 'db.system.name') === 'postgresql');
      expect([service(click), click.operationName]).toEqual(['otel-monitoring-web', 'click db']);
      expect([service(fetchSpan), tag(fetchSpan, 'span.kind')]).toEqual(['otel-monitoring-web', 'client']);
      expect(service(server)).toBe(SERVICE_NAME);
      expect(parentOf(pg).spanID).toBe(server.spanID);
      const tree = trace.spans.map(
        (s: Json) => `${service(s)} ${s.operationName} <- ${parentOf(s)?.operationName ?? '(root)'}`,
      );
      console.log(JSON.stringify({ click_trace: trace.traceID, spans: tree }));
    },
  );

  it.skipIf(!hasChromium)("delivers the page's Web Vitals to the Loki endpoint with their names", async () => {
    const vitals = await eventually(
      async () => {
        const found = logSink.logs().filter((l) => l.attributes['browser.web_vital.name'] !== undefined);
        return new Set(found.map((l) => l.attributes['browser.web_vital.name'])).size >= 3 ? found : undefined;
      },
      30_000,
      'Web Vitals records at the Loki endpoint',
    );
    for (const v of vitals) {
      expect(v.resource['service.name']).toBe('otel-monitoring-web');
      expect(typeof v.attributes['browser.web_vital.value']).toBe('number');
    }
    // The End user dashboard's LogQL selects them as Loki would label them: its FCP panel's
    // log selector and filter, with the service variable set to the web service.
    const dashboard = JSON.parse(readText('deploy/grafana/dashboards/end-user.json'));
    const fcp = dashboard.panels.find((p: Json) => p.title.startsWith('FCP p75')).targets[0].expr as string;
    const selector = /\{service_name=~"\$service"\} \| browser_web_vital_name="FCP"/.exec(fcp)?.[0] ?? '';
    const query = selector.replace('=~"$service"', '="otel-monitoring-web"');
    expect(logqlErrors(query), query).toEqual([]);
    expect(selectLogs(query, logSink.logs()).length).toBeGreaterThan(0);
  });

  it('delivers the /log-test records to the Loki endpoint with the trace id of their Jaeger trace', async () => {
    const traceId = logTestTraceIds[0] as string;
    const records = await eventually(
      () => {
        const found = logSink.logs().filter((l) => l.traceId === traceId);
        return found.length >= 3 ? found : undefined;
      },
      20_000,
      'log records relayed from the Loki exporter',
    );
    expect(records.map((r) => r.severityText).sort()).toEqual(['error', 'info', 'warn']);
    expect(records[0]?.resource['service.name']).toBe(SERVICE_NAME);
    const jaegerTrace = await (await fetch(`${JAEGER}/api/traces/${traceId}`)).json();
    expect(jaegerTrace.data[0].spans.some((s: Json) => s.operationName === 'GET /log-test')).toBe(true);
  });

  it('follows every Grafana link of a real /log-test span into Loki and Prometheus, and finds data', async () => {
    // The provisioning file as Grafana reads it: `$$` is its escape for a literal `$`.
    const sources = readYaml('deploy/grafana/provisioning/datasources/datasources.yaml').datasources;
    const jaegerSource = JSON.parse(
      JSON.stringify(sources.find((d: Json) => d.type === 'jaeger')).replaceAll('$$', '$'),
    );
    const traceId = logTestTraceIds[0] as string;
    const trace: JaegerTrace = (await (await fetch(`${JAEGER}/api/traces/${traceId}`)).json()).data[0];
    const span = trace.spans.find((s) => s.operationName === 'GET /log-test');
    expect(span, 'the /log-test server span in Jaeger').toBeDefined();
    if (!span) return;

    const logsQuery = expandTraceLink(jaegerSource.jsonData.tracesToLogsV2.query, trace, span);
    expect(logqlErrors(logsQuery), logsQuery).toEqual([]);
    const logs = selectLogs(logsQuery, logSink.logs());
    expect(logs.length, logsQuery).toBeGreaterThanOrEqual(3);
    expect(new Set(logs.map((l) => l.traceId))).toEqual(new Set([traceId]));

    const { tags, queries } = jaegerSource.jsonData.tracesToMetrics;
    expect(queries.length).toBeGreaterThan(0);
    for (const { name, query } of queries) {
      const expr = expandTraceLink(query, trace, span, tags);
      expect(expr, name).toContain('deployment_environment_name=');
      expect(promqlErrors(expr), expr).toEqual([]);
      const r = await promQuery(expr);
      expect(r.status, `${name}: ${r.error}`).toBe('success');
      expect(r.data?.result.length, `${name}: ${expr}`).toBeGreaterThan(0);
    }
  });

  it('evaluates every dashboard panel and alert rule expression without error, and the traffic panels have data', async () => {
    const dir = 'deploy/grafana/dashboards';
    const empty: string[] = [];
    for (const file of readdirSync(dir)) {
      // Its traffic comes from the page in Chromium; without one, its panels can only be run.
      const needsTraffic = hasChromium || file !== 'end-user.json';
      const dashboard = JSON.parse(readText(`${dir}/${file}`));
      for (const panel of dashboard.panels) {
        for (const target of panel.targets ?? []) {
          if (target.datasource.type !== 'prometheus') continue;
          const r = await promQuery(interpolate(target.expr));
          expect(r.status, `${file} "${panel.title}": ${r.error}`).toBe('success');
          if (needsTraffic && !r.data?.result.length) empty.push(`${file} "${panel.title}" ${target.refId}`);
        }
      }
    }
    expect(empty).toEqual([]);
    for (const file of ['deploy/prometheus/rules/slo.yml', 'deploy/prometheus/rules/alerts.yml']) {
      for (const group of readYaml(file).groups) {
        for (const rule of group.rules) {
          const r = await promQuery(rule.expr);
          expect(r.status, `${rule.alert ?? rule.record}: ${r.error}`).toBe('success');
        }
      }
    }
    const rules = await (await fetch(`${PROM}/api/v1/rules`)).json();
    const health = rules.data.groups.flatMap((g: Json) => g.rules.map((r: Json) => [r.name, r.health, r.lastError]));
    expect(health.filter(([, h]: string[]) => h === 'err')).toEqual([]);
  });

  it("serves at the app's /metrics exactly the family names the Collector exports for it", async () => {
    const names = (text: string) => new Set(prometheusTypes(text).keys());
    const app = names(await (await fetch(`${service.url}/metrics`)).text());
    const collector = names(await (await fetch(`http://127.0.0.1:${ports.collectorPrometheus}/metrics`)).text());
    // Span metrics are made in the Collector, from the spans: the app cannot have them.
    const collectorOwn = [...collector].filter((n) => n.startsWith('traces_span_metrics_'));
    expect(collectorOwn.length).toBeGreaterThan(0);
    expect(app.size).toBeGreaterThan(20);
    expect([...app].filter((n) => !collector.has(n))).toEqual([]);
    expect([...collector].filter((n) => !app.has(n) && !collectorOwn.includes(n))).toEqual([]);
  });

  it('loses nothing on the way: the Collector refused and failed to send zero items', async () => {
    const lost = await promQuery(
      'sum({__name__=~"otelcol_receiver_refused_.+|otelcol_exporter_send_failed_.+|otelcol_exporter_enqueue_failed_.+"})',
    );
    expect(lost.status).toBe('success');
    // The series must exist (the Collector reports zeros): an absent one would pass as 0.
    expect(lost.data?.result, 'refused and failed counters in Prometheus').toHaveLength(1);
    expect(Number(lost.data?.result[0]?.value[1])).toBe(0);
    for (const signal of ['spans', 'log_records', 'metric_points']) {
      const sent = await promQuery(`sum({__name__=~"otelcol_exporter_sent_${signal}(_total)?"})`);
      expect(Number(sent.data?.result[0]?.value[1] ?? 0), signal).toBeGreaterThan(0);
    }
  });

  // npm run doctor against the running pipeline, as a user would run it (Loki itself is not
  // here, so its hop is skipped with an empty endpoint).
  const doctor = (overrides: Record<string, string> = {}) =>
    runDoctor({
      service: service.url,
      'collector-health': `http://127.0.0.1:${ports.collectorHealth}`,
      'collector-metrics': `http://127.0.0.1:${ports.collectorTelemetry}`,
      prometheus: PROM,
      jaeger: JAEGER,
      loki: '',
      // The alert path has a test of its own (alert-path.test.ts), which runs these hops.
      alertmanager: '',
      mailpit: '',
      window: '2',
      ...overrides,
    });

  // The review's series-minting run through the relay: each request a resource of its own
  // (service.instance.id), 60 spans of one new trace, each with a name, http.route and status
  // code of its own. What the relay sends on keeps none of that, and the Collector keys span
  // metrics by service.name, so the page Prometheus scrapes grows by a bounded few series.
  it('adds a bounded few series to the Collector page for 30 hostile relay requests', async () => {
    const page = `http://127.0.0.1:${ports.collectorPrometheus}/metrics`;
    const samples = async () =>
      (await (await fetch(page)).text()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const before = (await samples()).length;
    const hex = (n: number, i: number) => `${i.toString(16)}${'e'.repeat(n)}`.slice(0, n);
    const now = BigInt(Date.now()) * 1_000_000n;
    let taken = 0;
    for (let i = 1; i <= 30; i++) {
      const spans = Array.from({ length: 60 }, (_, j) => ({
        traceId: hex(32, i),
        spanId: hex(16, i * 100 + j + 1),
        name: `GET /minted/${i}/${j}`,
        kind: j % 2 === 0 ? 3 : 1,
        startTimeUnixNano: String(now - 2_000_000_000n),
        endTimeUnixNano: String(now - 1_000_000_000n),
        attributes: [
          { key: 'http.route', value: { stringValue: `/minted/${i}/${j}` } },
          { key: 'http.response.status_code', value: { intValue: 100 + ((i * 60 + j) % 500) } },
        ],
      }));
      const body = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.instance.id', value: { stringValue: `minted-${i}` } }] },
            scopeSpans: [{ scope: { name: 'otel-monitoring-web' }, spans }],
          },
        ],
      };
      const res = await fetch(`${service.url}/ui/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status === 200) taken += 1;
      else expect(res.status).toBe(429);
    }
    expect(taken).toBeGreaterThan(0);
    // Span metrics leave the connector every 15 s (metrics_flush_interval): wait for the folded name.
    await eventually(
      async () => ((await samples()).some((l) => l.includes('span_name="other"')) ? true : undefined),
      60_000,
      "the relayed spans' metrics on the Collector page",
    );
    // Then until the page stops growing for longer than one flush interval.
    let last = -1;
    let since = performance.now();
    const after = await eventually(
      async () => {
        const now = await samples();
        if (now.length !== last) {
          last = now.length;
          since = performance.now();
          return undefined;
        }
        return performance.now() - since > 16_000 ? now : undefined;
      },
      90_000,
      'the Collector page to stop growing',
      1_000,
    );
    const added = after.length - before;
    console.log(JSON.stringify({ hostile_relay_requests: 30, taken, collector_page_samples_added: added }));
    expect(after.filter((l) => l.includes('minted'))).toEqual([]);
    expect(added).toBeLessThan(1_000);
  }, 120_000);

  it('passes npm run doctor on every hop, Loki and the alert path skipped', async () => {
    const { report, code } = await doctor();
    expect(report.hops.map((h) => h.id)).toEqual([
      'service',
      'service-metrics',
      'sdk-export',
      'collector',
      'collector-receive',
      'collector-export',
      'browser-relay',
      'prometheus-scrape',
      'prometheus-data',
      'jaeger',
      'loki',
      'alert-rules',
      'alertmanager',
      'alert-receiver',
    ]);
    expect(report.hops.filter((h) => h.ok !== true).map((h) => h.id)).toEqual([
      'loki',
      'alertmanager',
      'alert-receiver',
    ]);
    expect(report).toMatchObject({ ok: true, first_broken: null });
    expect(code).toBe(0);
  });

  // One break at a time; the ones that stop a backend come last, in order.
  it.each([
    ['the service stopped', { service: 'http://127.0.0.1:1' }, 'service'],
    [
      'the Collector stopped',
      { 'collector-health': 'http://127.0.0.1:1', 'collector-metrics': 'http://127.0.0.1:1' },
      'collector',
    ],
    ['Prometheus stopped', { prometheus: 'http://127.0.0.1:1' }, 'prometheus-scrape'],
  ])('names the first broken hop with %s', async (_label, overrides, hop) => {
    const { report, code } = await doctor(overrides);
    expect(report).toMatchObject({ ok: false, first_broken: hop });
    expect(report.hops.find((h) => h.id === hop)?.hint).toBeTruthy();
    expect(code).toBe(1);
  });

  it('names prometheus-scrape when Prometheus scrapes a wrong Collector port', async () => {
    const composeServices = new Set(Object.keys(readYaml('docker-compose.yml').services));
    const wrongUrl = `http://127.0.0.1:${ports.wrongPrometheus}`;
    const wrong = startBackend('prometheus-wrong-port', bins.prometheus as string, [
      ...withPrometheusOverlay(nativeArgs(composePrometheus), composeServices, {
        ...composeTargetPorts(ports),
        '8889': String(ports.nothing),
      }),
      `--web.listen-address=127.0.0.1:${ports.wrongPrometheus}`,
    ]);
    await waitHealthy(wrong, `${wrongUrl}/-/ready`);
    const report = await eventually(
      async () => {
        const { report } = await doctor({ prometheus: wrongUrl });
        const scrape = report.hops.find((h) => h.id === 'prometheus-scrape');
        return /otel-collector down/.test(scrape?.detail ?? '') ? report : undefined;
      },
      40_000,
      'the wrong-port Prometheus to fail its Collector scrape',
    );
    expect(report.first_broken).toBe('prometheus-scrape');
    expect(report.hops.find((h) => h.id === 'prometheus-scrape')?.hint).toContain(String(ports.nothing));
    wrong.child.kill('SIGTERM');
    await once(wrong.child, 'exit');
  }, 60_000);

  it('names sdk-export when the service exports to a wrong endpoint', async () => {
    const lost = await startService({
      DATABASE_URL: process.env.DATABASE_URL,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
    });
    try {
      await waitReady(lost);
      await fetch(`${lost.url}/log-test`);
      const { report } = await doctor({ service: lost.url });
      expect(report.first_broken).toBe('sdk-export');
      expect(report.hops.find((h) => h.id === 'sdk-export')?.hint).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    } finally {
      await lost.stop();
    }
  });

  it('names the Jaeger exporter when Jaeger stops', async () => {
    const exited = once(jaeger.child, 'exit');
    jaeger.child.kill('SIGTERM');
    await exited;
    const report = await eventually(
      async () => {
        const { report } = await doctor({ window: '1' });
        return report.first_broken === 'collector-export' ? report : undefined;
      },
      30_000,
      'the doctor to see the Jaeger exporter failing',
    );
    expect(report.hops.find((h) => h.id === 'collector-export')?.detail).toMatch(/Jaeger/);
  }, 60_000);

  // Last: it stops the Loki stand-in.
  it('names the Loki exporter when what stands for Loki stops answering', async () => {
    const exited = once(standin.child, 'exit');
    standin.child.kill('SIGTERM');
    await exited;
    await fetch(`${service.url}/log-test`);
    const report = await eventually(
      async () => {
        const { report } = await doctor({ window: '1' });
        const exportHop = report.hops.find((h) => h.id === 'collector-export');
        return report.first_broken === 'collector-export' && /Loki \(/.test(exportHop?.detail ?? '')
          ? report
          : undefined;
      },
      30_000,
      'the doctor to see the Loki exporter failing',
    );
    expect(report.hops.find((h) => h.id === 'collector-export')?.detail).toMatch(/Loki \(/);
  }, 60_000);
});
