// The live OTLP/HTTP sink the instrumented variants export to: it accepts protobuf, as the
// service sends by default, and counts spans and log records, so a variant that silently stops
// exporting cannot look fast. Decoding uses the OTLP message definitions (only the fields that
// are counted; protobuf skips the rest) through protobufjs.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

// Field numbers from opentelemetry-proto: collector/trace/v1, collector/logs/v1, trace/v1, logs/v1.
const { root } = protobuf.parse(`
  syntax = "proto3";
  message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
  message ResourceSpans { repeated ScopeSpans scope_spans = 2; }
  message ScopeSpans { repeated Span spans = 2; }
  message Span { bytes trace_id = 1; }
  message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
  message ResourceLogs { repeated ScopeLogs scope_logs = 2; }
  message ScopeLogs { repeated LogRecord log_records = 2; }
  message LogRecord { bytes trace_id = 9; }
`);
const TraceRequest = root.lookupType('ExportTraceServiceRequest');
const LogsRequest = root.lookupType('ExportLogsServiceRequest');

// biome-ignore lint/suspicious/noExplicitAny: decoded messages
type Msg = any;

export class CountingSink {
  // Bodies are kept and decoded only when counted, after a measured run: decoding tens of
  // thousands of spans a second would steal CPU from the load generator in this process and
  // make the exporting variants look slower than they are.
  // A Collector's OTLP/HTTP exporter gzips by default; the SDK does not.
  private traces: Array<{ body: Buffer; gzip: boolean }> = [];
  private logs: Array<{ body: Buffer; gzip: boolean }> = [];
  private server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const received = { body: Buffer.concat(chunks), gzip: req.headers['content-encoding'] === 'gzip' };
    if (req.url === '/v1/traces') this.traces.push(received);
    else if (req.url === '/v1/logs') this.logs.push(received);
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Spans and log records received since the last reset. */
  counts(): { spans: number; logRecords: number } {
    let spans = 0;
    let logRecords = 0;
    const plain = ({ body, gzip }: { body: Buffer; gzip: boolean }) => (gzip ? gunzipSync(body) : body);
    for (const received of this.traces) {
      const message: Msg = TraceRequest.decode(plain(received));
      for (const rs of message.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
    }
    for (const received of this.logs) {
      const message: Msg = LogsRequest.decode(plain(received));
      for (const rl of message.resourceLogs ?? [])
        for (const sl of rl.scopeLogs ?? []) logRecords += sl.logRecords?.length ?? 0;
    }
    return { spans, logRecords };
  }

  reset(): void {
    this.traces = [];
    this.logs = [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
