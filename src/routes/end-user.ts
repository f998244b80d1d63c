// End-user monitoring: how the user's browser sees the service. /ui/ is a small page with a
// button per lecture endpoint; its own OpenTelemetry SDK (src/ui/) starts a span per click, and
// the fetch instrumentation sends traceparent with the request, so one trace runs from the
// click through the server span to the pg span. The page's spans and Web Vitals come back here,
// to /ui/v1/traces and /ui/v1/logs, and the service relays them to the Collector: a browser
// reaches only the service's origin, never the Collector's network (docs/architecture.md,
// "Browser telemetry"). The relay routes are not traced (UNTRACED_PATHS).
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { jsonError } from '../http/errors.js';
import { RelayError, type RelaySignal, relayBody } from '../http/otlp-relay.js';
import { limitRate } from '../http/rate-limit.js';

/** How long the relay waits for the Collector before it answers 503. */
const RELAY_TIMEOUT_MS = 5_000;
/** What the page sends is a batch a second or so per open page; UI_RELAY_RATE sets the bound. */
const DEFAULT_RELAY_RATE = 20;

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

export function endUserRoutes({ config, ui }: AppDeps): Hono {
  const app = new Hono();

  app.get('/ui', (c) => c.redirect('/ui/', 301));
  app.get('/ui/', (c) =>
    ui
      ? c.html(ui.html, 200, PAGE_HEADERS)
      : jsonError(c, 404, 'the web page is not built: run npm run build (npm start does)'),
  );
  app.get('/ui/app.js', (c) =>
    ui
      ? c.body(ui.script, 200, { ...PAGE_HEADERS, 'content-type': 'text/javascript; charset=utf-8' })
      : jsonError(c, 404, 'the web page is not built: run npm run build (npm start does)'),
  );

  const relay = (signal: RelaySignal) => async (c: Context) => {
    const target = config.otlpRelay?.[signal];
    if (!target) {
      return jsonError(c, 503, 'browser telemetry relay is off: it needs OTLP/HTTP (OTEL_EXPORTER_OTLP_PROTOCOL)');
    }
    if (!sameOrigin(c.req.header('origin'), c.req.header('host'))) {
      return jsonError(c, 403, "browser telemetry is accepted from this service's own page only");
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return jsonError(c, 415, 'browser telemetry must be OTLP/JSON (Content-Type: application/json)');
    }
    let body: string;
    try {
      body = relayBody(signal, await c.req.text());
    } catch (error) {
      if (error instanceof RelayError) return jsonError(c, 400, `not OTLP/JSON ${signal}: ${error.message}`);
      throw error;
    }
    try {
      // Not traced: a span per relayed batch would be noise on the server's own traces.
      const res = await context.with(suppressTracing(context.active()), () =>
        fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(RELAY_TIMEOUT_MS),
        }),
      );
      const answer = await res.text();
      if (res.ok) return c.body(answer || '{}', 200, { 'content-type': 'application/json' });
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        return jsonError(c, 400, `the Collector refused the ${signal} (${res.status})`);
      }
      c.header('Retry-After', '5');
      return jsonError(c, 503, `the Collector could not take the ${signal} now (${res.status})`);
    } catch (error) {
      c.header('Retry-After', '5');
      // fetch says only "fetch failed"; the cause names the socket error (ECONNREFUSED, …).
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return jsonError(c, 503, `the Collector is unreachable: ${cause}`);
    }
  };

  const perSecond = config.uiRelayRate ?? DEFAULT_RELAY_RATE;
  const rate = limitRate(perSecond, 2 * perSecond, 'browser telemetry requests');
  app.post('/ui/v1/traces', rate, relay('traces'));
  app.post('/ui/v1/logs', rate, relay('logs'));
  return app;
}
