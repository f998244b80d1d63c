// What one abusive client costs through the browser relay: it posts the largest batches of
// spans with new trace ids the relay takes, from 4 connections at once, for RELAY_SECONDS, while
// /healthz is polled. Prints /healthz latency before (quiet) and during, in the same run, how
// many spans and new traces reached the Collector (a counting sink) a second, and the hours that
// rate needs to push one real trace out of Jaeger's memory store (max_traces in
// deploy/jaeger/config.yaml). Loopback only, bounded by time.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { wholeNumber } from './env.js';
import { type Poll, pollDuring } from './poll.js';
import { ROOT } from './run-once.js';
import { CountingSink } from './sink.js';
import { startService } from './start-service.js';

const SECONDS = wholeNumber('RELAY_SECONDS', 10);
const QUIET_SECONDS = 3;
const CLIENTS = 4;

const jaeger = parse(readFileSync(join(ROOT, 'deploy/jaeger/config.yaml'), 'utf8'));
const MAX_TRACES: number = jaeger.extensions.jaeger_storage.backends.memstore.memory.max_traces;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** 512 minimal spans, each of a new trace: the shape that evicts Jaeger's store fastest. */
function hostileBody(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: 512 }, () => ({
    traceId: hex(16),
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
  LOG_LEVEL: 'error',
});
try {
  const healthz = `${service.url}/healthz`;
  const quiet = await pollDuring(healthz, new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000)));
  const statuses: Record<number, number> = {};
  let bytesIn = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const body = hostileBody();
      const res = await fetch(`${service.url}/ui/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).catch(() => undefined);
      await res?.arrayBuffer();
      const status = res?.status ?? 0;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) bytesIn += body.length;
      // A refused client comes straight back: what the relay must hold off is a client that
      // does not wait.
    }
  };
  const busy = await pollDuring(healthz, Promise.all(Array.from({ length: CLIENTS }, client)));
  const spans = sink.counts().spans;
  const perSecond = spans / SECONDS; // every span has a trace of its own
  console.log(
    JSON.stringify({
      seconds: SECONDS,
      answers: statuses,
      relayed_bytes_in: bytesIn,
      spans_relayed: spans,
      new_traces_per_second: Number(perSecond.toFixed(2)),
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
