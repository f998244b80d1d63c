// HTTP server telemetry for a Hono app, as one middleware: `app.use(httpTelemetry(options))`,
// before the routes. Hono's router has matched every route before the first middleware runs, so
// the span is born with its final name, read through Hono's public `hono/route` API; node:http
// itself is not instrumented (otel/instrumentations.ts).
// What it records, by the stable HTTP server conventions:
// - span `METHOD /route` (`METHOD` alone when no route matched, `HTTP` for an unknown method),
//   kind SERVER, remote parent from traceparent; status ERROR on 5xx unless the route set one;
// - http.server.request.duration (s) and http.server.active_requests;
// - on recorded spans only: url.path, url.query (every value redacted, url-redaction.ts),
//   server.address and server.port, network.protocol.version. client.address, user_agent.original
//   and network.peer.* (Recommended or Opt-In) are left out: each costs every request.
// An unmatched path never becomes a span name or a label value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  context,
  metrics,
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
import { METRIC_HTTP_SERVER_ACTIVE_REQUESTS } from './semconv.js';
import { redactedQuery } from './url-redaction.js';

export interface HttpTelemetryOptions {
  /** The tracer and meter to record with: the global providers' by default, under this scope. */
  tracer?: Tracer;
  meter?: ReturnType<typeof metrics.getMeter>;
  /** Paths neither traced nor measured: what machines poll (probes, scrapes) would swamp the rest. */
  unobservedPaths?: Iterable<string>;
  /** Paths measured (by route and status) but not traced. */
  untracedPaths?: Iterable<string>;
  /**
   * Tell the client its trace: a `traceresponse` header (W3C Trace Context Level 2) on every
   * answer whose span is recorded, `00-<trace id>-<span id>-<flags>`, so a curl user can look the
   * trace up.
   */
  traceResponse?: boolean;
  /**
   * The answer to what Hono's onError never sees (it takes only Errors): a thrown non-Error, or
   * an onError that itself failed. Called in the request's span context, so a log line it writes
   * carries the trace id. A JSON 500 by default.
   */
  onThrown?: (error: Error) => Response;
}

const SCOPE = 'hono-telemetry';

// `http.request.method` per the conventions: the known methods as sent, anything else `_OTHER`,
// so a client inventing methods cannot create metric series.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);
const OTHER_METHOD = '_OTHER';

// The conventions' buckets for HTTP durations, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * The Node request, which @hono/node-server passes as `c.env.incoming`; app.request() in tests
 * has none. Reading its headers is much cheaper on the hot path than building web Headers.
 */
function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** A request header (lower-case name), from the Node request when there is one. */
function header(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const headerGetter: TextMapGetter<Context> = { get: header, keys: () => [] };

/**
 * The template of the route that answers, or undefined when none matched. Middleware (added with
 * use(), so method ALL, taking `next`) matches every path and names no route; the last match
 * that is not middleware is the handler that answers.
 */
export function routeOf(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && (route.method !== 'ALL' || route.handler.length < 2)) return route.path;
  }
  return undefined;
}

/** True when something already set the span's status (SDK spans expose it; a no-op span has none). */
function statusIsSet(span: Span): boolean {
  const status = (span as { status?: SpanStatus }).status;
  return status !== undefined && status.code !== SpanStatusCode.UNSET;
}

/** The span's request attributes, built only for a span that records (see the list at the top). */
function requestAttributes(c: Context, method: string, scheme: string, route: string | undefined): Attributes {
  const incoming = incomingOf(c);
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: c.req.path,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  if (method === OTHER_METHOD) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = c.req.method;
  const target = incoming?.url ?? c.req.url;
  const q = target.indexOf('?');
  if (q !== -1 && q < target.length - 1) attributes[ATTR_URL_QUERY] = redactedQuery(target.slice(q + 1));
  const host = header(c, 'host') ?? new URL(c.req.url).host;
  const colon = host.lastIndexOf(':');
  const portGiven = colon > host.lastIndexOf(']');
  attributes[ATTR_SERVER_ADDRESS] = portGiven ? host.slice(0, colon) : host;
  const port = portGiven ? Number(host.slice(colon + 1)) : scheme === 'https' ? 443 : 80;
  if (Number.isInteger(port)) attributes[ATTR_SERVER_PORT] = port;
  if (incoming) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = incoming.httpVersion;
  return attributes;
}

