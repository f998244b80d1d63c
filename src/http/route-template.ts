// Gives the http instrumentation the route template Hono matched, so the server span is named
// `GET /db-query` and `http.route` on spans and on http.server.request.duration is the template,
// never the raw path. An unmatched request (404) gets no route at all: a stray path can never
// become a metric label. Also counts in-flight requests (http.server.active_requests).
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { normalizeMethod } from '../../otel/http-method.js';
import type { Instruments } from '../instruments.js';

/** The Hono route template that will answer this request, or undefined when none matched. */
export function matchedRoute(c: Parameters<MiddlewareHandler>[0]): string | undefined {
  const own = routePath(c);
  const last = routePath(c, -1);
  return last && last !== own ? last : undefined;
}

export function routeTemplate(instruments: Pick<Instruments, 'activeRequests'>): MiddlewareHandler {
  return async (c, next) => {
    const route = matchedRoute(c);
    if (route) {
      const rpc = getRPCMetadata(context.active());
      if (rpc?.type === RPCType.HTTP) rpc.route = route;
    }
    const attributes = {
      'http.request.method': normalizeMethod(c.req.method),
      'url.scheme': c.req.url.startsWith('https:') ? 'https' : 'http',
    };
    instruments.activeRequests.add(1, attributes);
    try {
      await next();
    } finally {
      instruments.activeRequests.add(-1, attributes);
    }
  };
}
