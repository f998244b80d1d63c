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

/**
 * Every item of a list of OTLP/JSON export requests, with its resource's attributes: the one walk
 * of the three-level nesting (resource -> scope -> item) that every signal shares.
 */
export function otlpItems(
  requests: Json[],
  keys: { resource: string; scope: string; items: string },
): Array<{ item: Json; resource: Attributes }> {
  return requests.flatMap((request) =>
    (request[keys.resource] ?? []).flatMap((r: Json) =>
      (r[keys.scope] ?? []).flatMap((s: Json) =>
        (s[keys.items] ?? []).map((item: Json) => ({ item, resource: attributes(r.resource?.attributes) })),
      ),
    ),
  );
}

export class OtlpReceiver {
  readonly requests: Record<'traces' | 'metrics' | 'logs', Json[]> = { traces: [], metrics: [], logs: [] };
  /** Bytes of each signal's request bodies as they arrived on the wire (before any gunzip). */
  readonly bytes: Record<'traces' | 'metrics' | 'logs', number> = { traces: 0, metrics: 0, logs: 0 };
  /** The headers of every request taken, in order, for checks on what a client sent with it. */
  readonly headers: Array<Record<string, string | string[] | undefined>> = [];
  /**
   * While true, every connection is reset as it arrives: a Collector that is down, on a port the
   * receiver already holds, so the test never has to pick a port and hope it stays free.
   */
  down = false;
  /**
   * While set, a request of that signal is taken and never answered: the receiver writes a
   * status line, then one byte of a header every `everyMs`, a Collector that drips (each byte resets the
   * client's idle timeout, so only a deadline on the whole export ends it). Requests taken while
   * it is set keep dripping after it is cleared, until the client gives up.
   */
  trickle: { signal: 'traces' | 'metrics' | 'logs'; everyMs: number } | undefined;
  private drips = new Set<NodeJS.Timeout>();
  private server: Server;

  constructor() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body = Buffer.concat(chunks);
      const wire = body.length;
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
      if (this.trickle?.signal === signal) {
        // A valid start, then a header value that never ends: the client's parser waits on.
        const socket = req.socket;
        socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
        const drip = setInterval(() => {
          if (socket.destroyed) {
            clearInterval(drip);
            this.drips.delete(drip);
          } else socket.write('a');
        }, this.trickle.everyMs);
        this.drips.add(drip);
        return;
      }
      this.requests[signal].push(JSON.parse(body.toString('utf8')));
      this.bytes[signal] += wire;
      this.headers.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    this.server.on('connection', (socket) => {
      if (this.down) socket.resetAndDestroy();
    });
  }

  /** Listens on port (any free one by default) and returns the OTLP endpoint to give the service. */
  async start(port = 0): Promise<string> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Closes every open connection: a client that keeps one alive sees the outage at once. */
  dropConnections(): void {
    this.server.closeAllConnections();
  }

  async stop(): Promise<void> {
    for (const drip of this.drips) clearInterval(drip);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  spans(): OtlpSpan[] {
    return otlpItems(this.requests.traces, { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' }).map(
      ({ item, resource }) => ({ ...item, attributes: attributes(item.attributes), resource }),
    );
  }

  logs(): OtlpLog[] {
    return otlpItems(this.requests.logs, { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' }).map(
      ({ item, resource }) => ({ ...item, attributes: attributes(item.attributes), resource }),
    );
  }

  metrics(): OtlpMetric[] {
    return otlpItems(this.requests.metrics, {
      resource: 'resourceMetrics',
      scope: 'scopeMetrics',
      items: 'metrics',
    }).map(({ item: m, resource }) => {
      const kind = (['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const).find((k) => m[k]);
      const data = kind ? m[kind] : {};
      return {
        name: m.name,
        unit: m.unit,
        kind: kind ?? 'gauge',
        monotonic: Boolean(data.isMonotonic),
        points: (data.dataPoints ?? []).map((p: Json) => attributes(p.attributes)),
        resource,
      };
    });
  }
}

/**
 * The environment that makes a service export to `endpoint` (an OtlpReceiver) in OTLP/JSON, at
 * once: batches every 100 ms and metrics every 500 ms, so a test waits for data, not for timers.
 */
export function exportingTo(endpoint: string): NodeJS.ProcessEnv {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
  };
}
