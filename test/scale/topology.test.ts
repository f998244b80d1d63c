// npm run test:scale: the Kubernetes topology of deploy/kubernetes, natively. Two service
// instances, each exporting to its own agent Collector; the agents route by trace id to two
// gateway Collectors, which compute span metrics from every span and then tail-sample into
// Jaeger. Instance A's /network-check calls instance B, so those traces hold spans that left
// through both agents. See topology.ts for what differs from a cluster (the resolver only).
//
// Phases: (1) mixed traffic, then what Jaeger and Prometheus hold is checked against what was
// sent; (2) one gateway is replaced, then crashes, mid-stream, and the traces lost or split are counted;
// (3) synthetic OTLP load, to measure spans/s per gateway. Figures go to stdout and to
// .cache/scale-report.json, and as a chart to .cache/scale-report.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barChartSvg } from '../../support/chart.js';
import { DATABASE_ENV, eventually, ROOT, type ServiceProcess, startService } from '../../support/service.js';
// The benchmark's OTLP/HTTP sink: it takes protobuf, which the gateways' Loki exporter sends.
import { CountingSink } from '../../support/sink.js';
import { assertPortFree, type Backend, stopAll, stopBackend } from '../stack/backends.js';
import { prometheusSamples } from '../support/prometheus-samples.js';
import { stackBin } from '../support/stack.js';
import {
  AGENTS,
  allPorts,
  exemplarTraceIds,
  GATEWAYS,
  JAEGER,
  promVector,
  SAMPLING,
  startAgent,
  startGateway,
  startJaeger,
  startPrometheus,
} from './topology.js';
import { inPool, jaegerTrace, newTraceId, syntheticTraces, tracedGet } from './traffic.js';

const bins = { otelcol: stackBin('otelcol-scale'), jaeger: stackBin('jaeger'), prometheus: stackBin('prometheus') };
const haveStack = Boolean(bins.otelcol && bins.jaeger && bins.prometheus);
const JAEGER_API = `http://127.0.0.1:${JAEGER.ui}`;
const INSTANCES = ['scale-a', 'scale-b'] as const;

// Phase 1 traffic: ordinary traces (both instances' `/`, and A→B network checks), errors, slow.
const PLAIN_PER_INSTANCE = 400;
const CROSS = 200;
const ERRORS_PER_INSTANCE = 20;
const SLOW_PER_INSTANCE = 10;
const SLOW_MS = SAMPLING.latencyMs + 150;
const ORDINARY = 2 * PLAIN_PER_INSTANCE + CROSS;
// The probabilistic policy keeps each ordinary trace independently (a hash of its random id), so
// the kept count is Binomial(ORDINARY, p): allow 4 standard deviations (a false alarm ~1 in 16,000).
const P = SAMPLING.percentage / 100;
const TOLERANCE = Math.ceil(4 * Math.sqrt(ORDINARY * P * (1 - P)));

// The Collector's own counters; 0.161 exposes them without the _total suffix, later releases with it.
const ACCEPTED_SPANS = 'otelcol_receiver_accepted_spans(_total)?';

const report: Record<string, unknown> = {};
let logSink: CountingSink;
let logsEndpoint: string;
const gateways: Backend[] = [];
let a: ServiceProcess;
let b: ServiceProcess;

async function lookup(ids: string[]) {
  const found = new Map<string, Awaited<ReturnType<typeof jaegerTrace>>>();
  await inPool(ids, 16, async (id) => void found.set(id, await jaegerTrace(JAEGER_API, id)));
  return found;
}

