// Every error the service answers is JSON `{ "error": "…" }` with a message a person can act on.
// errorBody is the one place that shape is built: Hono's responses, the raw answers written on
// a socket (src/hardening/) and the last-resort answer in app.ts all use it. A handler refuses
// input by throwing Hono's own HTTPException; app.ts's onError answers it in this shape.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The body of every error answer. */
export function errorBody(message: string): { error: string } {
  return { error: message };
}

export function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}

export function jsonError(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json(errorBody(message), status);
}

/** An error answer outside a Hono context (the adapter's error handler, the last resort). */
export function errorResponse(status: number, message: string): Response {
  return Response.json(errorBody(message), { status });
}
