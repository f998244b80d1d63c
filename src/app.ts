// The Hono app, built from its dependencies (src/deps.ts). One route module per kind of
// monitoring (docs/architecture.md maps them to the classic monitoring lecture); each says in
// its first comment where its signals show up.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './deps.js';
import { errorResponse, jsonError } from './http/errors.js';
import { declaresBody, limitBody } from './http/limits.js';
import { tracedFetch } from './http/server-telemetry.js';
import { applicationRoutes } from './routes/application.js';
import { databaseRoutes } from './routes/database.js';
import { endUserRoutes } from './routes/end-user.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { networkRoutes } from './routes/network.js';

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.route('/', applicationRoutes(deps));
  app.route('/', databaseRoutes(deps));
  app.route('/', logRoutes(deps));
  app.route('/', networkRoutes(deps));
  app.route('/', healthRoutes(deps));
  app.route('/', endUserRoutes(deps));

  app.notFound((c) => jsonError(c, 404, `no route for ${c.req.method} ${c.req.path}`.slice(0, 200)));

  const logUnexpected = (error: Error) =>
    deps.logger.error('unhandled error', { error: error.message, stack: error.stack });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return jsonError(c, error.status, error.message || 'request rejected');
    // Unexpected: record it on the server span and log the detail (with the trace id), answer
    // without it.
    const span = trace.getActiveSpan();
    span?.recordException(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    logUnexpected(error);
    return jsonError(c, 500, 'internal error');
  });

  // The server span and request metrics go around fetch, not in a middleware (see
  // server-telemetry.ts), and so does the body limit: a request that declares a body goes through
  // a front app whose only middleware is the limit, every other request straight to the routes.
  const routes = app.fetch;
  const guarded = new Hono();
  guarded.use(limitBody());
  guarded.all('*', (c) => routes(c.req.raw, c.env));
  app.fetch = tracedFetch(
    app,
    (request, env, executionCtx) =>
      declaresBody({ request, env }) ? guarded.fetch(request, env) : routes(request, env, executionCtx),
    {
      tracer: deps.tracer,
      meter: deps.meter,
      onThrown: (error) => {
        logUnexpected(error);
        return errorResponse(500, 'internal error');
      },
    },
  );

  return app;
}
