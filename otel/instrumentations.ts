// Only the libraries this service uses are instrumented, which keeps start-up short and the hot
// path lean (the whole auto-instrumentation bundle also patches fs, dns, net and dozens more).
// The HTTP server side is not here: the Hono middleware (hono-telemetry.ts) knows the route up
// front. node:http is not instrumented at all: the service makes no outgoing node:http
// request of its own (probes use fetch), and the only ones it makes are the OTLP exports, whose
// durations would be noise on the dashboards.
//
// | instrumentation | what it gives                                                               |
// | --------------- | --------------------------------------------------------------------------- |
// | undici          | client spans for fetch() (the /network-check HTTP probes), trace headers out |
// | pg              | a client span per query, `db.client.operation.duration`, pool connections   |
// | winston         | `trace_id`/`span_id` on every record, and the record sent to the logs SDK   |
// | runtime-node    | event loop delay and utilization, V8 heap and GC (`nodejs.*`, `v8js.*`)     |
import { getStringListFromEnv } from '@opentelemetry/core';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import { redactedClientUrl } from './url-redaction.js';

/**
 * The instrumentations, minus those OTEL_NODE_DISABLED_INSTRUMENTATIONS names (the variable and
 * the short names of the auto-instrumentations bundle: undici, pg, winston, runtime-node).
 */
export function createInstrumentations(): InstrumentationBase[] {
  const disabled = new Set(getStringListFromEnv('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? []);
  const all: Array<[string, () => InstrumentationBase]> = [
    // It records url.full, url.path and url.query as sent, and a probe target's path or query may
    // hold a token: otel/url-redaction.ts says what they become.
    ['undici', () => new UndiciInstrumentation({ startSpanHook: redactedClientUrl })],
    ['pg', () => new PgInstrumentation({ requireParentSpan: true })],
    ['winston', () => new WinstonInstrumentation()],
    ['runtime-node', () => new RuntimeNodeInstrumentation()],
  ];
  return all.filter(([name]) => !disabled.has(name)).map(([, create]) => create());
}

/** The module names the instrumentations patch: what the ESM loader hook must wrap. */
export function instrumentedModules(instrumentations: InstrumentationBase[]): string[] {
  return [...new Set(instrumentations.flatMap((i) => i.getModuleDefinitions().map((d) => d.name)))];
}
