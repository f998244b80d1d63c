// The page's OpenTelemetry SDK, from the same 3.x release as the server's: spans (the document
// load, every fetch, and a span per click) and Web Vitals as `browser.web_vital` events. Both go
// to the service's own origin (/ui/v1/*), which relays them to the Collector: the browser never
// needs to reach the Collector. Only same-origin requests carry traceparent (the fetch
// instrumentation's default, no CORS URL is given), so no other site learns the trace id.
import { context, propagation, type Span, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span as SdkSpan,
  type SpanExporter,
  type SpanProcessor,
  StackContextManager,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { clickSpanName, PAGE_SCOPE, WEB_SERVICE_NAME, WEB_VITAL_EVENT } from './names.js';

// Development-status names of the browser conventions, spelled out: the incubating entry point
// would add its whole table to the bundle for a handful of strings.
const ATTR_BROWSER_LANGUAGE = 'browser.language';
const ATTR_BROWSER_PLATFORM = 'browser.platform';
const ATTR_BROWSER_MOBILE = 'browser.mobile';
const ATTR_BROWSER_BRANDS = 'browser.brands';

const RELAY = (signal: string) => new URL(`/ui/v1/${signal}`, location.href).href;

interface UserAgentData {
  brands?: Array<{ brand: string; version: string }>;
  mobile?: boolean;
  platform?: string;
}

function browserAttributes(): Record<string, string | boolean | string[]> {
  const ua = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  const attributes: Record<string, string | boolean | string[]> = {
    [ATTR_SERVICE_NAME]: WEB_SERVICE_NAME,
    [ATTR_BROWSER_LANGUAGE]: navigator.language,
  };
  if (ua?.platform) attributes[ATTR_BROWSER_PLATFORM] = ua.platform;
  if (ua?.mobile !== undefined) attributes[ATTR_BROWSER_MOBILE] = ua.mobile;
  if (ua?.brands) attributes[ATTR_BROWSER_BRANDS] = ua.brands.map((b) => `${b.brand} ${b.version}`);
  return attributes;
}

/**
 * The spans started and not yet ended. The fetch instrumentation ends a request's span only
 * after the response, and then waits for its resource timing; a user who leaves as soon as the
 * answer shows would take that span away with the page.
 */
class OpenSpans implements SpanProcessor {
  readonly open = new Set<SdkSpan>();
  onStart(span: SdkSpan): void {
    this.open.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.open.delete(span as SdkSpan);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  /** Ends every open span now, so the last batch holds it. */
  endAll(): void {
    for (const span of this.open) span.end();
  }
}

/** What became of a batch of the page's spans: taken by the relay, or why not. */
export type Delivery = { delivered: true } | { delivered: false; status?: number; reason: string };

/** The relay's reason, from its JSON error body, or undefined. */
function relayReason(body: string | undefined): string | undefined {
  try {
    return (JSON.parse(body ?? '') as { error?: string }).error;
  } catch {
    return undefined;
  }
}

async function deliveryOf(result: ExportResult): Promise<Delivery> {
  if (result.code === ExportResultCode.SUCCESS) return { delivered: true };
  const error = result.error as (Error & { code?: number; data?: string }) | undefined;
  if (error?.code) return { delivered: false, status: error.code, reason: relayReason(error.data) ?? error.message };
  // An answer the exporter retries (429, 502, 503, 504) loses its status once the retries run
  // out: ask the relay once, with an empty batch, what it says now.
  try {
    const res = await fetch(RELAY('traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
    });
    if (!res.ok)
      return { delivered: false, status: res.status, reason: relayReason(await res.text()) ?? res.statusText };
    return {
      delivered: false,
      reason: 'the relay asked the page to retry until it gave up, and takes telemetry again now',
    };
  } catch {
    return { delivered: false, reason: error?.message ?? 'not sent' };
  }
}

/** The relay's exporter, telling which traces each batch held and what became of it. */
class ReportingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly report: (traceIds: Set<string>, delivery: Delivery) => void,
  ) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
      void deliveryOf(result).then((delivery) => this.report(traceIds, delivery));
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export interface PageTelemetry {
  /** Runs `work` inside a new span for the click on `label`, ended when `work` settles. */
  click<T>(label: string, work: (span: Span) => Promise<T>): Promise<T>;
}

/** `onDelivery`: told, for each batch of spans sent, which traces it held and what became of it. */
export function startPageTelemetry(onDelivery: (traceIds: Set<string>, delivery: Delivery) => void): PageTelemetry {
  const resource = resourceFromAttributes(browserAttributes());
  const spans = new BatchSpanProcessor({
    exporter: new ReportingExporter(new OTLPTraceExporter({ url: RELAY('traces') }), onDelivery),
    scheduledDelayMillis: 1_000,
  });
  const open = new OpenSpans();
  const provider = new TracerProvider({ resource, spanProcessors: [open, spans] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new StackContextManager().enable());
  // W3C trace context only, as on the server: the fetch instrumentation injects traceparent.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());

  const logs = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: RELAY('logs') }),
        scheduledDelayMillis: 1_000,
      }),
    ],
  });
  const vitals = logs.getLogger(PAGE_SCOPE);

  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // The relay's own requests are the telemetry itself: tracing them would never end. The
      // page's own settings are not the user's doing.
      new FetchInstrumentation({ ignoreUrls: [/\/ui\/v1\//, /\/ui\/config\.json$/] }),
    ],
  });

  // Web Vitals, as the semantic conventions' browser.web_vital event: one record per report,
  // with the page's path so a dashboard can show each vital's p75 per page and rating.
  const report = (metric: Metric) =>
    vitals.emit({
      eventName: WEB_VITAL_EVENT,
      attributes: {
        'browser.web_vital.name': metric.name,
        'browser.web_vital.value': metric.value,
        'browser.web_vital.delta': metric.delta,
        'browser.web_vital.rating': metric.rating,
        'browser.web_vital.id': metric.id,
        'browser.web_vital.navigation_type': metric.navigationType,
        'url.path': location.pathname,
      },
    });
  const options = { reportAllChanges: true };
  onLCP(report, options);
  onINP(report, options);
  onCLS(report, options);
  onFCP(report);
  onTTFB(report);

  // What is still queued goes out when the page is hidden, and on leaving the page what is still
  // open is ended first. The exporters send with fetch's keepalive, which outlives the page
  // (within the browser's 64 KiB for such requests; each batch is well under it), still through
  // the same-origin relay and its checks. These listeners come after web-vitals' own, so the
  // vitals it reports on hiding are in the batch.
  const flush = () => {
    void provider.forceFlush();
    void logs.forceFlush();
  };
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  addEventListener('pagehide', () => {
    open.endAll();
    flush();
  });

  const tracer = provider.getTracer(PAGE_SCOPE);
  return {
    click: (label, work) =>
      tracer.startActiveSpan(clickSpanName(label), async (span) => {
        try {
          return await work(span);
        } finally {
          span.end();
        }
      }),
  };
}
