// A real OTLP/HTTP receiver on loopback for contract tests. It accepts the OTLP JSON encoding
// (the service is started with OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and keeps every request,
// decoded with JSON.parse: the OTLP/JSON mapping is the protocol's own, no hand-written parser.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
export type Attributes = Record<string, string | number | boolean | undefined>;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Attributes;
  status?: { code?: number; message?: string };
  events?: Array<{ name: string; attributes?: KeyValue[] }>;
  resource: Attributes;
}

export interface OtlpLog {
  traceId?: string;
  spanId?: string;
  severityText?: string;
  body?: AnyValue;
  attributes: Attributes;
  resource: Attributes;
}

export interface OtlpMetric {
  name: string;
  unit?: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';
  monotonic: boolean;
  points: Attributes[];
  resource: Attributes;
}

export function attributes(list: KeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const { key, value } of list ?? []) {
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: OTLP JSON as received
type Json = any;

export class OtlpReceiver {
  readonly requests: Record<'traces' | 'metrics' | 'logs', Json[]> = { traces: [], metrics: [], logs: [] };
  private server: Server;

  constructor() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const signal = req.url?.replace(/^\/v1\//, '') as 'traces' | 'metrics' | 'logs';
      if (
        req.method !== 'POST' ||
        !(signal in this.requests) ||
        !String(req.headers['content-type']).includes('json')
      ) {
        res.writeHead(415).end();
        return;
      }
      this.requests[signal].push(JSON.parse(body.toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }

  /** Listens on port (any free one by default) and returns the OTLP endpoint to give the service. */
  async start(port = 0): Promise<string> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  spans(): OtlpSpan[] {
    return this.requests.traces.flatMap((r) =>
      (r.resourceSpans ?? []).flatMap((rs: Json) =>
        (rs.scopeSpans ?? []).flatMap((ss: Json) =>
          (ss.spans ?? []).map((s: Json) => ({
            ...s,
            attributes: attributes(s.attributes),
            resource: attributes(rs.resource?.attributes),
          })),
        ),
      ),
    );
  }

  logs(): OtlpLog[] {
    return this.requests.logs.flatMap((r) =>
      (r.resourceLogs ?? []).flatMap((rl: Json) =>
        (rl.scopeLogs ?? []).flatMap((sl: Json) =>
          (sl.logRecords ?? []).map((l: Json) => ({
            ...l,
            attributes: attributes(l.attributes),
            resource: attributes(rl.resource?.attributes),
          })),
        ),
      ),
    );
  }

  metrics(): OtlpMetric[] {
    return this.requests.metrics.flatMap((r) =>
      (r.resourceMetrics ?? []).flatMap((rm: Json) =>
        (rm.scopeMetrics ?? []).flatMap((sm: Json) =>
          (sm.metrics ?? []).map((m: Json) => {
            const kind = (['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const).find((k) => m[k]);
            const data = kind ? m[kind] : {};
            return {
              name: m.name,
              unit: m.unit,
              kind: kind ?? 'gauge',
              monotonic: Boolean(data.isMonotonic),
              points: (data.dataPoints ?? []).map((p: Json) => attributes(p.attributes)),
              resource: attributes(rm.resource?.attributes),
            };
          }),
        ),
      ),
    );
  }
}
