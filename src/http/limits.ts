// Request size limits. A route that reads a body puts limitBody in front of its handler (the
// browser relay's routes): a body is read up to MAX_BODY_BYTES, then 413 JSON. No other route
// reads one, and Node discards a body nobody reads. Header size and slow clients are bounded by
// the Node server itself (SERVER_LIMITS, given to createServer in src/http-server.ts): a request
// whose headers exceed 16 KiB gets Node's own 431, one that dribbles its headers is cut at 10 s.
// Node enforces headersTimeout only when it checks its connections, every
// connectionsCheckingInterval (30 s by default, which lets a slow client hold a socket 10-40 s):
// checking every second makes the 10 s hold to within a second. One bound for headers and body
// alike: requestTimeout, the whole request, is the same 10 s, so a body that dribbles is cut
// like headers that do. Node's own Host check (requireHostHeader) answers an empty
// 400; src/hardening/request-guards.ts answers it in JSON instead.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsonError } from './errors.js';

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
