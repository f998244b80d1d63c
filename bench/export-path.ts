// npm run bench:scenario -- export-path: would sending spans from a worker thread take work off the
// request path? The batch processor serializes a full batch to OTLP protobuf inside the span.end()
// that fills it (its share of the CPU: bench/NOTES.md, "Where the CPU goes"). A worker could
// serialize instead, but spans are class instances: they would first be copied into plain objects
// and structured-cloned (what postMessage does). This measures, per span, on batches of 512 spans
// shaped like the service's server spans (same name, kind and attributes):
//   serialize: ProtobufTraceSerializer.serializeRequest, what the main thread does today;
//   copy + clone: what the main thread would do instead before postMessage.
// Settings (environment): BENCH_ROUNDS (5) rounds of BENCH_BATCHES (400) batches each.
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { wholeNumber } from '../support/env.js';

const BATCH = 512;
const ROUNDS = wholeNumber('BENCH_ROUNDS', 5);
const BATCHES = wholeNumber('BENCH_BATCHES', 400);

function serverSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('otel-monitoring-service');
  for (let i = 0; i < BATCH; i++) {
    tracer
      .startSpan('GET /', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'url.scheme': 'http',
          'url.path': '/',
          'http.route': '/',
          'server.address': '127.0.0.1',
          'server.port': 8080,
          'network.protocol.version': '1.1',
        },
      })
      .setAttribute('http.response.status_code', 200)
      .end();
  }
  return exporter.getFinishedSpans();
}

/** The fields the OTLP serializer reads, as plain data a worker could rebuild spans from. */
function plain(span: ReadableSpan) {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceFlags: ctx.traceFlags,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: span.kind,
    startTime: span.startTime,
    endTime: span.endTime,
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    links: span.links,
    status: span.status,
    scope: span.instrumentationScope,
  };
}

function perSpanMicros(work: () => void): number {
  const started = performance.now();
  for (let i = 0; i < BATCHES; i++) work();
  return ((performance.now() - started) * 1000) / (BATCHES * BATCH);
}

const spans = serverSpans();
let bytes = 0;
const serialize = () => {
  bytes = ProtobufTraceSerializer.serializeRequest(spans)?.byteLength ?? 0;
};
const copyAndClone = () => {
  structuredClone(spans.map(plain));
};
// Warm both paths up before measuring, then alternate.
perSpanMicros(serialize);
perSpanMicros(copyAndClone);
const results = { serialize: [] as number[], copyAndClone: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  results.serialize.push(perSpanMicros(serialize));
  results.copyAndClone.push(perSpanMicros(copyAndClone));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const s = median(results.serialize);
const c = median(results.copyAndClone);
console.log(
  `Batches of ${BATCH} server spans, ${ROUNDS} rounds of ${BATCHES} batches (medians), Node ${process.version}:`,
);
console.log(`| main-thread work per span | µs |`);
console.log(`| --- | --- |`);
console.log(`| serialize to OTLP protobuf (today) | ${s.toFixed(2)} |`);
console.log(`| copy to plain objects + structured clone (worker) | ${c.toFixed(2)} |`);
console.log(
  `\nA worker would save ${(s - c).toFixed(2)} µs per span (${Math.round((1 - c / s) * 100)}%); one batch is ${bytes} bytes.`,
);
