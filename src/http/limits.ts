// Request size limits. No route takes a body, so a body is only ever accepted up to
// MAX_BODY_BYTES (then 413 JSON) and never read further. Header size and slow clients are
// bounded by the Node server itself (SERVER_LIMITS, passed to serve() in server.ts): a request
// whose headers exceed 16 KiB gets Node's own 431, one that dribbles its headers is cut at 10 s.
// Node enforces headersTimeout only when it checks its connections, every
// connectionsCheckingInterval (30 s by default, which let a slow client hold a socket 10-40 s):
// checking every second makes the 10 s hold to within a second. One bound for headers and body
// alike: requestTimeout, the whole request, is the same 10 s, so a body that dribbles is cut
// like headers that do (it was 30 s). Node's own Host check (requireHostHeader) answers an empty
// 400; client-errors.ts answers it in JSON instead.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsonError } from './errors.js';
import { type FetchRequest, nodeRequestOf, requestHeader } from './node-request.js';
import type { Fetch } from './server-telemetry.js';

export const MAX_BODY_BYTES = 64 * 1024;

export const SERVER_LIMITS = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
  requestTimeout: 10_000,
  requireHostHeader: false,
  keepAliveTimeout: 5_000,
} as const;

export function limitBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => jsonError(c, 413, `request body over ${MAX_BODY_BYTES} bytes`),
  });
}

/**
 * True when the request has a body, so it must pass limitBody (app.ts). From the Node request's
 * headers when there is one (reading the web Request's body there would build a stream), else
 * from the web Request.
 */
export function declaresBody(carrier: FetchRequest): boolean {
  if (!nodeRequestOf(carrier.env)) return carrier.request.body !== null;
  return (
    requestHeader(carrier, 'content-length') !== undefined || requestHeader(carrier, 'transfer-encoding') !== undefined
  );
}

/**
 * `fetch` behind the body limit: a request that declares a body goes through a small Hono app
 * whose only middleware is limitBody, then on to `fetch`; every other request straight to
 * `fetch`, so it keeps Hono's synchronous fast path (no middleware on it).
 */
export function limitBodies(fetch: Fetch): Fetch {
  const guarded = new Hono();
  guarded.use(limitBody());
  guarded.all('*', (c) => fetch(c.req.raw, c.env));
  return (request, env, executionCtx) =>
    declaresBody({ request, env }) ? guarded.fetch(request, env) : fetch(request, env, executionCtx);
}
