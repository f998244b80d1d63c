// npm run bench:scenario -- jaeger-memory: Jaeger's memory with its store full: the natively built
// Jaeger (the image's release), started with the config file and the memory settings
// docker-compose.yml gives it, is sent traces shaped like the load generator's (a server span, and
// under 60% of them a pg span: 1.6 spans a trace, with the service's resource) until its memory
// store has filled its ring of max_traces JAEGER_RINGS times (3), evicting all the while, over
// OTLP/gRPC as the Collector sends them. Prints the peak RSS (VmHWM), the live heap Jaeger reports
// at the end, and compose's memory limit, so the two can be compared. JAEGER_GOMEMLIMIT overrides
// compose's GOMEMLIMIT ('' for none), to compare in one sitting. Loopback only, on a block of ports
// from JAEGER_PORT_BASE (default 26000).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { parse } from 'yaml';
import { wholeNumber } from '../support/env.js';
import { eventually } from '../support/poll.js';
import { ROOT } from './run-once.js';

const BASE = wholeNumber('JAEGER_PORT_BASE', 26_000, 1024);
const ports = { grpc: BASE + 47, metrics: BASE + 48, health: BASE + 34, http: BASE + 86, queryGrpc: BASE + 85 };
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).services.jaeger;
const config = parse(readFileSync(join(ROOT, 'deploy/jaeger/config.yaml'), 'utf8'));
const MAX_TRACES: number = config.extensions.jaeger_storage.backends.memstore.memory.max_traces;
/** How many times the ring is filled: past the first, every trace stored evicts one. */
const RINGS = wholeNumber('JAEGER_RINGS', 3);
const TRACES = MAX_TRACES * RINGS;
const goMemLimit = process.env.JAEGER_GOMEMLIMIT ?? compose.environment?.GOMEMLIMIT ?? '';

const bin = join(process.env.STACK_CACHE_DIR ?? join(homedir(), '.cache/otel-monitoring-service'), 'bin/jaeger');
const args = (compose.command as string[]).map((a) =>
  a === '/etc/jaeger/config.yaml' ? 'deploy/jaeger/config.yaml' : a,
);
const jaeger: ChildProcess = spawn(bin, args, {
  cwd: ROOT,
  env: {
    ...process.env,
    GOMEMLIMIT: goMemLimit,
    JAEGER_BIND: '127.0.0.1',
    JAEGER_OTLP_GRPC_PORT: String(ports.grpc),
    JAEGER_METRICS_PORT: String(ports.metrics),
    JAEGER_HEALTH_PORT: String(ports.health),
    JAEGER_QUERY_HTTP_PORT: String(ports.http),
    JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
  },
  stdio: 'ignore',
});

/** VmHWM (peak) and VmRSS of the Jaeger process, in MiB. */
function memory(): { peak: number; rss: number } {
  const status = readFileSync(`/proc/${jaeger.pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kib('VmHWM') / 1024, rss: kib('VmRSS') / 1024 };
}

const resource = resourceFromAttributes({
  'service.name': 'otel-monitoring-service',
  'service.version': '0.1.0',
  'service.instance.id': randomBytes(16).toString('hex'),
  'deployment.environment.name': 'compose',
  'host.name': 'app-6d9f7c',
  'host.arch': 'amd64',
  'os.type': 'linux',
  'process.pid': 1,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '24.22.3',
  'process.executable.name': 'node',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '3.1.1',
});
const scope = { name: 'otel-monitoring-service', version: '0.1.0' };
const ROUTES = ['/', '/simulate-load', '/simulate-error', '/db-query', '/log-test', '/network-check'];

function span(
  traceId: string,
  name: string,
  kind: SpanKind,
  startNs: bigint,
  durationNs: bigint,
  attributes: ReadableSpan['attributes'],
  parent?: string,
): ReadableSpan {
  const spanId = randomBytes(8).toString('hex');
  const hr = (ns: bigint): [number, number] => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  return {
    name,
    kind,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: parent ? { traceId, spanId: parent, traceFlags: TraceFlags.SAMPLED } : undefined,
    startTime: hr(startNs),
    endTime: hr(startNs + durationNs),
    duration: hr(durationNs),
    status: { code: SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** One request's trace: the server span, and for 60% of them a pg span under it. */
function trace(i: number): ReadableSpan[] {
  const traceId = randomBytes(16).toString('hex');
  const route = ROUTES[i % ROUTES.length] as string;
  const start = BigInt(Date.now()) * 1_000_000n;
  const server = span(traceId, `GET ${route}`, SpanKind.SERVER, start, 3_000_000n, {
    'http.request.method': 'GET',
    'http.route': route,
    'http.response.status_code': 200,
    'url.path': route,
    'url.scheme': 'http',
    'server.address': 'app',
    'server.port': 8080,
    'network.protocol.version': '1.1',
  });
  if (i % 5 >= 3) return [server];
  const pg = span(
    traceId,
    'pg.query:SELECT app',
    SpanKind.CLIENT,
    start + 500_000n,
    2_000_000n,
    {
      'db.system.name': 'postgresql',
      'db.namespace': 'app',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT pg_sleep($1 / 1000.0)',
      'server.address': 'postgres',
      'server.port': 5432,
    },
    server.spanContext().spanId,
  );
  return [server, pg];
}

const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${ports.grpc}` });
const send = (spans: ReadableSpan[]) =>
  new Promise<void>((resolve, reject) =>
    exporter.export(spans, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error))),
  );

try {
  await eventually(
    async () =>
      (await fetch(`http://127.0.0.1:${ports.health}/status`).catch(() => undefined))?.ok ? true : undefined,
    30_000,
    'Jaeger to be healthy',
  );
  const started = performance.now();
  let spans = 0;
  let peakSeen = 0;
  for (let i = 0; i < TRACES; ) {
    const batch: ReadableSpan[] = [];
    for (let n = 0; n < 500 && i < TRACES; n++, i++) batch.push(...trace(i));
    await send(batch);
    spans += batch.length;
    peakSeen = Math.max(peakSeen, memory().rss);
  }
  // Jaeger's own pipeline batches: let what it took reach the store, then read its heap.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  const heap = Number(
    /otelcol_process_runtime_heap_alloc_bytes(?:\{[^}]*\})? ([\d.e+]+)/.exec(metrics)?.[1] ?? Number.NaN,
  );
  const { peak, rss } = memory();
  console.log(
    JSON.stringify({
      gomemlimit: goMemLimit || 'none',
      compose_memory_limit: compose.deploy?.resources?.limits?.memory,
      max_traces: MAX_TRACES,
      rings: RINGS,
      traces_sent: TRACES,
      spans_sent: spans,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      peak_rss_mib: Math.round(Math.max(peak, peakSeen)),
      final_rss_mib: Math.round(rss),
      live_heap_mib: Math.round(heap / 2 ** 20),
    }),
  );
} finally {
  await exporter.shutdown();
  jaeger.kill('SIGTERM');
}
