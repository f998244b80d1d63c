// Only the libraries this service uses are instrumented, which keeps start-up short and the hot
// path lean (the whole auto-instrumentation bundle also patches fs, dns, net and dozens more).
// The HTTP server side is not here: src/http/server-telemetry.ts, a Hono middleware, knows the
// route up front. node:http is not instrumented at all: the service makes no outgoing node:http
// request of its own (probes use fetch), and the only ones it makes are the OTLP exports, whose
// durations would be noise on the dashboards.
//
// | instrumentation | what it gives                                                               |
// | --------------- | --------------------------------------------------------------------------- |
// | undici          | client spans for fetch() (the /network-check HTTP probes), trace headers out |
// | pg              | a client span per query, `db.client.operation.duration`, pool connections   |
// | winston         | `trace_id`/`span_id` on every record, and the record sent to the logs SDK   |
// | runtime-node    | event loop delay and utilization, V8 heap and GC (`nodejs.*`, `v8js.*`)     |
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';

export function createInstrumentations(): Instrumentation[] {
  return [
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new WinstonInstrumentation(),
    new RuntimeNodeInstrumentation(),
  ];
}
