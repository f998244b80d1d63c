// Only the libraries this service uses are instrumented, which keeps start-up short and the hot
// path lean (the whole auto-instrumentation bundle also patches fs, dns, net and dozens more).
//
// | instrumentation | what it gives                                                               |
// | --------------- | --------------------------------------------------------------------------- |
// | http            | server span per request and `http.server.request.duration`; the Hono      |
// |                 | middleware in src/http/route-template.ts supplies `http.route`              |
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

/** Paths scraped or polled by machines: tracing them would bury the traffic people look for. */
export const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/favicon.ico']);

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function createInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
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
