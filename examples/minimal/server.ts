// The smallest service instrumented the way this project is, built only from what the README's
// "Instrument your own service" tells you to copy: otel/ (started first, with --import) and
// src/http/server-telemetry.ts with the files it imports. Run it with `npm run example`.
// Every request gets a server span named by its route and a point on
// http.server.request.duration; every winston record gets the trace id and goes out over OTLP.
import { serve } from '@hono/node-server';
import { metrics, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import winston from 'winston';
import { PROMETHEUS_CONTENT_TYPE, telemetry } from '../../otel/sdk.js';
import { tracedFetch } from '../../src/http/server-telemetry.js';

const logger = winston.createLogger({
  transports: [new winston.transports.Console({ format: winston.format.json() })],
});

const app = new Hono();
app.get('/hello/:name', (c) => {
  logger.info('said hello', { 'app.greeting.name_length': c.req.param('name').length });
  return c.text(`Hello, ${c.req.param('name')}!`);
});
// Polled by machines, so neither traced nor measured (UNOBSERVED_PATHS in server-telemetry.ts).
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.get('/metrics', async (c) => c.body(await telemetry().scrape(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }));

// Once, after the routes: the wrapper asks the app's router which route will answer.
app.fetch = tracedFetch(app, app.fetch, {
  tracer: trace.getTracer('minimal-example'),
  meter: metrics.getMeter('minimal-example'),
  onThrown: () => Response.json({ error: 'internal error' }, { status: 500 }),
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) =>
  logger.info('listening', { 'server.port': info.port }),
);

// On SIGTERM: stop accepting, then flush what the SDK still holds (the SDK does not on its own).
process.once('SIGTERM', () => {
  server.close();
  void telemetry()
    .shutdown()
    .finally(() => process.exit(0));
});
