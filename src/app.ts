// The Hono app, built from its dependencies (src/deps.ts), in the order a request meets it: the
// server span and request metrics (otel/hono-telemetry.ts), the routes, one module per kind of
// monitoring (docs/architecture.md maps them to the classic monitoring lecture; each says in its
// first comment where its signals show up), the JSON 404 and 405, and the error answer.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { httpTelemetry } from '../otel/hono-telemetry.js';
import type { AppDeps } from './deps.js';
import { allowedMethods } from './http/allow.js';
import { errorResponse, jsonError } from './http/errors.js';
import { applicationRoutes } from './routes/application.js';
import { databaseRoutes } from './routes/database.js';
import { endUserRoutes, RELAY_PATHS } from './routes/end-user.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { networkRoutes } from './routes/network.js';

// Polled by machines (probes, scrapes, the browser's icon request): neither traced nor measured,
// or they would swamp the real traffic.
const POLLED_PATHS = ['/metrics', '/healthz', '/readyz', '/favicon.ico'];

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.use(
    httpTelemetry({
      tracer: deps.tracer,
      meter: deps.meter,
      unobservedPaths: POLLED_PATHS,
      // Measured (abuse shows in the request histogram by status), not traced: a server span per
      // relayed batch would crowd the real ones.
      untracedPaths: Object.values(RELAY_PATHS),
      // curl -si … | grep traceresponse names the trace to look up (README.md, "What you will see").
      traceResponse: true,
      onThrown: (error) => {
        deps.logger.error('unhandled error', { error: error.message, stack: error.stack });
        return errorResponse(500, 'internal error');
      },
    }),
  );

  app.route('/', applicationRoutes(deps));
  app.route('/', databaseRoutes(deps));
  app.route('/', logRoutes(deps));
  app.route('/', networkRoutes(deps));
  app.route('/', healthRoutes(deps));
  app.route('/', endUserRoutes(deps));

  // A path with routes, asked with another method: 405 with Allow, or the Allow an OPTIONS asks for.
  app.notFound((c) => {
    const allow = allowedMethods(app.routes, c.req.path);
    if (allow.length === 0) return jsonError(c, 404, `no route for ${c.req.method} ${c.req.path}`.slice(0, 200));
    c.header('Allow', allow.join(', '));
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    return jsonError(
      c,
      405,
      `${c.req.method.slice(0, 16)} is not allowed here; ${c.req.path.slice(0, 100)} takes ${allow.join(', ')}`,
    );
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return jsonError(c, error.status, error.message || 'request rejected');
    // Unexpected: record it on the server span and log the detail (with the trace id), answer
    // without it.
    const span = trace.getActiveSpan();
    span?.recordException(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    deps.logger.error('unhandled error', { error: error.message, stack: error.stack });
    return jsonError(c, 500, 'internal error');
  });

  return app;
}
