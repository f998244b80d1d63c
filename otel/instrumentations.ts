// Only the libraries this service uses are instrumented, which keeps start-up short and the hot
// path lean (the whole auto-instrumentation bundle also patches fs, dns, net and dozens more).
//
// | instrumentation | what it gives                                                               |
// | --------------- | --------------------------------------------------------------------------- |
// | http            | client spans for node:http requests made inside a trace (the server side   |
// |                 | is the Hono middleware in src/http/server-telemetry.ts)                     |
// | undici          | client spans for fetch() (the /network-check HTTP probes), trace headers out |
// | pg              | a client span per query, `db.client.operation.duration`, pool connections   |
// | winston         | `trace_id`/`span_id` on every record, and the record sent to the logs SDK   |
// | runtime-node    | event loop delay and utilization, V8 heap and GC (`nodejs.*`, `v8js.*`)     |
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';

export function createInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      // The server side is src/http/server-telemetry.ts, which knows the Hono route up front.
      disableIncomingRequestInstrumentation: true,
      // The OTLP exporters talk http to the Collector; only requests made inside a trace
      // (none today: probes use fetch) deserve a client span.
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new WinstonInstrumentation(),
    new RuntimeNodeInstrumentation(),
  ];
}
