// The Node request behind a Hono context, when there is one (@hono/node-server puts it in
// c.env.incoming; app.request() in tests has none). Reading its headers directly is much cheaper
// on the hot path than building web Headers.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** A request header, from the Node request when there is one. */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
