// What stands around the app's routes, in the order a request meets it (the Node server's own
// guards come first, in client-errors.ts: parser errors, no Host, a Transfer-Encoding it cannot
// frame, CONNECT):
// 1. the server span and request metrics (server-telemetry.ts), so every answer below is
//    traced and measured, a 413 included;
// 2. the body limit, for requests that declare a body (limits.ts);
// 3. the routes (src/app.ts).
// All of it wraps the app's fetch rather than being Hono middleware: with no app.use(), a route
// whose one handler answers synchronously is answered in the same turn, as in bare Hono
// (bench/README.md, "No Hono middleware").
import type { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { errorResponse } from './errors.js';
import { limitBodies } from './limits.js';
import { tracedFetch } from './server-telemetry.js';

export function instrumentApp(
  app: Hono,
  { tracer, meter, logger }: Pick<AppDeps, 'tracer' | 'meter' | 'logger'>,
): Hono {
  app.fetch = tracedFetch(app, limitBodies(app.fetch), {
    tracer,
    meter,
    // What escaped Hono's onError: a thrown non-Error, or an onError that failed.
    onThrown: (error) => {
      logger.error('unhandled error', { error: error.message, stack: error.stack });
      return errorResponse(500, 'internal error');
    },
  });
  return app;
}
