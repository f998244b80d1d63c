// The smallest service instrumented the way this project is, built only from what the copy
// guide (otel/README.md) tells you to copy: otel/, started first with --import, and its
// Hono middleware. Run it with `npm run example`.
// Every request gets a server span named by its route and a point on
// http.server.request.duration; every winston record gets the trace id and goes out over OTLP.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import winston from 'winston';
import { httpTelemetry } from '../../otel/hono-telemetry.js';
import { PROMETHEUS_CONTENT_TYPE, telemetry } from '../../otel/sdk.js';

const logger = winston.createLogger({
  transports: [new winston.transports.Console({ format: winston.format.json() })],
});

const app = new Hono();
// First, before the routes: a server span and the request metrics for every request. Polled
// paths are neither traced nor measured.
app.use(httpTelemetry({ unobservedPaths: ['/healthz', '/metrics'] }));
app.get('/hello/:name', (c) => {
  logger.info('said hello', { 'app.greeting.name_length': c.req.param('name').length });
  return c.text(`Hello, ${c.req.param('name')}!`);
});
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.get('/metrics', async (c) => c.body(await telemetry().scrape(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }));

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