/** The request histogram's attributes for an answer, traced or not. */
function metricAttributes(method: string, scheme: string, status: number, route: string | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  if (status >= 500) attributes[ATTR_ERROR_TYPE] = String(status);
  return attributes;
}

/** `METHOD /route`, `METHOD` when no route matched, `HTTP` for a method the conventions do not know. */
function spanName(method: string, route: string | undefined): string {
  const verb = method === OTHER_METHOD ? 'HTTP' : method;
  return route ? `${verb} ${route}` : verb;
}

/**
 * Sets `traceresponse` for the answer. On Node, on the ServerResponse itself (the adapter's
 * `c.env.outgoing`), whose writeHead merges it: a header set through Hono would make the adapter
 * build a full web Response for every answer.
 */
function answerWithTrace(c: Context, span: Span): void {
  const { traceId, spanId, traceFlags } = span.spanContext();
  const value = `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) outgoing.setHeader('traceresponse', value);
  else c.header('traceresponse', value);
}

const internalError = () => Response.json({ error: 'internal error' }, { status: 500 });

export function httpTelemetry(options: HttpTelemetryOptions = {}): MiddlewareHandler {
  const tracer = options.tracer ?? trace.getTracer(SCOPE);
  const meter = options.meter ?? metrics.getMeter(SCOPE);
  const unobserved = new Set(options.unobservedPaths);
  const untraced = new Set(options.untracedPaths);
  const onThrown = options.onThrown ?? internalError;
  const traceResponse = options.traceResponse ?? false;
  const duration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  // Requests in flight, per scheme then method: keys the request already holds, not a string
  // built (and hashed) twice per request.
  const active = { http: new Map<string, number>(), https: new Map<string, number>() };
  meter
    .createObservableUpDownCounter(METRIC_HTTP_SERVER_ACTIVE_REQUESTS, {
      description: 'Number of HTTP requests being served.',
      unit: '{request}',
    })
    .addCallback((result) => {
      for (const [scheme, byMethod] of Object.entries(active)) {
        for (const [method, count] of byMethod) {
          result.observe(count, { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme });
        }
      }
    });

  return function httpTelemetryMiddleware(c, next) {
    const path = c.req.path;
    if (unobserved.has(path)) return next();
    const started = performance.now();
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : OTHER_METHOD;
    const incoming = incomingOf(c);
    const encrypted = incoming
      ? (incoming.socket as { encrypted?: boolean }).encrypted
      : c.req.url.startsWith('https:');
    const scheme = encrypted ? 'https' : 'http';
    const route = routeOf(c);

    // Measured but not traced: the same answer and histogram point, without a span.
    const parent = untraced.has(path) ? undefined : propagation.extract(ROOT_CONTEXT, c, headerGetter);
    const span = parent && tracer.startSpan(spanName(method, route), { kind: SpanKind.SERVER }, parent);
    // The conventions ask for the request attributes at span creation, for samplers that decide
    // on them. The samplers OTEL_TRACES_SAMPLER can name (always_on, always_off, traceidratio and
    // their parentbased_ forms) read none, and startSpan validates and copies what it is given
    // even for a span it will not record. So they are built and set only when the span records.
    if (span?.isRecording()) span.setAttributes(requestAttributes(c, method, scheme, route));
    const spanContext = parent && span && trace.setSpan(parent, span);
    // Only a recorded span can be looked up; the header costs every answer that carries it
    // (bench/NOTES.md, "traceresponse").
    if (traceResponse && span?.isRecording()) answerWithTrace(c, span);
    const inFlight = active[scheme];
    inFlight.set(method, (inFlight.get(method) ?? 0) + 1);

    const finish = (answer?: Response): Response | undefined => {
      const status = (answer ?? c.res).status;
      inFlight.set(method, (inFlight.get(method) ?? 1) - 1);
      if (span) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (status >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(status));
          if (!statusIsSet(span)) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
      duration.record((performance.now() - started) / 1000, metricAttributes(method, scheme, status, route));
      return answer;
    };
    // Hono's onError has answered every Error thrown below; what arrives here it never saw.
    const fail = (thrown: unknown): Response | undefined => {
      const error = thrown instanceof Error ? thrown : new Error(`non-Error value thrown: ${String(thrown)}`);
      span?.recordException(error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      return finish(spanContext ? context.with(spanContext, onThrown, undefined, error) : onThrown(error));
    };
    // then() rather than await: one promise fewer per request on the hot path.
    return (spanContext ? context.with(spanContext, next) : next()).then(() => finish(), fail);
  };
}
