// Requests with a trace id the test chooses (a W3C traceparent, as an upstream service would
// send), so each trace can be looked up in Jaeger afterwards; and synthetic OTLP batches for
// the throughput phase.
import { randomBytes } from 'node:crypto';

export const newTraceId = (): string => randomBytes(16).toString('hex');
const spanId = (): string => randomBytes(8).toString('hex');

/** GET url as a child of the test's own sampled span in trace traceId; the status code. */
export async function tracedGet(url: string, traceId: string): Promise<number> {
  const res = await fetch(url, { headers: { traceparent: `00-${traceId}-${spanId()}-01` } });
  await res.arrayBuffer();
  return res.status;
}

/** Runs fn over items with at most `concurrency` in flight. */
export async function inPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

// biome-ignore lint/suspicious/noExplicitAny: Jaeger API answers
type Json = any;

export interface JaegerTraceSummary {
  spans: number;
  instances: Set<string>;
}

/** A trace as Jaeger's query API returns it: how many spans, from which service instances. */
export async function jaegerTrace(base: string, traceId: string): Promise<JaegerTraceSummary | undefined> {
  const res = await fetch(`${base}/api/traces/${traceId}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}`);
  const [trace]: Json[] = (await res.json()).data ?? [];
  if (!trace) return undefined;
  const instances = new Set<string>();
  for (const span of trace.spans as Json[]) {
    const tags: Json[] = trace.processes[span.processID]?.tags ?? [];
    const id = tags.find((t) => t.key === 'service.instance.id')?.value;
    if (id) instances.add(String(id));
  }
  return { spans: trace.spans.length, instances };
}

/**
 * One OTLP/JSON export request of `traces` traces, `spansPerTrace` spans each (a root and its
 * children), as an SDK would send it; for measuring how many spans a gateway takes per second.
 */
export function syntheticTraces(traces: number, spansPerTrace: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let t = 0; t < traces; t++) {
    const traceId = newTraceId();
    const root = spanId();
    for (let s = 0; s < spansPerTrace; s++) {
      spans.push({
        traceId,
        spanId: s === 0 ? root : spanId(),
        parentSpanId: s === 0 ? undefined : root,
        name: s === 0 ? 'GET /synthetic' : `work ${s}`,
        kind: s === 0 ? 2 : 1,
        startTimeUnixNano: String(now),
        endTimeUnixNano: String(now + 1_000_000n),
        attributes: [{ key: 'http.route', value: { stringValue: '/synthetic' } }],
        status: {},
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'scale-synthetic' } }] },
        scopeSpans: [{ scope: { name: 'scale-test' }, spans }],
      },
    ],
  });
}
