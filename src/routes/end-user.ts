// End-user monitoring: how the user's browser sees the service. /ui/ is a small page with a
// button per lecture endpoint; its own OpenTelemetry SDK (src/ui/) starts a span per click, and
// the fetch instrumentation sends traceparent with the request, so one trace runs from the
// click through the server span to the pg span. The page's spans and Web Vitals come back here,
// to /ui/v1/traces and /ui/v1/logs, and the service relays them to the Collector: a browser
// reaches only the service's origin, never the Collector's network (docs/architecture.md,
// "Browser telemetry"). What is relayed is rebuilt from rules (src/relay/), within a budget. The
// relay routes are measured, not traced (src/app.ts), and the only routes that read a body.
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { type Context, Hono } from 'hono';
import { throttled } from '../../otel/throttled.js';
import { DEFAULT_RELAY_RATE } from '../config.js';
import type { AppDeps } from '../deps.js';
import { jsonError } from '../http/errors.js';
import { limitBody } from '../http/limits.js';
import { limitRate } from '../http/rate-limit.js';
import { RelayBudget } from '../relay/budget.js';
import { RelayError } from '../relay/otlp-json.js';
import { pageLogs } from '../relay/page-logs.js';
import { pageSpans } from '../relay/page-spans.js';
import { ATTR_APP_RELAY_FAILED, ATTR_APP_RELAY_REFUSED } from '../semconv.js';

/** Where the page sends its spans and its log records. */
export const RELAY_PATHS = { traces: '/ui/v1/traces', logs: '/ui/v1/logs' } as const;

/** One warning line per this long at most, however many requests are refused or fail. */
const WARN_EVERY_MS = 10_000;

// The page loads only its own script, and talks only to its own origin.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/**
 * True when a request may come from the service's own page: no Origin (not a cross-site browser
 * request), or one whose host is the Host asked for. An opaque origin (`null`, from a sandboxed
 * frame or a file) or one that is not a URL is not.
 */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="#3b6ea5"/></svg>';

type Batch = { signal: 'traces'; items: ReadableSpan[] } | { signal: 'logs'; items: ReadableLogRecord[] };

export function endUserRoutes({ config, ui, relay: exporters, logger }: AppDeps): Hono {
  const app = new Hono();

  app.get('/ui', (c) => c.redirect('/ui/', 301));
  app.get('/ui/', (c) =>
    ui
      ? c.html(ui.html, 200, PAGE_HEADERS)
      : jsonError(c, 404, 'the web page is not built: run npm run build (npm start does)'),
  );
  // What the page cannot know by itself: where Jaeger's UI is, for a link to each click's trace.
  app.get('/ui/config.json', (c) => c.json({ jaegerUiUrl: config.jaegerUiUrl ?? null }, 200, PAGE_HEADERS));
  // The page's icon, so the browser does not ask for /favicon.ico and log its 404.
  app.get('/ui/favicon.svg', (c) => c.body(FAVICON, 200, { ...PAGE_HEADERS, 'content-type': 'image/svg+xml' }));
  app.get('/ui/app.js', (c) =>
    ui
      ? c.body(ui.script, 200, { ...PAGE_HEADERS, 'content-type': 'text/javascript; charset=utf-8' })
      : jsonError(c, 404, 'the web page is not built: run npm run build (npm start does)'),
  );

  const budget = new RelayBudget();
  // Refused bodies and failed exports are the client's or the Collector's trouble, not the
  // service's: counted in the request histogram by status, and told in at most one line per
  // interval, with the last reason.
  const refused = throttled(WARN_EVERY_MS, (count, reason: string) =>
    logger.warn(`browser telemetry: refused ${count} request(s); the last: ${reason}`, {
      [ATTR_APP_RELAY_REFUSED]: count,
    }),
  );
  const failed = throttled(WARN_EVERY_MS, (count, reason: string) =>
    logger.warn(`browser telemetry: ${count} batch(es) not taken by the Collector; the last: ${reason}`, {
      [ATTR_APP_RELAY_FAILED]: count,
    }),
  );

  const relay = (signal: Batch['signal']) => async (c: Context) => {
    if (!exporters?.[signal]) {
      return jsonError(c, 503, `browser telemetry relay is off: the service exports no ${signal} over OTLP`);
    }
    if (!sameOrigin(c.req.header('origin'), c.req.header('host'))) {
      return jsonError(c, 403, "browser telemetry is accepted from this service's own page only");
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return jsonError(c, 415, 'browser telemetry must be OTLP/JSON (Content-Type: application/json)');
    }
    let text: string;
    try {
      text = await c.req.text();
    } catch {
      // The client went away mid-upload: nobody reads this answer, and nothing went wrong here.
      return jsonError(c, 400, 'request body not received whole');
    }
    let batch: Batch;
    try {
      batch =
        signal === 'traces'
          ? { signal, items: pageSpans(text, Date.now()) }
          : { signal, items: pageLogs(text, Date.now()) };
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      refused(error.message);
      return jsonError(c, 400, `not the page's OTLP/JSON ${signal}: ${error.message}`);
    }
    const traceIds = batch.signal === 'traces' ? batch.items.map((s) => s.spanContext().traceId) : [];
    const verdict = budget.admit(batch.items.length, traceIds);
    if (!verdict.admitted) {
      c.header('Retry-After', String(verdict.retryAfterS));
      return jsonError(
        c,
        429,
        `browser telemetry over its budget (${verdict.reason}); retry in ${verdict.retryAfterS} s`,
      );
    }
    try {
      await (batch.signal === 'traces' ? exporters.traces?.(batch.items) : exporters.logs?.(batch.items));
    } catch (error) {
      failed((error as Error).message);
      // How the Collector failed is the operator's business (the log line), not the client's.
      c.header('Retry-After', '5');
      return jsonError(c, 503, 'the Collector is unavailable; try again later');
    }
    // OTLP/HTTP's answer to a batch taken whole: an empty export response.
    return c.json({}, 200);
  };

  const perSecond = config.uiRelayRate ?? DEFAULT_RELAY_RATE;
  const rate = limitRate(perSecond, 2 * perSecond, 'browser telemetry requests');
  app.post(RELAY_PATHS.traces, rate, limitBody(), relay('traces'));
  app.post(RELAY_PATHS.logs, rate, limitBody(), relay('logs'));
  return app;
}