describe.skipIf(!haveStack)('the agent and gateway tiers, natively', () => {
  beforeAll(async () => {
    for (const port of allPorts()) await assertPortFree(port);
    // Loki cannot be built here (AGPL module): the gateways' otlp_http/loki exporter sends to a sink.
    logSink = new CountingSink();
    logsEndpoint = await logSink.start();
    await startJaeger(bins.jaeger as string);
    for (const index of [0, 1]) gateways.push(await startGateway(bins.otelcol as string, index, logsEndpoint));
    for (const index of [0, 1]) await startAgent(bins.otelcol as string, index);
    await startPrometheus(bins.prometheus as string);
    const serviceEnv = (index: number) => ({
      ...DATABASE_ENV,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${AGENTS[index]?.http}`,
      OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${INSTANCES[index]}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '500',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });
    b = await startService(serviceEnv(1), 60_000);
    a = await startService({ ...serviceEnv(0), NETWORK_CHECK_TARGETS: `peer=http://127.0.0.1:${b.port}/` }, 60_000);
    for (const s of [a, b]) {
      await eventually(async () => ((await fetch(`${s.url}/readyz`)).ok ? true : undefined), 60_000, 'readiness');
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await stopAll();
    await logSink?.stop();
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    writeFileSync(join(ROOT, '.cache', 'scale-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(ROOT, '.cache', 'scale-report.svg'), scaleReportSvg(report));
    console.log('scale report:', JSON.stringify(report, null, 2));
  }, 60_000);

  describe('phase 1: sampling and span metrics over mixed traffic', () => {
    const plain = { a: [] as string[], b: [] as string[] };
    const cross: string[] = [];
    const errors: string[] = [];
    const slow: string[] = [];
    let traces: Map<string, Awaited<ReturnType<typeof jaegerTrace>>>;

    beforeAll(async () => {
      const jobs: Array<() => Promise<unknown>> = [];
      for (let i = 0; i < PLAIN_PER_INSTANCE; i++) {
        for (const [key, service] of [
          ['a', a],
          ['b', b],
        ] as const) {
          const id = newTraceId();
          plain[key].push(id);
          jobs.push(() => tracedGet(`${service.url}/`, id));
        }
      }
      for (let i = 0; i < CROSS; i++) {
        const id = newTraceId();
        cross.push(id);
        jobs.push(() => tracedGet(`${a.url}/network-check`, id));
      }
      await inPool(jobs, 16, (job) => job());
      const special: Array<() => Promise<unknown>> = [];
      for (const service of [a, b]) {
        for (let i = 0; i < ERRORS_PER_INSTANCE; i++) {
          const id = newTraceId();
          errors.push(id);
          special.push(async () => expect(await tracedGet(`${service.url}/simulate-error?rate=1`, id)).toBe(500));
        }
        for (let i = 0; i < SLOW_PER_INSTANCE; i++) {
          const id = newTraceId();
          slow.push(id);
          special.push(async () =>
            expect(await tracedGet(`${service.url}/db-query?duration_ms=${SLOW_MS}`, id)).toBe(200),
          );
        }
      }
      await inPool(special, 8, (job) => job());
      // Errors and slow traces went last: once Jaeger holds all of them, every earlier trace has
      // had its decision too (each is decided decision_wait after its first span).
      await eventually(
        async () => {
          const found = await lookup([...errors, ...slow]);
          return [...found.values()].every(Boolean) ? true : undefined;
        },
        90_000,
        'every error and slow trace in Jaeger',
      ).catch(() => undefined);
      traces = await lookup([...plain.a, ...plain.b, ...cross, ...errors, ...slow]);
    }, 300_000);

    it('keeps every trace with an error and every slow trace', () => {
      const missing = (ids: string[]) => ids.filter((id) => !traces.get(id)).length;
      report.kept_errors = `${errors.length - missing(errors)}/${errors.length}`;
      report.kept_slow = `${slow.length - missing(slow)}/${slow.length}`;
      expect(missing(errors)).toBe(0);
      expect(missing(slow)).toBe(0);
    });

    it(`keeps ${SAMPLING.percentage}% of ordinary traces, within ±${TOLERANCE} of ${ORDINARY * P}`, () => {
      const ordinary = [...plain.a, ...plain.b, ...cross];
      const kept = ordinary.filter((id) => traces.get(id)).length;
      report.kept_ordinary = { kept, of: ordinary.length, fraction: kept / ordinary.length, tolerance: TOLERANCE };
      expect(Math.abs(kept - ORDINARY * P)).toBeLessThanOrEqual(TOLERANCE);
    });

    it('holds each kept trace whole: spans of both instances under one trace id', () => {
      const keptCross = cross.map((id) => traces.get(id)).filter((t) => t !== undefined);
      expect(keptCross.length).toBeGreaterThan(0);
      for (const trace of keptCross) {
        // A's server and client spans, B's server span.
        expect(trace.spans).toBeGreaterThanOrEqual(3);
        expect([...trace.instances].sort()).toEqual([...INSTANCES]);
      }
      for (const id of [...plain.a, ...plain.b, ...errors]) {
        const trace = traces.get(id);
        if (trace) expect(trace.instances.size).toBe(1);
      }
      report.complete_cross_traces = `${keptCross.length}/${keptCross.length}`;
    });

    it('counts every request in span metrics, because they are computed before sampling', async () => {
      const expected: Record<string, number> = {
        'scale-a / 200': PLAIN_PER_INSTANCE,
        'scale-b / 200': PLAIN_PER_INSTANCE + CROSS,
        'scale-a /network-check 200': CROSS,
        'scale-a /simulate-error 500': ERRORS_PER_INSTANCE,
        'scale-b /simulate-error 500': ERRORS_PER_INSTANCE,
        'scale-a /db-query 200': SLOW_PER_INSTANCE,
        'scale-b /db-query 200': SLOW_PER_INSTANCE,
      };
      const query =
        'sum by (exported_instance, http_route, http_response_status_code) ' +
        '(traces_span_metrics_calls_total{span_kind="SPAN_KIND_SERVER", http_route!~"/healthz|/readyz"})';
      const counted = async () =>
        Object.fromEntries(
          (await promVector(query)).map(({ labels, value }) => [
            `${labels.exported_instance} ${labels.http_route} ${labels.http_response_status_code}`,
            value,
          ]),
        );
      const matched = await eventually(
        async () => {
          const now = await counted();
          return isDeepStrictEqual(now, expected) ? now : undefined;
        },
        60_000,
        'span metrics to count every request',
      ).catch(() => undefined);
      report.span_metrics_calls = matched ?? (await counted());
      expect(report.span_metrics_calls).toEqual(expected);
      // Both gateways computed a share: trace-id routing spread the traces.
      const perGateway = await promVector(
        'sum by (instance) (traces_span_metrics_calls_total{job="otel-gateway", span_kind="SPAN_KIND_SERVER"})',
      );
      expect(perGateway).toHaveLength(2);
      for (const { value } of perGateway) expect(value).toBeGreaterThan(ORDINARY / 4);
    });

    // Exemplars end to end on the Kubernetes path: the gateways' span metrics carry trace ids,
    // exposed in OpenMetrics and stored by Prometheus. An exemplar is on a gateway's page only
    // until the next flush, so slow /db-query requests keep coming until Prometheus holds one;
    // tail sampling keeps every slow trace, so each exemplar must open a kept trace in Jaeger.
    it('links the latency buckets of slow requests to traces that tail sampling kept', async () => {
      const sent = new Set(slow);
      let sending = true;
      const traffic = (async () => {
        while (sending) {
          const id = newTraceId();
          sent.add(id);
          await tracedGet(`${a.url}/db-query?duration_ms=${SLOW_MS}`, id);
        }
      })();
      let ids: string[];
      try {
        ids = await eventually(
          async () => {
            const found = await exemplarTraceIds('traces_span_metrics_duration_seconds_bucket{http_route="/db-query"}');
            return found.length ? found : undefined;
          },
          60_000,
          'exemplars on the /db-query latency buckets',
        );
      } finally {
        sending = false;
        await traffic;
      }
      report.db_query_exemplars = ids.length;
      for (const id of ids) {
        expect(sent.has(id), `exemplar ${id} is a slow request's trace`).toBe(true);
        await eventually(() => jaegerTrace(JAEGER_API, id), 60_000, `exemplar trace ${id} in Jaeger`);
      }
    });

    it('sends the logs on to the Loki endpoint', async () => {
      // Each /simulate-error request logs one error record (with its trace id).
      const records = await eventually(
        () => (logSink.counts().logRecords >= 2 * ERRORS_PER_INSTANCE ? logSink.counts().logRecords : undefined),
        30_000,
        'the error log records at the Loki endpoint',
      );
      report.log_records_at_loki_endpoint = records;
    });

    it("leaves the Collectors' refused and failed counters at 0", async () => {
      const accepted = await promVector(`sum by (instance) ({__name__=~"${ACCEPTED_SPANS}"})`);
      expect(accepted).toHaveLength(4); // every Collector received spans, so these counters are live
      const bad = await promVector(
        '{__name__=~"otelcol_(receiver_refused|exporter_send_failed|exporter_enqueue_failed|processor_refused)_.+' +
          '|otelcol_processor_tail_sampling_(sampling_trace_dropped_too_early|traces_dropped_too_large).*"} > 0',
      );
      report.refused_or_failed = bad.map(({ labels, value }) => `${labels.__name__}{${labels.instance}} ${value}`);
      expect(bad).toEqual([]);
    });
  });

  // Every trace here is kept (both halves are errors) and has one span from each instance, sent
  // at once to A and B under one trace id: a trace split by the restart shows as one span.
  const restarts = [
    { signal: 'SIGTERM', what: 'a gateway is replaced (SIGTERM, as in a rolling update)' },
    { signal: 'SIGKILL', what: 'a gateway crashes (SIGKILL) and comes back' },
  ] as const;
  for (const { signal, what } of restarts) {
    describe(`phase 2: ${what} in the middle of the stream`, () => {
      const sent: Array<{ id: string; at: number }> = [];
      let recoveredAt = 0;
      let traces: Map<string, Awaited<ReturnType<typeof jaegerTrace>>>;

      beforeAll(async () => {
        const started = Date.now();
        const stream = (async () => {
          while (Date.now() - started < 14_000) {
            const id = newTraceId();
            sent.push({ id, at: Date.now() });
            await Promise.all([a, b].map((s) => tracedGet(`${s.url}/simulate-error?rate=1`, id)));
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        await eventually(() => (Date.now() - started > 4_000 ? true : undefined), 10_000, 'four seconds of traffic');
        await stopBackend(gateways[0] as Backend, signal);
        gateways[0] = await startGateway(bins.otelcol as string, 0, logsEndpoint);
        recoveredAt = Date.now();
        await stream;
        // Everything sent 2 s after the gateway was back must arrive whole.
        const after = sent.filter((t) => t.at > recoveredAt + 2_000).map((t) => t.id);
        await eventually(
          async () => {
            const found = await lookup(after);
            return [...found.values()].every((t) => t?.spans === 2) ? true : undefined;
          },
          90_000,
          'every trace sent after the restart to arrive whole',
        ).catch(() => undefined);
        // Traces are decided in the order their first span arrived: once the later ones are all
        // in Jaeger, the ones in flight during the restart have had their decision too.
        traces = await lookup(sent.map((t) => t.id));
      }, 240_000);

      it('measures the traces lost or split, and loses none once the gateway is back', () => {
        const count = (ids: Array<{ id: string }>) => {
          const result = { sent: ids.length, whole: 0, split: 0, lost: 0 };
          for (const { id } of ids) {
            const spans = traces.get(id)?.spans ?? 0;
            if (spans === 2) result.whole++;
            else if (spans === 0) result.lost++;
            else result.split++;
          }
          return result;
        };
        const after = sent.filter((t) => t.at > recoveredAt + 2_000);
        report[`gateway_${signal.toLowerCase()}`] = { all: count(sent), sent_after_recovery: count(after) };
        expect(after.length).toBeGreaterThan(50);
        expect(count(after)).toEqual({ sent: after.length, whole: after.length, split: 0, lost: 0 });
      });
    });
  }

  describe('phase 3: throughput', () => {
    it('reports spans/s per gateway, and every accepted span reaches a gateway', async () => {
      /** The sum of a Collector's own metric family (name as a regular expression). */
      const own = async (port: number, name: string) => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const pattern = new RegExp(`^${name}$`);
        return prometheusSamples(text)
          .filter((s) => pattern.test(s.name))
          .reduce((sum, s) => sum + s.value, 0);
      };
      const acceptedSpans = (port: number) => own(port, ACCEPTED_SPANS);
      const gatewaysBefore = await Promise.all(GATEWAYS.map((g) => acceptedSpans(g.telemetry)));
      const TRACES_PER_REQUEST = 50;
      const SPANS_PER_TRACE = 10;
      let sentSpans = 0;
      const started = performance.now();
      await Promise.all(
        [0, 1, 0, 1].map(async (agent) => {
          while (performance.now() - started < 10_000) {
            const res = await fetch(`http://127.0.0.1:${AGENTS[agent]?.http}/v1/traces`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: syntheticTraces(TRACES_PER_REQUEST, SPANS_PER_TRACE),
            });
            await res.arrayBuffer();
            if (res.ok) sentSpans += TRACES_PER_REQUEST * SPANS_PER_TRACE;
          }
        }),
      );
      const gatewaysAfter = await eventually(
        async () => {
          const now = await Promise.all(GATEWAYS.map((g) => acceptedSpans(g.telemetry)));
          const received = now.reduce((s, v, i) => s + v - (gatewaysBefore[i] as number), 0);
          return received >= sentSpans ? now : undefined;
        },
        60_000,
        'the gateways to receive every span the agents accepted',
      );
      const seconds = (performance.now() - started) / 1000;
      const perGateway = gatewaysAfter.map((v, i) => Math.round((v - (gatewaysBefore[i] as number)) / seconds));
      const rssMiB = await Promise.all(
        GATEWAYS.map(async (g) =>
          Math.round((await own(g.telemetry, 'otelcol_process_memory_rss(_bytes)?')) / 2 ** 20),
        ),
      );
      report.throughput = {
        gateway_rss_mib: rssMiB,
        sent_spans: sentSpans,
        seconds: Math.round(seconds * 10) / 10,
        spans_per_second_per_gateway: perGateway,
      };
      expect(perGateway.reduce((s, v) => s + v, 0) * seconds).toBeGreaterThanOrEqual(sentSpans * 0.999);
      for (const rate of perGateway) expect(rate).toBeGreaterThan(0);
    });
  });
});

interface Outcome {
  sent: number;
  whole: number;
  split: number;
  lost: number;
}

/** The report as a chart: the traces of each gateway change by outcome, and each gateway's rate. */
function scaleReportSvg(r: Record<string, unknown>): string {
  const change = (key: string, title: string) => {
    const outcome = (r[key] as { all?: Outcome } | undefined)?.all;
    return {
      title: `${title}: ${outcome?.sent ?? 0} two-instance traces sent mid-stream`,
      unit: 'traces',
      bars: (['whole', 'split', 'lost'] as const).map((k) => ({
        label: k,
        value: outcome?.[k] ?? 0,
        highlight: k === 'whole',
      })),
    };
  };
  const rates = ((r.throughput as { spans_per_second_per_gateway?: number[] } | undefined)
    ?.spans_per_second_per_gateway ?? []) as number[];
  return barChartSvg(`npm run test:scale, ${new Date().toISOString().slice(0, 10)}: two agents, two gateways`, [
    change('gateway_sigterm', 'a gateway replaced (SIGTERM)'),
    change('gateway_sigkill', 'a gateway crashed (SIGKILL) and restarted'),
    {
      title: 'synthetic OTLP through both agents for 10 s, spans per second',
      unit: 'spans/s',
      bars: rates.map((value, i) => ({ label: `gateway ${i + 1}`, value, highlight: true })),
    },
  ]);
}
