// Application monitoring: request rate, errors and latency.
// - Every route here is measured by http.server.request.duration (Prometheus:
//   http_server_request_duration_seconds_{bucket,count,sum}, by http_route and
//   http_response_status_code): its _count is the request counter, its buckets the latency
//   quantiles (histogram_quantile(0.9, …) replaces a Prometheus Summary).
// - /simulate-load: a child span "simulate-load work" and app.simulated_load.duration.
// - /simulate-error: the server span gets status ERROR and an exception event (Jaeger),
//   app.simulated_errors_total counts the error, and an error log line carries the trace id (Loki).
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { limitConcurrency } from '../http/concurrency.js';
import { integerParam, numberParam } from '../http/query.js';
import { incidentEffects } from '../incidents/effects.js';
import { ATTR_APP_SIMULATED_ERROR_RATE, ATTR_APP_SIMULATED_LOAD_ITERATIONS } from '../semconv.js';

export const DEFAULT_ITERATIONS = 1_000_000;
export const MAX_ITERATIONS = 50_000_000;
/** How many /simulate-load requests work at once; more get 429. */
export const MAX_CONCURRENT_LOADS = 4;
// A slice is the longest a health check waits behind one load: a few milliseconds of work.
const SLICE_ITERATIONS = 1_000_000;

/**
 * Deliberately CPU-bound work, in slices: between two slices the event loop serves whatever
 * arrived, so a long load slows other requests by one slice, not by the whole loop.
 */
async function burnCpu(iterations: number): Promise<number> {
  let sum = 0;
  for (let start = 0; start < iterations; start += SLICE_ITERATIONS) {
    const end = Math.min(iterations, start + SLICE_ITERATIONS);
    for (let i = start; i < end; i++) sum += Math.sqrt(i);
    if (end < iterations) await new Promise((resolve) => setImmediate(resolve));
  }
  return sum;
}

export function applicationRoutes({ tracer, instruments, logger, incidents, random = Math.random }: AppDeps): Hono {
  const app = new Hono();

  // The incident scenarios (npm run incident) strike here, the route most traffic takes.
  app.get('/', incidentEffects(incidents, logger), (c) => c.text('Hello, DevOps Monitoring!'));

  app.get('/simulate-load', limitConcurrency(MAX_CONCURRENT_LOADS, 'loads'), async (c) => {
    const iterations = integerParam(c, 'iterations', { min: 0, max: MAX_ITERATIONS }) ?? DEFAULT_ITERATIONS;
    const { result, seconds } = await tracer.startActiveSpan('simulate-load work', async (span) => {
      span.setAttribute(ATTR_APP_SIMULATED_LOAD_ITERATIONS, iterations);
      const started = performance.now();
      const value = await burnCpu(iterations);
      const elapsed = (performance.now() - started) / 1000;
      span.end();
      return { result: value, seconds: elapsed };
    });
    instruments.simulatedLoadDuration.record(seconds);
    return c.json({ iterations, duration_ms: Math.round(seconds * 1e6) / 1e3, result });
  });

  app.get('/simulate-error', (c) => {
    const rate = numberParam(c, 'rate', { min: 0, max: 1 }) ?? 0.5;
    // random() is in [0, 1): rate 0 never fails, rate 1 always does.
    if (random() >= rate) return c.json({ status: 'ok', rate });
    const error = new Error('Simulated error for monitoring demonstration');
    // The server span (active here) carries the failure, where Jaeger's error filter looks.
    const span = trace.getActiveSpan();
    span?.recordException(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    instruments.simulatedErrors.add(1);
    logger.error('simulated error', { error: error.message, [ATTR_APP_SIMULATED_ERROR_RATE]: rate });
    return c.json({ error: error.message, rate }, 500);
  });

  return app;
}
