// Log monitoring: /log-test writes one info, one warn and one error record through winston.
// - stdout: JSON lines with trace_id and span_id.
// - Loki (through the Collector): the same records, trace_id as structured metadata, so Grafana
//   links each line to its trace in Jaeger and back.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { ATTR_APP_LOG_TEST_STEP } from '../semconv.js';

export function logRoutes({ logger }: AppDeps): Hono {
  const app = new Hono();

  app.get('/log-test', (c) => {
    logger.info('log-test: an informational message', { [ATTR_APP_LOG_TEST_STEP]: 1 });
    logger.warn('log-test: a warning message', { [ATTR_APP_LOG_TEST_STEP]: 2 });
    logger.error('log-test: an error message', { [ATTR_APP_LOG_TEST_STEP]: 3 });
    // No trace when tracing is off (OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER=none): null, not zeros.
    const spanContext = trace.getActiveSpan()?.spanContext();
    const traced = spanContext && isSpanContextValid(spanContext);
    return c.json({
      logged: ['info', 'warn', 'error'],
      trace_id: traced ? spanContext.traceId : null,
      span_id: traced ? spanContext.spanId : null,
    });
  });

  return app;
}
