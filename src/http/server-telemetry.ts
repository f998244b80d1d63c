// The server side of HTTP telemetry, around the Hono app's fetch (instrument-app.ts says why
// not middleware). Hono's router says up front which route will answer (hono-route.ts), so the
// span is born with its final name, and node:http itself is not instrumented.
// What it records, by the stable HTTP server conventions:
// - span `METHOD /route` (`METHOD` alone when no route matched, `HTTP` for an unknown method),
//   kind SERVER, remote parent from traceparent; status ERROR on 5xx unless the route set one;
// - http.server.request.duration (s) and http.server.active_requests;
// - on recorded spans only: url.path, url.query (every value redacted, otel/url-redaction.ts),
//   server.address and server.port, network.protocol.version. client.address, user_agent.original
//   and network.peer.* (Recommended or Opt-In) are left out: each costs every request.
// An unmatched path never becomes a span name or a label value; polled paths are not traced.
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

import type { ExecutionContext, Hono } from 'hono';
import { redactedQuery } from '../../otel/url-redaction.js';
import { METRIC_HTTP_SERVER_ACTIVE_REQUESTS } from '../semconv.js';
import { routeTemplate } from './hono-route.js';
import { normalizeMethod, OTHER_METHOD } from './method.js';
import { type FetchRequest, nodeRequestOf, requestHeader } from './node-request.js';

// Polled paths: neither traced nor measured, or probes and scrapes would swamp the real traffic.
export const UNOBSERVED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/favicon.ico']);
// The browser relay's routes: measured (abuse shows in the request histogram by status), not
// traced (a server span per relayed batch would crowd the real ones).
export const UNTRACED_PATHS = new Set(['/ui/v1/traces', '/ui/v1/logs']);

// Semantic-convention buckets for HTTP durations, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Trace headers, from the Node request when there is one (see node-request.ts). */
const headerGetter: TextMapGetter<FetchRequest> = { get: requestHeader, keys: () => [] };

/**
 * True when something already set the span's status. SDK spans expose it (ReadableSpan); a
 * non-recording span has none, and then there is nothing to keep.
 */
function statusIsSet(span: Span): boolean {
  const status = (span as { status?: SpanStatus }).status;
  return status !== undefined && status.code !== SpanStatusCode.UNSET;
}

/** The server span's request attributes (see the list at the top). */
function requestAttributes(
  carrier: FetchRequest,
  method: string,
  scheme: string,
  path: string,
  route: string | undefined,
): Attributes {
  const { request, env } = carrier;
  const incoming = nodeRequestOf(env);
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: path,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  if (method === OTHER_METHOD) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  const target = incoming?.url ?? request.url;
  const q = target.indexOf('?');
  if (q !== -1 && q < target.length - 1) attributes[ATTR_URL_QUERY] = redactedQuery(target.slice(q + 1));
  const host = requestHeader(carrier, 'host') ?? new URL(request.url).host;
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

/** A Hono app's fetch, as @hono/node-server calls it: `app.fetch` itself fits. */
export type Fetch = (request: Request, env?: unknown, executionCtx?: ExecutionContext) => Response | Promise<Response>;

export interface ServerTelemetry {
  tracer: Tracer;
  meter: Meter;
  /**
   * The answer to what escaped Hono's onError (which takes only Errors): a thrown non-Error, or
   * an onError that failed. Called in the request's span context; the span and the histogram
   * record the status it answers with.
   */
  onThrown(error: Error): Response;
}

/**
 * `inner` (the app's fetch, or what stands in front of it) inside a server span, with the
 * request metrics. `app` says which route will answer and which path is not traced.
 */
export function tracedFetch(app: Hono, inner: Fetch, { tracer, meter, onThrown }: ServerTelemetry): Fetch {
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

  /** A request answered without a span, its duration recorded by route and status all the same. */
  const measured = async (request: Request, env: unknown, executionCtx: ExecutionContext | undefined, path: string) => {
    const started = performance.now();
    const method = normalizeMethod(request.method);
    const route = routeTemplate(app, request.method, path);
    let status = 500;
    try {
      const response = await inner(request, env, executionCtx);
      status = response.status;
      return response;
    } finally {
      const scheme = request.url.startsWith('https:') ? 'https' : 'http';
      duration.record((performance.now() - started) / 1000, metricAttributes(method, scheme, status, route));
    }
  };

  return (request, env, executionCtx) => {
    const path = app.getPath(request, { env });
    if (UNOBSERVED_PATHS.has(path)) return inner(request, env, executionCtx);
    if (UNTRACED_PATHS.has(path)) return measured(request, env, executionCtx, path);
    const carrier: FetchRequest = { request, env };
    const incoming = nodeRequestOf(env);
    const method = normalizeMethod(request.method);
    const encrypted = incoming
      ? (incoming.socket as { encrypted?: boolean }).encrypted
      : request.url.startsWith('https:');
    const scheme = encrypted ? 'https' : 'http';
    const inFlight = active[scheme];
    const route = routeTemplate(app, request.method, path);
    const spanMethod = method === OTHER_METHOD ? 'HTTP' : method;
    const parent = propagation.extract(ROOT_CONTEXT, carrier, headerGetter);
    // The convention asks for the request attributes at span creation, for samplers that decide
    // on them. The samplers OTEL_TRACES_SAMPLER can name (always_on, always_off, traceidratio and
    // their parentbased_ forms) read none, and startSpan validates and copies what it is given
    // before sampling, even for a span it will not record. So they are built and set only when
    // the span records (what that saves: bench/README.md, "Request attributes only on recorded
    // spans").
    const span = tracer.startSpan(route ? `${spanMethod} ${route}` : spanMethod, { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) span.setAttributes(requestAttributes(carrier, method, scheme, path, route));
    const spanContext = trace.setSpan(parent, span);
    inFlight.set(method, (inFlight.get(method) ?? 0) + 1);
    const started = performance.now();

    const finish = (status: number): void => {
      inFlight.set(method, (inFlight.get(method) ?? 1) - 1);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        if (!statusIsSet(span)) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      duration.record((performance.now() - started) / 1000, metricAttributes(method, scheme, status, route));
    };
    // Hono has turned every thrown Error into its onError response; what still arrives here is
    // recorded on the span, and answered by onThrown in the span's context (its log line carries
    // the trace id).
    const fail = (thrown: unknown): Response => {
      const error = thrown instanceof Error ? thrown : new Error(`non-Error value thrown: ${String(thrown)}`);
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      const answer = context.with(spanContext, onThrown, undefined, error);
      finish(answer.status);
      return answer;
    };

    let result: Response | Promise<Response>;
    try {
      result = context.with(spanContext, inner, undefined, request, env, executionCtx);
    } catch (thrown) {
      return fail(thrown);
    }
    if (result instanceof Promise) {
      return result.then((response) => {
        finish(response.status);
        return response;
      }, fail);
    }
    finish(result.status);
    return result;
  };
}
