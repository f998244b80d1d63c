// The server side of HTTP telemetry, as a Hono middleware: Hono already knows the route it
// matched, so the span is born with its final name (`GET /db-query`) and `http.route`, and the
// generic node:http server instrumentation (which learns the route only afterwards and records
// many attributes nobody queries) is switched off (otel/instrumentations.ts).
//
// Semantic conventions (HTTP server, stable):
// - span `METHOD /route` (`METHOD` alone when no route matched; `HTTP` for a method outside the
//   known set, with http.request.method_original), kind SERVER, remote parent from
//   traceparent/tracestate/baggage; attributes http.request.method, url.scheme, url.path,
//   http.route, http.response.status_code, error.type (5xx), status ERROR on 5xx unless the
//   route already set a status (its description is what Jaeger shows);
// - http.server.request.duration (s) by http.request.method, url.scheme, http.route,
//   http.response.status_code, error.type;
// - http.server.active_requests by http.request.method, url.scheme, observed from two counters
//   instead of recorded twice per request.
// - also on the span: url.query (when there is one; values of keys that look secret become
//   REDACTED), server.address and server.port (from the Host header), network.protocol.version.
//   client.address, user_agent.original and network.peer.* (Recommended or Opt-In) are left out:
//   nothing here queries them and each costs every request.
// An unmatched path never becomes a span name or a label value. Polled endpoints (/metrics,
// /healthz, /readyz) are not traced.
import {
  type Attributes,
  context,
  type Meter,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';

import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { normalizeMethod, OTHER_METHOD } from './method.js';
import { headerOf, incomingOf } from './node-request.js';

// Development-status name, spelled out: the incubating entry point is 1.2 MB of JavaScript to
// load at start for one string (the conformance test checks it against that entry point).
const METRIC_HTTP_SERVER_ACTIVE_REQUESTS = 'http.server.active_requests';

export const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/favicon.ico']);

// Semantic-convention buckets for HTTP durations, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const SECRET_KEY = /token|secret|passw|key|sig|auth|credential|session/i;

/** The query string for url.query, with the values of keys that look secret replaced. */
export function redactedQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && SECRET_KEY.test(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=REDACTED` : pair;
    })
    .join('&');
}

/** Trace headers, from the Node request when there is one (see node-request.ts). */
const headerGetter: TextMapGetter<Context> = { get: headerOf, keys: () => [] };

/**
 * The Hono route template that will answer this request, or undefined when none matched: the
 * last matched entry registered for a method (middleware registered with use() is `ALL`).
 */
export function matchedRoute(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const entry = routes[i];
    if (entry && entry.method !== 'ALL') return entry.path;
  }
  return undefined;
}

/**
 * True when something already set the span's status. SDK spans expose it (ReadableSpan); a
 * non-recording span has none, and then there is nothing to keep.
 */
function statusIsSet(span: Span): boolean {
  const status = (span as { status?: SpanStatus }).status;
  return status !== undefined && status.code !== SpanStatusCode.UNSET;
}

export function serverTelemetry(tracer: Tracer, meter: Meter): MiddlewareHandler {
  const duration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const active = new Map<string, number>();
  meter
    .createObservableUpDownCounter(METRIC_HTTP_SERVER_ACTIVE_REQUESTS, {
      description: 'Number of HTTP requests being served.',
      unit: '{request}',
    })
    .addCallback((result) => {
      for (const [key, count] of active) {
        const [method, scheme] = key.split(' ');
        result.observe(count, { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme });
      }
    });

  return async (c, next) => {
    const path = c.req.path;
    if (UNTRACED_PATHS.has(path)) return next();
    const method = normalizeMethod(c.req.method);
    const incoming = incomingOf(c);
    const encrypted = incoming
      ? (incoming.socket as { encrypted?: boolean }).encrypted
      : c.req.url.startsWith('https:');
    const scheme = encrypted ? 'https' : 'http';
    const route = matchedRoute(c);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_SCHEME]: scheme,
      [ATTR_URL_PATH]: path,
    };
    if (route) attributes[ATTR_HTTP_ROUTE] = route;
    const target = incoming?.url ?? c.req.url;
    const q = target.indexOf('?');
    if (q !== -1 && q < target.length - 1) attributes[ATTR_URL_QUERY] = redactedQuery(target.slice(q + 1));
    const host = headerOf(c, 'host') ?? new URL(c.req.url).host;
    const colon = host.lastIndexOf(':');
    const portGiven = colon > host.lastIndexOf(']');
    attributes[ATTR_SERVER_ADDRESS] = portGiven ? host.slice(0, colon) : host;
    const port = portGiven ? Number(host.slice(colon + 1)) : encrypted ? 443 : 80;
    if (Number.isInteger(port)) attributes[ATTR_SERVER_PORT] = port;
    if (incoming) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = incoming.httpVersion;
    const spanMethod = method === OTHER_METHOD ? 'HTTP' : method;
    if (method === OTHER_METHOD) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = c.req.method;
    const parent = propagation.extract(ROOT_CONTEXT, c, headerGetter);
    const span = tracer.startSpan(
      route ? `${spanMethod} ${route}` : spanMethod,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
    const key = `${method} ${scheme}`;
    active.set(key, (active.get(key) ?? 0) + 1);
    const started = performance.now();
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      active.set(key, (active.get(key) ?? 1) - 1);
      // Hono has turned any thrown error into its onError response by now.
      const status = c.res.status;
      const metricAttributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_SCHEME]: scheme,
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
        ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
      };
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) {
        metricAttributes[ATTR_ERROR_TYPE] = String(status);
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        if (!statusIsSet(span)) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      duration.record((performance.now() - started) / 1000, metricAttributes);
    }
  };
}
