// The Node request behind a Hono request, when there is one (@hono/node-server passes it as
// env.incoming; app.request() in tests has none). Reading its headers directly is much cheaper
// on the hot path than building web Headers.
import type { IncomingMessage } from 'node:http';

/** The Node request in the adapter's env, if any. */
export function nodeRequestOf(env: unknown): IncomingMessage | undefined {
  return (env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** A request as the app's fetch gets it: the web Request, and the adapter's env (see the header). */
export interface FetchRequest {
  request: Request;
  env?: unknown;
}

/** A request header (lower-case name), from the Node request when there is one. */
export function requestHeader({ request, env }: FetchRequest, name: string): string | undefined {
  const incoming = nodeRequestOf(env);
  if (!incoming) return request.headers.get(name) ?? undefined;
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
