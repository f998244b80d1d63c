// npm run bench:scenario -- relay-abuse: what one abusive client costs through the browser relay:
// it posts the largest batches of spans with new trace ids, in the two shapes below by turns, from
// 4 connections at once, for RELAY_SECONDS, while /healthz is polled. Prints /healthz latency
// before (quiet) and during, in the same run, how many spans and new traces the relay took (it
// takes a batch whole or not at all) and the rate of new traces in the second half of the run, once
// any burst allowance is spent: the hours that rate needs to push one real trace out of Jaeger's
// memory store (max_traces in deploy/jaeger/config.yaml). The Collector is a sink that answers 200.
// Loopback only, bounded.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { wholeNumber } from '../support/env.js';
import { type Poll, pollDuring } from '../support/poll.js';
import { startService } from '../support/service.js';
import { CountingSink } from '../support/sink.js';
import { ROOT } from './run-once.js';

const SECONDS = wholeNumber('RELAY_SECONDS', 10);
const QUIET_SECONDS = 3;
const CLIENTS = 4;

const jaeger = parse(readFileSync(join(ROOT, 'deploy/jaeger/config.yaml'), 'utf8'));
const MAX_TRACES: number = jaeger.extensions.jaeger_storage.backends.memstore.memory.max_traces;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/**
 * As many minimal spans as 64 KiB holds (360), in `traces` new traces: one each is the shape that
 * evicts Jaeger's store fastest; 6 of 60 spans each passes the relay's spans-per-trace cap.
 */
function hostileBody(traces: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const ids = Array.from({ length: traces }, () => hex(16));
  const spans = Array.from({ length: 360 }, (_, i) => ({
    traceId: ids[i % traces],
    spanId: hex(8),
    name: 'GET',
    kind: 3,
    startTimeUnixNano: String(now - 2_000_000_000n),
    endTimeUnixNano: String(now - 1_000_000_000n),
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'otel-monitoring-web' }, spans }] }] });
}

const p = (polls: Poll[], q: number) => {
  const sorted = polls.map((x) => x.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const sink = new CountingSink();
const service = await startService({
  OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start(),
  OTEL_TRACES_SAMPLER: 'always_off',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
});
try {
  const healthz = `${service.url}/healthz`;
  const quiet = await pollDuring(healthz, new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000)));
  const statuses: Record<number, number> = {};
  let bytesIn = 0;
  let newTraces = 0;
  let lateTraces = 0;
  const half = performance.now() + (SECONDS * 1000) / 2;
  let round = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const traces = round++ % 2 === 0 ? 360 : 6;
      const body = hostileBody(traces);
      const res = await fetch(`${service.url}/ui/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).catch(() => undefined);
      await res?.arrayBuffer();
      const status = res?.status ?? 0;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) {
        bytesIn += body.length;
        newTraces += traces;
        if (performance.now() > half) lateTraces += traces;
      }
      // A refused client comes straight back: what the relay must hold off is a client that
      // does not wait.
    }
  };
  const busy = await pollDuring(healthz, Promise.all(Array.from({ length: CLIENTS }, client)));
  const perSecond = lateTraces / (SECONDS / 2);
  console.log(
    JSON.stringify({
      seconds: SECONDS,
      answers: statuses,
      relayed_bytes_in: bytesIn,
      spans_taken: (statuses[200] ?? 0) * 360,
      new_traces_taken: newTraces,
      new_traces_per_second_second_half: Number(perSecond.toFixed(2)),
      jaeger_max_traces: MAX_TRACES,
      hours_to_evict_one_trace: Number((MAX_TRACES / perSecond / 3600).toFixed(2)),
      healthz_p99_ms_quiet: Number(p(quiet, 0.99).toFixed(1)),
      healthz_p99_ms_under_relay: Number(p(busy, 0.99).toFixed(1)),
      healthz_max_ms_under_relay: Number(Math.max(...busy.map((x) => x.ms)).toFixed(1)),
    }),
  );
} finally {
  service.child.kill('SIGTERM');
  await sink.stop();
}
